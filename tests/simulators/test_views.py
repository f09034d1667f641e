import re

import pytest

from tests.conftest import page_text
from tests.factories import LearnerFactory
from tremplin.progress.models import LearningEvent
from tremplin.simulators.models import Simulator, SimulatorAttempt
from tremplin.simulators.services import definition_of

from .helpers import right_path, right_post

BASE = "/apprendre/simulateurs/"


def start(client, slug, mode):
    response = client.post(f"{BASE}{slug}/commencer/", {"mode": mode})
    assert response.status_code == 302, response.content
    return response["Location"]


def play_right_path(client, slug, mode):
    url = start(client, slug, mode)
    sim = definition_of(Simulator.objects.get(slug=slug))
    for screen in right_path(sim):
        page = client.get(url)
        assert page.status_code == 200
        assert len(page.content) <= 14_000, (screen.slug, len(page.content))
        response = client.post(url, right_post(screen))
        assert response.status_code == 302, (screen.slug, page_text(response)[-3000:])
    return response["Location"]


def test_anonymous_visitors_see_the_simulators_but_an_attempt_url_sends_them_to_sign_in(client, simulators):
    assert client.get(BASE).status_code == 200  # open access (ADR 10)
    response = client.get(f"{BASE}essai/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_staff_cannot_use_the_learner_simulators(client, staff, simulators):
    client.force_login(staff)
    assert client.get(BASE).status_code == 403
    assert client.post(f"{BASE}reperer-arnaque/commencer/", {"mode": "guided"}).status_code == 403


def test_a_learner_cannot_open_another_learners_attempt(client, learner_client, simulators):
    url = start(learner_client, "reperer-arnaque", "guided")
    client.force_login(LearnerFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, {"screen": "message-1", "action": "arnaque"}).status_code == 404
    assert client.get(url + "resultat/").status_code == 404
    assert client.post(url + "arreter/").status_code == 404


def test_an_unknown_simulator_or_mode_is_refused_kindly(learner_client, simulators):
    assert learner_client.get(f"{BASE}inconnu/").status_code == 404
    response = learner_client.post(f"{BASE}reperer-arnaque/commencer/", {"mode": "turbo"})
    assert response.status_code == 400
    assert "Choisissez une façon de vous entraîner." in page_text(response)


@pytest.mark.parametrize("slug", ["creer-adresse-email", "connexion-identicle", "inscription-emploi",
                                  "actualisation-mensuelle", "declaration-trimestrielle-caf", "declaration-revenus",
                                  "compte-assursante", "rendez-vous-medical", "carte-identite-ants",
                                  "candidature-en-ligne", "reperer-arnaque"])
def test_each_simulator_can_be_passed_in_check_mode_and_is_recorded_as_learning_events(learner_client, learner,
                                                                                        simulators, slug):
    result_url = play_right_path(learner_client, slug, "check")
    page = learner_client.get(result_url)
    assert "Votre score : 100 sur 100" in page_text(page)
    attempt = SimulatorAttempt.objects.get(learner=learner)
    assert (attempt.outcome, attempt.score, attempt.errors_count, attempt.hints_used) == ("passed", 1.0, 0, 0)
    events = list(LearningEvent.objects.filter(learner=learner).order_by("stored_at").values_list(
        "verb", "object_type", "object_id", "module", "score"))
    assert events == [("attempted", "simulator", slug, None, None), ("passed", "simulator", slug, None, 1.0)]
    # What was typed lived in the session only, and is gone.
    assert str(attempt.id) not in learner_client.session.get("simulators", {})


def test_what_the_learner_types_is_kept_only_during_the_attempt(learner_client, learner, simulators):
    url = start(learner_client, "inscription-emploi", "practice")
    sim = definition_of(Simulator.objects.get(slug="inscription-emploi"))
    for screen in right_path(sim)[:3]:
        learner_client.post(url, right_post(screen))
    state = learner_client.session["simulators"][url.split("/")[-2]]
    assert state["values"]["nom"] == "Benali"
    attempt = SimulatorAttempt.objects.get(learner=learner)
    stored = " ".join(str(v) for v in SimulatorAttempt.objects.filter(pk=attempt.pk).values().first().values())
    assert "Benali" not in stored
    events = " ".join(str(e.response) for e in LearningEvent.objects.filter(learner=learner))
    assert "Benali" not in events and "2920349999042" not in events
    learner_client.post(url + "arreter/")
    assert "simulators" not in learner_client.session or not learner_client.session["simulators"]
    attempt.refresh_from_db()
    assert attempt.outcome == "abandoned"


def test_guided_mode_shows_a_hint_for_each_field_and_the_button(learner_client, simulators):
    url = start(learner_client, "inscription-emploi", "guided")
    learner_client.post(url, {"screen": "accueil", "action": "inscrire"})
    learner_client.post(url, {"screen": "connexion", "action": "creer"})
    html = page_text(learner_client.get(url))
    assert html.count('class="sim-bubble"') == 5
    assert 'class="sim-field sim-target" id="f-nir"' in html
    assert "Regardez la carte Vitale de Samia" in html
    assert "Entraînement — rien n'est envoyé" in html
    assert "Un indice ?" not in html


def test_practice_mode_gives_a_hint_on_request_and_counts_it(learner_client, learner, simulators):
    url = start(learner_client, "inscription-emploi", "practice")
    html = page_text(learner_client.get(url))
    assert "Un indice ?" in html and 'class="sim-bubble"' not in html
    response = learner_client.post(url, {"screen": "accueil", "action": "__hint"})
    assert response.status_code == 200
    assert "Appuyez sur le bouton « S'inscrire, se réinscrire »" in page_text(response)
    assert SimulatorAttempt.objects.get(learner=learner).hints_used == 1


def test_check_mode_gives_no_hint(learner_client, learner, simulators):
    url = start(learner_client, "inscription-emploi", "check")
    html = page_text(learner_client.get(url))
    assert "Un indice ?" not in html and 'class="sim-bubble"' not in html
    response = learner_client.post(url, {"screen": "accueil", "action": "__hint"})
    assert response.status_code == 400
    assert SimulatorAttempt.objects.get(learner=learner).hints_used == 0


@pytest.mark.parametrize(("nom", "message"), [
    ("", "Ce champ est obligatoire."),
    ("x" * 5000, "Ce champ est trop long"),
    ("🙂🙂", "ne peut contenir que des lettres"),
    ("<script>alert('x')</script>", "ne peut contenir que des lettres"),
])
def test_bad_input_gets_the_simulated_sites_error_with_status_400(learner_client, learner, simulators, nom, message):
    url = start(learner_client, "inscription-emploi", "check")
    learner_client.post(url, {"screen": "accueil", "action": "inscrire"})
    learner_client.post(url, {"screen": "connexion", "action": "creer"})
    response = learner_client.post(url, {"screen": "identite", "action": "continuer", "nir": "2920349999042",
                                         "nom": nom, "prenom": "Samia", "naissance": "14/03/1992"})
    assert response.status_code == 400
    assert message in page_text(response)
    assert b"<script>alert" not in response.content
    assert SimulatorAttempt.objects.get(learner=learner).errors_count == 1


def test_a_real_looking_social_security_number_gets_guidance_and_is_not_echoed(learner_client, simulators):
    url = start(learner_client, "inscription-emploi", "practice")
    learner_client.post(url, {"screen": "accueil", "action": "inscrire"})
    learner_client.post(url, {"screen": "connexion", "action": "creer"})
    response = learner_client.post(url, {"screen": "identite", "action": "continuer", "nir": "1 84 12 75 108 042",
                                         "nom": "Benali", "prenom": "Samia", "naissance": "14/03/1992"})
    assert response.status_code == 400
    assert "Ne tapez jamais vos vrais numéros" in page_text(response)
    assert b"1 84 12 75 108 042" not in response.content


def test_a_stale_form_or_an_unknown_button_never_crashes(learner_client, simulators):
    url = start(learner_client, "reperer-arnaque", "check")
    assert learner_client.post(url, {"screen": "fin", "action": "x"}).status_code == 302
    assert learner_client.post(url, {"action": "arnaque"}).status_code == 302
    response = learner_client.post(url, {"screen": "message-1", "action": "n'importe quoi"})
    assert response.status_code == 400
    assert "Ce bouton n'existe pas sur cette page" in page_text(response)


def test_a_failed_check_asks_to_practise_again(learner_client, learner, simulators):
    url = start(learner_client, "reperer-arnaque", "check")
    for _ in range(4):
        learner_client.post(url, {"screen": "message-1", "action": "fiable"})
    sim = definition_of(Simulator.objects.get(slug="reperer-arnaque"))
    for screen in right_path(sim):
        learner_client.post(url, right_post(screen))
    html = page_text(learner_client.get(url + "resultat/"))
    assert "Votre score : 60 sur 100" in html and "Il faut 70 sur 100 pour réussir." in html
    assert LearningEvent.objects.filter(learner=learner, verb="failed", object_id="reperer-arnaque").count() == 1


def test_my_trainings_list_shows_the_last_attempts_with_their_scores(learner_client, simulators, django_assert_max_num_queries):
    play_right_path(learner_client, "reperer-arnaque", "guided")
    play_right_path(learner_client, "reperer-arnaque", "check")
    with django_assert_max_num_queries(8):
        response = learner_client.get(BASE)
    html = page_text(response)
    assert "Mes entraînements" in html
    assert "Score : 100 sur 100" in html
    assert re.search(r"mode Guidé.*\n.*Terminé", html) and re.search(r"mode Vérification.*\n.*Réussi", html)
    assert len(response.content) <= 14_000


def test_a_module_links_to_its_simulator_and_the_intro_shows_the_persona(learner_client, simulators, real_content):
    html = page_text(learner_client.get("/apprendre/module/france-travail-inscription/"))
    assert 'href="/apprendre/simulateurs/inscription-emploi/"' in html and "S'entraîner" in html
    intro = learner_client.get("/apprendre/simulateurs/inscription-emploi/")
    text = page_text(intro)
    assert "Vous êtes Samia, 34 ans." in text and "2 92 03 49 999 042" in text
    assert "France Travail" in text and "Emploi Service" in text


@pytest.mark.parametrize("mode", ["guided", "practice"])
def test_every_screen_stays_within_the_page_budget_with_its_hints(learner_client, simulators, mode):
    for simulator in Simulator.objects.all():
        url = start(learner_client, simulator.slug, mode)
        for screen in right_path(definition_of(simulator)):
            page = learner_client.get(url)
            assert len(page.content) <= 14_000, (simulator.slug, screen.slug, len(page.content))
            if mode == "practice":
                hinted = learner_client.post(url, {"screen": screen.slug, "action": "__hint"})
                assert len(hinted.content) <= 14_000, (simulator.slug, screen.slug, len(hinted.content))
            learner_client.post(url, right_post(screen))
