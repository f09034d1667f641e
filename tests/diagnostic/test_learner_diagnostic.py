import pytest

from tests.conftest import page_text
from tests.factories import EnrolmentFactory, LearnerFactory
from tests.pdf import pdf_text
from tremplin.diagnostic.enums import SessionMode, SessionStatus
from tremplin.diagnostic.models import DiagnosticAnswer, DiagnosticSession
from tremplin.diagnostic.selectors import latest_results_for, next_version_for
from tremplin.progress.enums import ObjectType
from tremplin.progress.models import LearningEvent

from .conftest import answer_all, right_form

pytestmark = pytest.mark.django_db


def start(client):
    response = client.post("/apprendre/positionnement/")
    session = DiagnosticSession.objects.get()
    assert response.status_code == 302
    client.post(f"/apprendre/positionnement/{session.pk}/vous/", {"appareils": ["smartphone"], "aide": ["personne"]})
    return session


def test_anonymous_visitors_open_the_diagnostic_but_a_session_url_sends_them_to_sign_in(client, bank):
    assert client.get("/apprendre/positionnement/").status_code == 200  # open access (ADR 10)
    response = client.get("/apprendre/positionnement/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_staff_cannot_take_the_learner_diagnostic(client, staff, bank):
    client.force_login(staff)
    assert client.get("/apprendre/positionnement/").status_code == 403


def test_a_learner_is_invited_on_mes_parcours_before_taking_it(learner_client, bank):
    text = page_text(learner_client.get("/apprendre/"))
    assert "Faire le point" in text and "10 minutes" in text


def test_the_profile_questions_come_first_and_can_be_skipped(learner_client, learner, bank):
    learner_client.post("/apprendre/positionnement/")
    session = DiagnosticSession.objects.get()
    response = learner_client.get(f"/apprendre/positionnement/{session.pk}/")
    assert response["Location"].endswith("/vous/")
    learner_client.post(f"/apprendre/positionnement/{session.pk}/vous/", {"action": "skip"})
    session.refresh_from_db()
    assert session.profile == {}
    assert "Question 1" in page_text(learner_client.get(f"/apprendre/positionnement/{session.pk}/"))


def test_a_strong_learner_finishes_in_at_most_25_questions_with_a_level_per_competence(learner_client, learner, bank):
    session = start(learner_client)
    session = answer_all(learner_client, session.pk, right=True)
    assert session.status == SessionStatus.COMPLETED
    assert session.answers.count() <= 25
    assert len(session.results) == 8
    assert all(r["level"] == "confirme" for r in session.results.values())
    text = page_text(learner_client.get(f"/apprendre/positionnement/{session.pk}/resultats/"))
    assert text.count("Niveau : Confirmé") == 8
    assert "Vous maîtrisez ce sujet" in text


def test_a_beginner_is_told_kindly_to_get_help_and_gets_beginner_modules_on_mes_parcours(
        learner_client, learner, bank, content):
    EnrolmentFactory(learner=learner, organisation__name="Les Clés du Numérique")
    session = start(learner_client)
    session = answer_all(learner_client, session.pk, right=None)
    assert session.results["utiliser-un-appareil"]["level"] == "debutant"
    text = page_text(learner_client.get(f"/apprendre/positionnement/{session.pk}/resultats/"))
    assert "faites-vous accompagner" in text
    assert "Parlez-en à votre structure : Les Clés du Numérique." in text
    assert "Ce que vous pouvez apprendre" in text
    home = page_text(learner_client.get("/apprendre/"))
    assert "Les modules conseillés pour vous" in home
    assert "Utiliser l'écran tactile" in home  # the fixture's beginner module for utiliser-un-appareil
    assert "Voir mes résultats" in home


def test_answers_are_logged_as_learning_events_without_a_module(learner_client, learner, bank):
    session = start(learner_client)
    answer_all(learner_client, session.pk, right=True)
    events = LearningEvent.objects.filter(learner=learner)
    n_answers = DiagnosticAnswer.objects.filter(session=session).count()
    assert events.filter(object_type=ObjectType.DIAGNOSTIC_ITEM, module=None).count() == n_answers
    assert events.filter(object_type=ObjectType.DIAGNOSTIC, verb="completed").count() == 1


def test_a_double_submit_or_a_back_button_replay_counts_once(learner_client, learner, bank):
    session = start(learner_client)
    version = next_version_for(session)
    url = f"/apprendre/positionnement/{session.pk}/"
    learner_client.post(url, right_form(version, True))
    replay = learner_client.post(url, right_form(version, False), follow=True)
    assert DiagnosticAnswer.objects.filter(session=session).count() == 1
    assert DiagnosticAnswer.objects.get(session=session).correct is True
    assert "Votre première réponse est gardée" in page_text(replay)
    assert LearningEvent.objects.filter(learner=learner, object_type=ObjectType.DIAGNOSTIC_ITEM).count() == 1


def test_an_empty_or_forged_answer_is_a_400_with_a_clear_message(learner_client, bank):
    session = start(learner_client)
    version = next_version_for(session)
    url = f"/apprendre/positionnement/{session.pk}/"
    response = learner_client.post(url, {"item": version.item.slug, "version": version.version, "action": "answer"})
    assert response.status_code == 400
    assert "Je ne sais pas" in page_text(response)
    forged = {"item": version.item.slug, "version": version.version, "action": "answer", "choice": "99",
              "text": "x", **{f"rank_{i}": "1" for i in range(6)}}
    assert learner_client.post(url, forged).status_code == 400
    assert learner_client.post(url, {"item": "nope", "version": "x"}).status_code == 302
    assert DiagnosticAnswer.objects.count() == 0


def test_a_replay_with_an_unreadable_answer_keeps_the_first_answer_without_an_error(learner_client, bank):
    session = start(learner_client)
    version = next_version_for(session)
    url = f"/apprendre/positionnement/{session.pk}/"
    learner_client.post(url, right_form(version, True))
    replay = learner_client.post(url, {"item": version.item.slug, "version": version.version, "action": "answer",
                                       "choice": "99"}, follow=True)
    assert replay.status_code == 200
    assert "Votre première réponse est gardée" in page_text(replay)
    assert DiagnosticAnswer.objects.get(session=session).correct is True


def test_a_typed_answer_with_a_nul_byte_is_read_without_it(learner, bank):
    from tremplin.diagnostic.models import DiagnosticItemVersion
    from tremplin.diagnostic.services import answer_submit, session_start

    version = DiagnosticItemVersion.objects.filter(kind="text", item__is_active=True).first()
    session = session_start(learner=learner)
    answer, created = answer_submit(session=session, version=version, raw={"text": "ab\x00c "})
    assert created and answer.response == {"text": "abc"}


def test_abandoning_and_coming_back_days_later_resumes_the_same_session(learner_client, learner, bank):
    session = start(learner_client)
    for _ in range(3):
        version = next_version_for(session)
        learner_client.post(f"/apprendre/positionnement/{session.pk}/", right_form(version, True))
    expected = next_version_for(session)
    assert "Reprendre les questions" in page_text(learner_client.get("/apprendre/"))
    learner_client.post("/apprendre/positionnement/")  # « Reprendre où j'en étais »
    assert DiagnosticSession.objects.count() == 1
    page = page_text(learner_client.get(f"/apprendre/positionnement/{session.pk}/"))
    assert "Question 4" in page and expected.data["prompt"] in page


def test_an_item_edited_between_sessions_is_scored_with_the_version_shown(learner_client, learner, bank):
    session = start(learner_client)
    shown = next_version_for(session)
    # The authors change the right answer after the page was shown (a new version is loaded).
    from tremplin.diagnostic.models import DiagnosticItemVersion

    data = {**shown.data, "choices": [{**c, "correct": not c.get("correct")} for c in shown.data.get("choices", [])]}
    new = DiagnosticItemVersion.objects.create(item=shown.item, version="edited", level=shown.level, kind=shown.kind,
                                               data=data, prior_difficulty=0, difficulty=0, discrimination=2)
    shown.item.current = new
    shown.item.save()
    learner_client.post(f"/apprendre/positionnement/{session.pk}/", right_form(shown, True))
    answer = DiagnosticAnswer.objects.get(session=session)
    assert answer.item_version == shown and answer.correct is True


def test_another_learners_session_is_a_404(client, learner, bank):
    other = LearnerFactory()
    client.force_login(other)
    session = DiagnosticSession.objects.create(learner=learner)
    assert client.get(f"/apprendre/positionnement/{session.pk}/").status_code == 404
    assert client.get(f"/apprendre/positionnement/{session.pk}/resultats/").status_code == 404


def test_a_retake_shows_progress_per_competence(learner_client, learner, bank):
    first = start(learner_client)
    answer_all(learner_client, first.pk, right=None)
    learner_client.post("/apprendre/positionnement/")
    second = DiagnosticSession.objects.get(status=SessionStatus.IN_PROGRESS)
    learner_client.post(f"/apprendre/positionnement/{second.pk}/vous/", {"action": "skip"})
    answer_all(learner_client, second.pk, right=True)
    text = page_text(learner_client.get(f"/apprendre/positionnement/{second.pk}/resultats/"))
    assert "Avant : Débutant. Vous avez gagné 3 niveaux. Bravo !" in text
    results = latest_results_for(learner=learner)
    assert len(results) == 8 and all(r.level == "confirme" and r.change > 0 for r in results)


def test_the_learner_can_print_a_result_sheet(learner_client, learner, bank):
    session = start(learner_client)
    answer_all(learner_client, session.pk, right=True)
    response = learner_client.get(f"/apprendre/positionnement/{session.pk}/fiche.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert f"{learner.display_name} – identifiant Tremplin : {learner.login_code_display}" in text
    results = latest_results_for(learner=learner)
    assert len(results) == 8
    for r in results:  # one row per competence: its title, then its level
        assert f"{r.title} {r.level_label}" in text, r.title


def test_question_and_result_pages_stay_under_14_kb(learner_client, learner, bank, content):
    session = start(learner_client)
    sizes = []
    for _ in range(26):
        response = learner_client.get(f"/apprendre/positionnement/{session.pk}/")
        if response.status_code == 302:
            break
        sizes.append(len(response.content))
        learner_client.post(f"/apprendre/positionnement/{session.pk}/", right_form(next_version_for(session), False))
    sizes.append(len(learner_client.get(f"/apprendre/positionnement/{session.pk}/resultats/").content))
    sizes.append(len(learner_client.get("/apprendre/").content))
    assert max(sizes) <= 14 * 1024, sizes


def test_an_accompanied_session_started_by_a_trainer_is_marked_so(learner, bank):
    from tests.factories import MembershipFactory
    from tremplin.diagnostic.services import session_start

    trainer = MembershipFactory().user
    session = session_start(learner=learner, started_by=trainer)
    assert session.mode == SessionMode.ACCOMPANIED and session.started_by == trainer
