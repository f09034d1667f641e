"""The content linter on the real curriculum (must be clean) and on a module that breaks every rule."""

from pathlib import Path

import pytest

from tremplin.catalog.lint import lint, main

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content" / "fr"
BAD = ROOT / "tests" / "fixtures" / "lint_bad" / "fr"
RULES = ROOT / "content" / "lint"
BAD_MODULE = "lint_bad/fr/demarches-en-ligne/mauvais-module/module.yaml"
NO_IMAGE = "lint_bad/fr/demarches-en-ligne/sans-image/module.yaml"


def test_the_real_curriculum_passes_the_linter_with_zero_violations(capsys):
    report = lint(CONTENT)
    print(report.figures())
    assert [str(v) for v in report.violations] == []
    assert report.modules >= 32
    assert report.per_track == {"premiers-pas": 11, "demarches-en-ligne": 19, "emploi": 11}
    assert report.average <= 15 and report.longest <= 25


def test_the_command_line_prints_the_figures_and_exits_zero_on_the_real_curriculum(capsys):
    assert main([str(CONTENT)]) == 0
    assert "0 violation(s)" in capsys.readouterr().out


@pytest.fixture(scope="module")
def bad():
    report = lint(BAD, rules_dir=RULES, simulators_dir=BAD.parent / "simulators")
    return {(v.path, v.line, v.rule): v.message for v in report.violations}


def _line_of(path: str, text: str) -> int:
    lines = (ROOT / "tests" / "fixtures" / path).read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, line in enumerate(lines) if text in line)


@pytest.mark.parametrize(("path", "needle", "rule"), [
    (BAD_MODULE, "Cette phrase est beaucoup trop longue", "phrase-longue"),
    (BAD_MODULE, "cliquez sur le bouton vert", "jargon:cliquer"),
    (BAD_MODULE, "Écrivez votre identifiant", "jargon:identifiant"),
    (BAD_MODULE, "Le site de l'ANTS", "sigle"),
    (BAD_MODULE, "image_alt: image", "texte-alternatif"),
    (BAD_MODULE, "image: absent.svg", "reference"),
    (BAD_MODULE, "simulators: [vrai-simulateur, simulateur-fantome]", "reference"),
    (BAD_MODULE, "sources:", "source-officielle"),
    (BAD_MODULE, "steps:", "etapes"),
    (BAD_MODULE, "steps:", "recap"),
    (BAD_MODULE, "slug: recap-au-milieu", "recap"),
    (BAD_MODULE, "quiz:", "quiz"),
    (BAD_MODULE, "    choices:", "quiz-reponses"),
    (BAD_MODULE, "explanation: Toutes les réponses", "quiz-explication"),
    (BAD_MODULE, "  plan:", "guide-formateur"),
    (NO_IMAGE, "steps:", "illustration"),
    (NO_IMAGE, "steps:", "phrases-moyenne"),
    (NO_IMAGE, "title:", "guide-formateur"),
    ("lint_bad/fr/demarches-en-ligne/reponses-incoherentes/module.yaml", "  - kind: single", "schema"),
    ("lint_bad/fr/demarches-en-ligne/track.yaml", "  - module-absent", "reference"),
])
def test_each_rule_fires_on_the_bad_module_naming_the_file_the_line_and_the_rule(bad, path, needle, rule):
    line = _line_of(path, needle)
    if rule == "recap" and needle == "slug: recap-au-milieu":
        line -= 1  # the step starts on its « - kind: recap » line
    if rule == "guide-formateur" and path == NO_IMAGE:
        line = 2  # the whole trainer_guide is missing: reported at the module's slug
    assert (path, line, rule) in bad, f"{rule} attendu à {path}:{line}; trouvé : {sorted(bad)}"


def test_a_violation_reads_as_file_line_rule_and_a_french_message():
    report = lint(BAD, rules_dir=RULES, simulators_dir=BAD.parent / "simulators")
    texts = [str(v) for v in report.violations]
    assert any(t.startswith(f"{BAD_MODULE}:") and "[jargon:cliquer] « cliquez » : écrivez plutôt « appuyer »" in t
               for t in texts)


def test_simulator_slugs_are_only_checked_when_the_simulators_folder_exists(tmp_path):
    report = lint(BAD, rules_dir=RULES, simulators_dir=tmp_path / "absent")
    assert [str(v) for v in report.violations if "introuvable dans content/simulators" in v.message] == []


def test_a_module_may_allow_a_jargon_word_it_teaches():
    report = lint(CONTENT)
    assert not any(v.rule == "jargon:cliquer" for v in report.violations)
    text = (CONTENT / "premiers-pas" / "clavier-et-souris" / "module.yaml").read_text(encoding="utf-8")
    assert "lint_allow: [cliquer]" in text and "cliquer" in text
