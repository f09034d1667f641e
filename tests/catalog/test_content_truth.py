"""What the modules, simulators and diagnostic say is true and consistent (issue 10, « Content truth »).

Each point has a check on the real content files and, where a machine can tell, a linter rule that
fires on the wrong text. Pure file reads: no database.
"""

import datetime as dt
import re
import shutil
from functools import cache
from pathlib import Path

import pytest
import yaml

from tremplin.catalog.lint import CorpusRules, corpus_files, lint, lint_corpus

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
MODULES = CONTENT / "fr"
SIMULATORS = CONTENT / "simulators" / "fr"
ITEMS = CONTENT / "diagnostic" / "fr" / "items"
RULES = CONTENT / "lint"
CHECKED_AFTER = dt.date(2026, 12, 1)


LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)  # noqa: S506 (a safe loader)


@cache
def module(slug):
    return _load(next(MODULES.glob(f"*/{slug}/module.yaml")))


@cache
def simulator(slug):
    return _load(SIMULATORS / f"{slug}.yaml")


@cache
def _items():
    return {it["slug"]: it for path in ITEMS.glob("*.yaml") for it in _load(path)["items"]}


def item(slug):
    return _items()[slug]


def learner_text(mod) -> str:
    parts = [mod["title"], mod["summary"], *mod["objectives"]]
    for step in mod["steps"]:
        parts += [step.get("title", ""), step["body"], step.get("image_alt") or ""]
    for q in mod["quiz"]:
        parts += [q["prompt"], q["explanation"], *(c["text"] for c in q["choices"])]
    return "\n".join(parts)


def screen(sim, slug):
    return next(s for s in sim["screens"] if s["slug"] == slug)


def right_answers(mod):
    return [c["text"] for q in mod["quiz"] for c in q["choices"] if c.get("correct")]


# --- 1. The CAF simulator logs in as caf.fr does --------------------------------------------------

def test_the_caf_simulator_logs_in_with_the_social_security_number_then_a_6_digit_code_by_sms():
    sim = simulator("declaration-trimestrielle-caf")
    login = screen(sim, "connexion")
    assert [f["label"] for f in login["fields"]] == ["Numéro de sécurité sociale", "Mot de passe"]
    assert login["fields"][0]["pattern"] == r"^\d{13}$"
    code = screen(sim, login["actions"][0]["next"])
    assert code["notification"]["channel"] == "sms"
    assert code["fields"][0]["expect"] in code["notification"]["body"].replace(" ", "")
    assert sim["checked_on"] >= CHECKED_AFTER
    # The module the simulator practises says the same.
    assert "numéro de sécurité sociale" in learner_text(module("caf-mon-compte"))


# --- 2. The Complémentaire santé solidaire: address, renewal window, automatic renewal -----------

def test_the_c2s_module_gives_the_right_address_the_renewal_window_and_the_automatic_renewals():
    mod = module("complementaire-sante-solidaire")
    text = learner_text(mod)
    assert "mesdroitssociaux.gouv.fr" in text and "mes-droits-sociaux" not in text
    assert "au plus tard 2 mois avant la fin" in text and "au plus tôt 4 mois" in text
    assert all(aid in text for aid in ("(RSA)", "(ASPA)", "(ASI)")) and "automatique" in text
    assert any("renouvellement-de-la-complementaire-sante-solidaire" in s["url"] for s in mod["sources"])
    assert any(s.get("service_public_id") == "F10027" for s in mod["sources"])


# --- 4. France Travail asks the gross salary ------------------------------------------------------

def test_the_actualisation_module_says_france_travail_asks_the_gross_salary():
    mod = module("france-travail-actualisation")
    step = next(s for s in mod["steps"] if s["slug"] == "travail")
    assert "**brut**" in step["body"] and "net à payer" in step["body"]
    assert any("brut" in answer for answer in right_answers(mod))
    assert "Salaire brut (en euros)" in str(simulator("actualisation-mensuelle"))


# --- 5. caf.fr uses FranceConnect+ -----------------------------------------------------------------

def test_the_caf_module_names_franceconnect_plus_not_franceconnect():
    text = learner_text(module("caf-mon-compte"))
    assert "FranceConnect+" in text
    assert not re.search(r"FranceConnect(?!\+)", text)


# --- 6. The address, not the padlock ---------------------------------------------------------------

def test_the_padlock_is_never_the_sign_of_a_safe_site_the_address_is():
    assert item("securite-cadenas")["choices"][1] == {"text": "Zone 2, en haut au milieu", "correct": True}
    assert "site officiel" in item("securite-cadenas")["prompt"]
    for slug in ("payer-en-ligne", "naviguer-et-chercher"):
        mod = module(slug)
        assert ".gouv.fr" in learner_text(mod)
        assert not any("cadenas" in answer and not answer.startswith("Non") for answer in right_answers(mod))
    assert not any("cadenas" in c["text"] for c in item("securite-payer")["choices"] if c.get("correct"))


# --- 7. RSA recipients' 15 hours -------------------------------------------------------------------

def test_the_inscription_module_tells_rsa_recipients_about_their_15_hours_of_activity():
    mod = module("france-travail-inscription")
    assert "15 heures d’activité par semaine" in learner_text(mod)
    assert any("15 heures" in answer for answer in right_answers(mod))


# --- 8. The impots security code on an unknown device ----------------------------------------------

@pytest.mark.parametrize(("slug", "after"), [("declaration-revenus", "connexion"), ("connexion-identicle", "declaro")])
def test_the_impots_simulators_ask_the_e_mail_security_code_on_an_unknown_computer(slug, after):
    sim = simulator(slug)
    code = screen(sim, screen(sim, after)["actions"][0]["next"])
    assert code["notification"]["channel"] == "email"
    assert code["fields"][0]["expect"] in code["notification"]["body"]
    assert "ordinateur partagé" in sim["persona"]["scenario"]


def test_the_impots_module_explains_the_code_on_an_unknown_device_and_that_it_is_remembered():
    mod = module("impots-espace-particulier")
    step = next(s for s in mod["steps"] if s["slug"] == "code-securite")
    assert "6 chiffres par e-mail" in step["body"] and "6 mois" in step["body"] and "partagé" in step["body"]


# --- 9. The ANTS simulator practises reading the domain -------------------------------------------

def test_every_search_result_says_site_officiel_and_only_the_address_tells_the_right_one():
    sim = simulator("carte-identite-ants")
    results = screen(sim, "recherche")["actions"]
    assert len(results) >= 3 and all("Site officiel" in r["label"] for r in results)
    official = sim["site"]["address"]
    right = [r for r in results if not r.get("wrong")]
    assert len(right) == 1 and right[0]["label"].startswith(official)
    assert not any(official + " " in r["label"] for r in results if r.get("wrong"))
    assert official in str(sim["persona"]["documents"])


# --- 10. The carte Vitale app's publisher ----------------------------------------------------------

def test_the_carte_vitale_module_names_the_publisher_shown_in_the_store():
    mod = module("carte-vitale-application")
    assert "GIE SESAM-Vitale" in next(s for s in mod["steps"] if s["slug"] == "installer")["body"]
    assert any("GIE SESAM-Vitale" in answer for answer in right_answers(mod))


# --- 11. Diagnostic items agree with the modules ---------------------------------------------------

def test_diagnostic_items_do_not_contradict_the_modules():
    scanner = item("document-scanner-ordre")
    assert "carte Vitale" not in scanner["prompt"] and "e-mail" not in scanner["prompt"]
    assert "France Travail" not in item("email-objet")["prompt"]
    colis = item("securite-sms-colis")
    assert colis["kind"] == "multiple"
    right = [c["text"] for c in colis["choices"] if c.get("correct")]
    assert any("avant ce soir" in r for r in right) and any("lien" in r for r in right)


# --- Sources: every module and simulator changed for issue 10 names what a reviewer checks ---------

@pytest.mark.parametrize("slug", ["complementaire-sante-solidaire", "caf-mon-compte", "france-travail-actualisation",
                                  "france-travail-inscription", "impots-espace-particulier", "payer-en-ligne",
                                  "carte-vitale-application", "naviguer-et-chercher"])
def test_each_corrected_module_was_checked_again_and_names_its_official_source(slug):
    mod = module(slug)
    assert mod["checked_on"] >= CHECKED_AFTER
    assert any(s.get("service_public_id") or re.search(r"\.gouv\.fr|ameli\.fr|caf\.fr|francetravail\.fr|google\.com",
                                                        s["url"]) for s in mod["sources"])


@pytest.mark.parametrize("slug", ["declaration-trimestrielle-caf", "declaration-revenus", "connexion-identicle",
                                  "carte-identite-ants"])
def test_each_corrected_simulator_was_checked_again_and_names_the_real_site(slug):
    sim = simulator(slug)
    assert sim["checked_on"] >= CHECKED_AFTER and sim["imitates"]["url"].startswith("https://")


# --- 12 and 13. The linter rules that keep it so -------------------------------------------------

def corpus(tmp_path, text: str, name: str = "module.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [f"{v.line} {v.rule} {v.message}" for v in lint_corpus([path], CorpusRules.load(RULES), tmp_path)]


@pytest.mark.parametrize(("text", "rule"), [
    ("body: Allez sur mes-droits-sociaux.gouv.fr.", "faux:mes-droits-sociaux"),
    ("body: Inscrivez-vous à Pôle emploi.", "faux:pole-emploi"),
    ("body: Renouvelez-la dans les 4 derniers mois.", "faux:c2s-4-derniers-mois"),
    ("body: Le cadenas prouve que le site est officiel.", "faux:cadenas-preuve"),
    ("body: Prenez votre bulletin de salaire.", "faux:bulletin-de-salaire"),
])
def test_the_linter_refuses_a_known_wrong_fact(tmp_path, text, rule):
    assert any(f" {rule} " in v for v in corpus(tmp_path, text))


def test_a_wrong_fact_may_be_a_wrong_quiz_answer_but_never_the_right_one(tmp_path):
    quiz = ("choices:\n  - {text: \"Non, lisez l'adresse.\", correct: true}\n"
            "  - {text: \"Oui, le cadenas prouve que le site est officiel.\"}\n")
    assert corpus(tmp_path, quiz) == []
    assert corpus(tmp_path, "choices:\n  - {text: \"Le cadenas prouve que le site est officiel.\", correct: true}\n")


@pytest.mark.parametrize(("address", "ok"), [
    ("caf.fr", True), ("www.mesdroitssociaux.gouv.fr", True), ("assure.ameli.fr", True),
    ("titres-facile.exemple", True), ("karim.haddad@exemple.fr", True), ("gmail.com", True),
    ("www.caf-aide-en-ligne.fr", False), ("mes-droits-sociaux.gouv.fr", False), ("ameli-remboursement.com", False),
])
def test_every_site_address_a_learner_reads_is_a_real_operator_a_known_site_or_a_listed_fake(tmp_path, address, ok):
    found = [v for v in corpus(tmp_path, f"body: Allez sur {address} maintenant.") if " adresse " in v]
    assert (found == []) is ok, found


def test_a_listed_fake_address_is_never_the_right_answer(tmp_path):
    assert corpus(tmp_path, "choices:\n  - {text: www.aide-caf-dossier.net}\n  - {text: caf.fr, correct: true}\n") == []
    assert corpus(tmp_path, "choices:\n  - {text: www.aide-caf-dossier.net, correct: true}\n")


@pytest.mark.parametrize("text", ["Karim Benali", "CV-Karim-Diallo.pdf", "karim.diallo@exemple.fr",
                                  "Samia Haddad", "Samia, 35 ans", "Monique a 70 ans"])
def test_one_name_and_one_age_per_character(tmp_path, text):
    assert any(" personnage " in v for v in corpus(tmp_path, f"body: \"{text}\""))


def test_the_words_drawn_in_a_picture_are_checked_too(tmp_path):
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="2">Karim <tspan>Benali</tspan></text></svg>'
    assert any(" personnage " in v for v in corpus(tmp_path, svg, name="nom.svg"))
    assert corpus(tmp_path, svg.replace("Benali", "Haddad"), name="nom.svg") == []


def test_the_characters_keep_their_names_across_modules_simulators_and_the_diagnostic(tmp_path):
    ok = "body: \"Karim Haddad, 19 ans, écrit à karim.haddad@exemple.fr. Samia Benali a 34 ans. Monique.\""
    assert corpus(tmp_path, ok) == []


@pytest.mark.parametrize("joke", ["Je souffle sur l'écran.", "J'ai changé de coiffure.", "Ma couleur préférée."])
def test_a_joke_answer_is_refused(tmp_path, joke):
    assert any(" reponse-blague " in v for v in corpus(tmp_path, f"choices:\n  - {{text: \"{joke}\"}}\n"))


def test_the_real_modules_simulators_and_diagnostic_pass_the_corpus_rules():
    files = corpus_files(CONTENT, "fr")
    assert any("simulators" in str(f) for f in files) and any("diagnostic" in str(f) for f in files)
    assert [str(v) for v in lint_corpus(files, CorpusRules.load(RULES), ROOT)] == []


def test_administrative_words_must_be_explained_where_the_learner_first_meets_them(tmp_path):
    removed = {
        "ants-carte-identite": ("L'état civil, c'est", "etat-civil"),
        "prelevement-a-la-source": ("Une pénalité, c'est", "penalite"),
        "complementaire-sante-solidaire": ("Affilié veut dire", "affilie"),
        "impots-espace-particulier": ("Un avis d'impôt, c'est", "avis-impot"),
        "caf-declaration-trimestrielle": ("Votre foyer, ce sont", "foyer"),
    }
    track = tmp_path / "content" / "fr" / "demarches-en-ligne"
    track.mkdir(parents=True)
    (track / "track.yaml").write_text((MODULES / "demarches-en-ligne" / "track.yaml").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    for folder, (sentence, _rule) in removed.items():
        shutil.copytree(MODULES / "demarches-en-ligne" / folder, track / folder)
        path = track / folder / "module.yaml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if sentence not in line]
        assert len(kept) == len(lines) - 1, folder
        path.write_text("".join(kept), encoding="utf-8")
    report = lint(track.parent, rules_dir=RULES)
    flagged = {(v.path.split("/")[3], v.rule) for v in report.violations}
    for folder, (_sentence, rule) in removed.items():
        assert (folder, f"jargon:{rule}") in flagged, sorted(flagged)
