"""Fail the CI run unless every test of the suite ran: none skipped, none deselected, every browser test.

Usage: check_junit.py [--collected FILE] JUNIT.xml [JUNIT.xml ...]

The tests that should have run are what pytest collects from the repository with no selection at all
(``PYTEST_ADDOPTS`` and ``PYTEST_ARGS`` cleared, no ``-k``/``-m``), or the node ids listed in FILE (one a
line; used by the checker's own tests). Each JUnit report must hold every one of them, and as many
browser tests (``tests/browser/``) as were collected; a skipped test fails the run too.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Options that run fewer tests than the suite holds, were they put in PYTEST_ADDOPTS or PYTEST_ARGS.
SELECTING = ("-k", "-m", "--deselect", "--ignore", "--ignore-glob", "--lf", "--last-failed", "--sw", "--stepwise",
             "-x", "--exitfirst", "--maxfail")


def key_of_nodeid(nodeid: str) -> str:
    """``tests/a/test_b.py::TestC::test_d[x]`` -> ``tests.a.test_b.TestC::test_d[x]``, as JUnit names it
    (pytest's ``mangle_test_address``: the parameters, which may hold ``::``, are set aside first)."""
    address, bracket, params = nodeid.partition("[")
    path, *names = address.split("::")
    module = path.removesuffix(".py").replace("/", ".").replace("\\", ".")
    return ".".join([module, *names[:-1]]) + "::" + names[-1] + bracket + params


def key_of_case(case: ET.Element) -> str:
    return f"{case.get('classname', '')}::{case.get('name', '')}"


def is_browser(key: str) -> bool:
    return key.startswith("tests.browser.")


def collected_nodeids(root: Path = ROOT) -> list[str]:
    """What the whole suite holds: ``pytest --collect-only`` with every selection removed (``root``: the
    repository; the checker's own tests pass a small suite of their own)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTEST_ARGS")}
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly"],
                            cwd=root, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-3000:], sep="\n")
        raise SystemExit("check_junit: pytest could not collect the suite")
    return [line.strip() for line in result.stdout.splitlines() if "::" in line and not line.startswith(" ")]


def selecting_options(name: str) -> list[str]:
    words = shlex.split(os.environ.get(name, ""))
    return [w for w in words if w.split("=", 1)[0] in SELECTING or any(
        w.startswith(flag) and len(flag) == 2 and len(w) > 2 for flag in ("-k", "-m"))]


def check(paths: list[str], expected_nodeids: list[str]) -> int:
    status = 0
    for name in ("PYTEST_ADDOPTS", "PYTEST_ARGS"):
        found = selecting_options(name)
        if found:
            print(f"{name} selects tests ({' '.join(found)}): CI runs the whole suite; failing")
            status = 1
    expected = {key_of_nodeid(n) for n in expected_nodeids}
    expected_browser = {k for k in expected if is_browser(k)}
    print(f"collected: {len(expected)} tests, {len(expected_browser)} browser tests")
    if not expected_browser:
        print("  no browser test was collected from tests/browser/: failing")
        status = 1
    for path in paths:
        cases = list(ET.parse(path).getroot().iter("testcase"))
        ran = {key_of_case(c) for c in cases}
        browser = [c for c in cases if is_browser(key_of_case(c))]
        skipped = [key_of_case(c) for c in cases if c.find("skipped") is not None]
        print(f"{path}: {len(cases)} tests, {len(browser)} browser tests, {len(skipped)} skipped")
        if len(browser) < len(expected_browser):
            print(f"  {len(browser)} browser tests ran but tests/browser/ holds {len(expected_browser)}: failing")
            status = 1
        missing = sorted(expected - ran)
        if missing:
            print(f"  {len(missing)} collected tests did not run (deselected or lost):", *missing[:30], sep="\n    ")
            status = 1
        if skipped:
            print("  skipped tests are not allowed:", *skipped, sep="\n    ")
            status = 1
    return status


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "--collected":
        expected = [line.strip() for line in Path(argv[1]).read_text().splitlines() if line.strip()]
        argv = argv[2:]
    else:
        expected = collected_nodeids()
    if not argv:
        print(__doc__)
        return 2
    return check(argv, expected)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
