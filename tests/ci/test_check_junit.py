"""The CI's last gate (.ci/check_junit.py), fed crafted JUnit reports: it must fail whenever fewer tests ran."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".ci" / "check_junit.py"

COLLECTED = [
    "tests/accounts/test_sign_in.py::test_a_learner_signs_in",
    "tests/diagnostic/test_simulation.py::test_variants[difficultés ±0,4-0.75]",
    "tests/ci/test_check_junit.py::test_options[--deselect tests/x.py::t-PYTEST_ARGS]",
    "tests/trainer/test_x.py::TestCards::test_a_card",
    "tests/browser/test_diagnostic.py::test_on_a_phone",
    "tests/browser/test_diagnostic.py::test_with_the_keyboard",
    "tests/browser/test_cv_builder.py::test_a_cv",
]


def case(nodeid: str, extra: str = "") -> str:
    """A <testcase> as pytest writes it for this node id."""
    address, bracket, params = nodeid.partition("[")
    path, *names = address.split("::")
    classname = ".".join([path.removesuffix(".py").replace("/", "."), *names[:-1]])
    name = (names[-1] + bracket + params).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'<testcase classname="{classname}" name="{name}" time="0.1">{extra}</testcase>'


def junit(tmp_path, cases: list[str], name="junit.xml") -> str:
    path = tmp_path / name
    path.write_text('<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">'
                    + "".join(cases) + "</testsuite></testsuites>", encoding="utf-8")
    return str(path)


def check(tmp_path, *reports, collected=COLLECTED, **env):
    listing = tmp_path / "collected.txt"
    listing.write_text("\n".join(collected) + "\n", encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTEST_ARGS")}
    result = subprocess.run([sys.executable, str(SCRIPT), "--collected", str(listing), *reports],
                            env={**environ, **env}, capture_output=True, text=True)
    return result.returncode, result.stdout + result.stderr


def test_a_report_holding_every_collected_test_passes(tmp_path):
    status, out = check(tmp_path, junit(tmp_path, [case(n) for n in COLLECTED]))
    assert status == 0, out
    assert "7 tests, 3 browser tests, 0 skipped" in out


def test_one_browser_test_missing_fails_even_though_others_ran(tmp_path):
    report = junit(tmp_path, [case(n) for n in COLLECTED if not n.endswith("test_with_the_keyboard")])
    status, out = check(tmp_path, report)
    assert status == 1
    assert "2 browser tests ran but tests/browser/ holds 3: failing" in out
    assert "tests.browser.test_diagnostic::test_with_the_keyboard" in out


def test_no_browser_test_at_all_fails(tmp_path):
    status, out = check(tmp_path, junit(tmp_path, [case(n) for n in COLLECTED if "/browser/" not in n]))
    assert status == 1 and "0 browser tests ran but tests/browser/ holds 3" in out


def test_a_test_deselected_with_k_fails_even_when_the_counts_look_fine(tmp_path):
    # The sign-in test was deselected and an unknown test stands in its place: same count, wrong tests.
    cases = [case(n) for n in COLLECTED[1:]] + [case("tests/accounts/test_other.py::test_something_else")]
    status, out = check(tmp_path, junit(tmp_path, cases))
    assert status == 1
    assert "1 collected tests did not run" in out and "tests.accounts.test_sign_in::test_a_learner_signs_in" in out


def test_parametrized_and_class_tests_are_matched_by_their_junit_names(tmp_path):
    status, out = check(tmp_path, junit(tmp_path, [case(n) for n in COLLECTED]))
    assert status == 0, out
    cases = [case(n) for n in COLLECTED if "TestCards" not in n and "[" not in n]
    status, out = check(tmp_path, junit(tmp_path, cases))
    assert status == 1
    assert "tests.trainer.test_x.TestCards::test_a_card" in out
    assert "tests.diagnostic.test_simulation::test_variants[difficultés ±0,4-0.75]" in out
    assert "tests.ci.test_check_junit::test_options[--deselect tests/x.py::t-PYTEST_ARGS]" in out


def test_a_real_report_of_pytest_matches_what_pytest_collects(tmp_path):
    """Node ids with parameters holding « :: », non-ASCII characters and several files, as pytest writes them."""
    (tmp_path / "tests" / "browser").mkdir(parents=True)
    (tmp_path / "tests" / "browser" / "test_b.py").write_text("def test_on_a_phone():\n    pass\n")
    (tmp_path / "tests" / "test_a.py").write_text(
        "import pytest\n\n"
        "@pytest.mark.parametrize('x', ['--deselect a.py::t', 'difficultés ±0,4'])\n"
        "def test_p(x):\n    pass\n\n"
        "class TestC:\n    def test_m(self):\n        pass\n", encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTEST_ARGS")}
    # pytest alone writes the report: importing the installed plugins (hypothesis, faker, xdist) took most of the time.
    environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    run = [sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:django", "-p", "no:cacheprovider",
           "-c", os.devnull, "--rootdir", str(tmp_path)]
    collected = subprocess.run([*run, "--collect-only", "-q", "tests"], cwd=tmp_path, env=environ,
                               capture_output=True, text=True).stdout
    nodeids = [line for line in collected.splitlines() if "::" in line]
    assert len(nodeids) == 4, collected
    subprocess.run([*run, "-q", "--junitxml", "report.xml", "tests", "-k", "not TestC"], cwd=tmp_path, env=environ)
    status, out = check(tmp_path, str(tmp_path / "report.xml"), collected=nodeids)
    assert status == 1 and "1 collected tests did not run" in out and "tests.test_a.TestC::test_m" in out
    subprocess.run([*run, "-q", "--junitxml", "report.xml", "tests"], cwd=tmp_path, env=environ)
    status, out = check(tmp_path, str(tmp_path / "report.xml"), collected=nodeids)
    assert status == 0, out


def test_a_skipped_test_fails(tmp_path):
    cases = [case(n, '<skipped message="no chromium" />' if "test_a_cv" in n else "") for n in COLLECTED]
    status, out = check(tmp_path, junit(tmp_path, cases))
    assert status == 1 and "skipped tests are not allowed" in out and "tests.browser.test_cv_builder::test_a_cv" in out


def test_the_second_report_is_checked_too(tmp_path):
    full = junit(tmp_path, [case(n) for n in COLLECTED], "sqlite.xml")
    short = junit(tmp_path, [case(n) for n in COLLECTED[:-1]], "postgres.xml")
    status, out = check(tmp_path, full, short)
    assert status == 1 and "postgres.xml: 6 tests, 2 browser tests" in out


@pytest.mark.parametrize("variable", ["PYTEST_ADDOPTS", "PYTEST_ARGS"])
@pytest.mark.parametrize("value", ["-k sign_in", "-knot_browser", "-m 'not browser'", "--deselect tests/x.py::t",
                                   "-x", "--lf"])
def test_selecting_options_in_the_environment_fail_the_run(tmp_path, variable, value):
    status, out = check(tmp_path, junit(tmp_path, [case(n) for n in COLLECTED]), **{variable: value})
    assert status == 1 and f"{variable} selects tests" in out


def test_harmless_options_in_the_environment_pass(tmp_path):
    status, out = check(tmp_path, junit(tmp_path, [case(n) for n in COLLECTED]),
                        PYTEST_ADDOPTS="-p no:randomly -v --tb=short", PYTEST_ARGS="-n 2 --durations=5")
    assert status == 0, out


def test_without_a_listing_it_collects_the_whole_suite_whatever_pytest_addopts_says(tmp_path, monkeypatch):
    """The collection the checker runs itself, on a small suite shaped like the repository's (its pytest settings,
    a browser folder whose conftest marks its tests): collecting the real one took 9 s of the suite's time."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\ntestpaths = ["tests"]\npython_files = ["test_*.py"]\n'
        'addopts = "--strict-markers -p no:cacheprovider"\nmarkers = ["browser: drives a real Chromium"]\n')
    (tmp_path / "tests" / "browser").mkdir(parents=True)
    (tmp_path / "tests" / "browser" / "conftest.py").write_text(
        "import pytest\n\n\ndef pytest_collection_modifyitems(items):\n"
        "    for item in items:\n        item.add_marker(pytest.mark.browser)\n")
    (tmp_path / "tests" / "browser" / "test_b.py").write_text(
        "def test_on_a_phone():\n    pass\n\n\ndef test_with_the_keyboard():\n    pass\n")
    (tmp_path / "tests" / "ci").mkdir()
    (tmp_path / "tests" / "ci" / "test_check_junit.py").write_text(
        "import pytest\n\n\n@pytest.mark.parametrize('x', ['-k sign_in', '--deselect a.py::t'])\n"
        "def test_options(x):\n    pass\n\n\ndef test_a_skipped_test_fails():\n    pass\n", encoding="utf-8")
    (tmp_path / "tests" / "test_a.py").write_text("class TestC:\n    def test_m(self):\n        pass\n")
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import check_junit
    finally:
        sys.path.remove(str(SCRIPT.parent))
    assert check_junit.collected_nodeids.__defaults__ == (ROOT,)  # the repository, when CI calls it
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)  # as in CI, where no test run sets it
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # the small suite needs no installed plugin
    monkeypatch.setenv("PYTEST_ADDOPTS", "-k nothing_at_all -m browser")
    monkeypatch.setenv("PYTEST_ARGS", "--deselect tests/test_a.py::TestC::test_m")
    nodeids = check_junit.collected_nodeids(tmp_path)
    assert sorted(nodeids) == sorted([
        "tests/test_a.py::TestC::test_m",
        "tests/browser/test_b.py::test_on_a_phone",
        "tests/browser/test_b.py::test_with_the_keyboard",
        "tests/ci/test_check_junit.py::test_options[-k sign_in]",
        "tests/ci/test_check_junit.py::test_options[--deselect a.py::t]",
        "tests/ci/test_check_junit.py::test_a_skipped_test_fails",
    ]), nodeids
    assert os.environ["PYTEST_ADDOPTS"] == "-k nothing_at_all -m browser"  # cleared for the collection only
