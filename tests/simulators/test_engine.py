"""The engine's rules, called directly: they are the heart of every simulator."""

import pytest

from tremplin.simulators import engine
from tremplin.simulators.files import read_simulator

from .conftest import SIMULATORS_ROOT


@pytest.fixture(scope="module")
def inscription():
    sim, errors = read_simulator(SIMULATORS_ROOT / "inscription-emploi.yaml")
    assert not errors
    return sim.data


def screen(sim, slug):
    return engine.screen_by_slug(sim, slug)


def identite(**values):
    return {"nir": "2920349999042", "nom": "Benali", "prenom": "Samia", "naissance": "14/03/1992", **values}


def test_the_scenarios_values_pass_whatever_the_spaces_case_and_accents(inscription):
    result = engine.submit(inscription, screen(inscription, "identite"),
                           identite(nir="2 92 03 49 999 042", nom="  BENALI ", naissance="14-03-1992"), "continuer")
    assert result.kind == "next" and result.next_screen == "coordonnees"


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"nom": ""}, "nom", "Ce champ est obligatoire."),
    ({"nom": "B" * 500}, "nom", "trop long"),
    ({"nom": "Benali 😀"}, "nom", "que des lettres"),
    ({"nom": "<script>alert(1)</script>"}, "nom", "que des lettres"),
    ({"prenom": "Karim"}, "prenom", "papiers de Samia"),
    ({"nir": "292034999904292"}, "nir", "13 chiffres"),
    ({"nir": "1850775123456"}, "nir", "Ne tapez jamais vos vrais numéros"),
    ({"naissance": "31/02/1992"}, "naissance", "JJ/MM/AAAA"),
    ({"naissance": "15/03/1992"}, "naissance", "carte d'identité de Samia"),
])
def test_bad_input_gets_the_sites_message_and_never_moves_on(inscription, values, field, message):
    result = engine.submit(inscription, screen(inscription, "identite"), identite(**values), "continuer")
    assert result.kind == "invalid" and result.counts_as_error
    assert message in result.errors[field]
    assert result.next_screen is None


def test_a_real_looking_social_security_number_is_never_shown_back(inscription):
    result = engine.submit(inscription, screen(inscription, "identite"), identite(nir="1 85 07 75 123 456 78"), "continuer")
    assert result.values["nir"] == ""
    assert result.accepted == {}


def test_passwords_are_never_shown_back_after_an_error(inscription):
    result = engine.submit(inscription, screen(inscription, "mot-de-passe"),
                           {"mot_de_passe": "Tilleul49-Angers", "confirmation": "autre"}, "creer")
    assert result.errors == {"confirmation": "Les 2 mots de passe ne sont pas identiques."}
    assert result.values == {"mot_de_passe": "", "confirmation": ""}


def test_a_wrong_button_keeps_the_learner_on_the_screen_with_the_explanation(inscription):
    result = engine.submit(inscription, screen(inscription, "accueil"), {}, "offres")
    assert result.kind == "wrong" and "S'inscrire, se réinscrire" in result.message


def test_an_unknown_button_is_reported_not_crashed(inscription):
    assert engine.submit(inscription, screen(inscription, "accueil"), {}, "<script>").kind == "unknown"


def test_a_pretend_upload_checks_the_format_then_the_document(inscription):
    s = screen(inscription, "justificatif")
    assert "n'est pas une pièce d'identité" in engine.submit(
        inscription, s, {"piece_identite": "CV-Samia-Benali.pdf"}, "continuer").errors["piece_identite"]
    assert "Aucun fichier" in engine.submit(inscription, s, {}, "continuer").errors["piece_identite"]
    assert engine.submit(inscription, s, {"piece_identite": "Carte-identite-Samia.pdf"}, "continuer").kind == "next"


def test_a_rejected_value_gets_the_real_sites_message():
    sim = read_simulator(SIMULATORS_ROOT / "creer-adresse-email.yaml")[0].data
    result = engine.submit(sim, screen(sim, "adresse"), {"identifiant": "karim.haddad"}, "suivant")
    assert result.errors["identifiant"] == "Cette adresse est déjà prise. Essayez-en une autre."


def test_branching_follows_the_answer():
    sim = read_simulator(SIMULATORS_ROOT / "actualisation-mensuelle.yaml")[0].data
    s = screen(sim, "recherche")
    assert engine.submit(sim, s, {"cherche": "oui", "travaille": "oui"}, "suivant").next_screen == "activite"
    sim_rdv = read_simulator(SIMULATORS_ROOT / "rendez-vous-medical.yaml")[0].data
    assert engine.submit(sim_rdv, screen(sim_rdv, "deja-vu"), {"deja": "oui"}, "continuer").next_screen == "motif"


def test_numbers_accept_french_writing():
    sim = read_simulator(SIMULATORS_ROOT / "declaration-trimestrielle-caf.yaml")[0].data
    s = screen(sim, "salaires")
    ok = engine.submit(sim, s, {"aout": "1 245,00 €", "septembre": "1312", "octobre": "1280"}, "suivant")
    assert ok.kind == "next"
    wrong = engine.submit(sim, s, {"aout": "1245", "septembre": "1190", "octobre": "douze"}, "suivant")
    assert "fiche de paie de septembre" in wrong.errors["septembre"]
    assert "nombre" in wrong.errors["octobre"]


def test_several_boxes_must_match_the_scenario():
    sim = read_simulator(SIMULATORS_ROOT / "compte-assursante.yaml")[0].data
    s = screen(sim, "personnes")
    assert engine.submit(sim, s, {"beneficiaires": ["samia", "lina"]}, "telecharger").kind == "next"
    assert engine.submit(sim, s, {"beneficiaires": ["samia", "yanis", "lina"]}, "telecharger").kind == "invalid"
    assert engine.submit(sim, s, {"beneficiaires": ["inventé"]}, "telecharger").errors


def test_the_guide_points_at_the_first_field_to_fix_then_at_the_button(inscription):
    s = screen(inscription, "identite")
    assert engine.guide_target(s) == engine.Target("field", "nir", s.fields[0].hint)
    values = {"nir": "2920349999042", "nom": "Benali", "prenom": "", "naissance": ""}
    assert engine.guide_target(s, values).name == "prenom"
    assert engine.guide_target(s, identite(), {"nom": "x"}).name == "nom"
    assert engine.guide_target(s, identite()).kind == "action"
    assert engine.guide_target(screen(inscription, "accueil")).name == "inscrire"


@pytest.mark.parametrize(("errors", "hints", "seconds", "score"), [
    (0, 0, 60, 1.0), (2, 0, 60, 0.8), (1, 1, 60, 0.75), (0, 0, 600, 0.8), (0, 0, 3000, 0.8), (20, 0, 60, 0.0),
])
def test_the_check_score_counts_errors_hints_and_time(errors, hints, seconds, score):
    assert engine.compute_score(errors=errors, hints=hints, duration_s=seconds, expected_minutes=5) == score
