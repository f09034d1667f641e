"""Fail the CI run if browser tests did not run, or if any test was skipped."""

import sys
import xml.etree.ElementTree as ET

status = 0
for path in sys.argv[1:]:
    cases = list(ET.parse(path).getroot().iter("testcase"))
    browser = [c for c in cases if ".browser." in c.get("classname", "")]
    skipped = [f"{c.get('classname')}::{c.get('name')}" for c in cases if c.find("skipped") is not None]
    print(f"{path}: {len(cases)} tests, {len(browser)} browser tests, {len(skipped)} skipped")
    if not browser:
        print("  no browser test ran: failing")
        status = 1
    if skipped:
        print("  skipped tests are not allowed:", *skipped, sep="\n    ")
        status = 1
sys.exit(status)
