import datetime as dt
import uuid

import pytest
from django.urls import reverse

from tremplin.progress.enums import ProgressStatus, Verb
from tremplin.progress.models import LearningEvent, ModuleProgress
from tremplin.progress.services import progress_rebuild

from ..conftest import page_text
from ..pdf import pdf_text

pytestmark = pytest.mark.django_db

MODULE = "ecran-tactile"


def step_url(number):
    return reverse("learner:step", args=[MODULE, number])


def post_next(client, number, event_id=None):
    return client.post(step_url(number), {"action": "next", "event_id": str(event_id or uuid.uuid4())})


def answer(client, number, data, event_id=None):
    return client.post(step_url(number), {"action": "answer", "event_id": str(event_id or uuid.uuid4()), **data})


def test_a_learner_completes_a_module_with_a_wrong_then_a_right_answer(content, learner_client, learner):
    for number in range(1, 7):  # 6 explanation and recap steps
        response = post_next(learner_client, number)
        assert response.status_code == 302
    wrong = answer(learner_client, 7, {"choice": "1"})
    assert "Ce n'est pas la bonne réponse" in page_text(wrong)
    assert "Un seul petit contact du doigt" in page_text(wrong)
    right = answer(learner_client, 7, {"choice": "0"})
    assert "Bravo, c'est la bonne réponse" in page_text(right)
    post_next(learner_client, 7)
    answer(learner_client, 8, {"choice": "0"})
    post_next(learner_client, 8)
    answer(learner_client, 9, {"choice": ["0", "1"]})
    post_next(learner_client, 9)
    order = answer(learner_client, 10, {"rank_0": "1", "rank_1": "2", "rank_2": "3"})
    assert "Bravo" in page_text(order)
    done = post_next(learner_client, 10)
    assert done["Location"] == reverse("learner:module_complete", args=[MODULE])

    progress = ModuleProgress.objects.get(learner=learner, module__slug=MODULE)
    assert progress.status == ProgressStatus.COMPLETED
    assert progress.score == 0.75  # 3 of 4 right the first time
    page = page_text(learner_client.get(done["Location"]))
    assert "Bonnes réponses du premier coup : 3 sur 4" in page

    # The attestation names the person, the module and the day it was completed (set apart from today's).
    ModuleProgress.objects.filter(pk=progress.pk).update(
        completed_at=dt.datetime(2026, 3, 14, 10, 0, tzinfo=dt.UTC))
    pdf = learner_client.get(reverse("learner:attestation", args=[MODULE]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf)
    assert f"Tremplin atteste que {learner.display_name} a terminé le module « {progress.module.title} »" in text
    assert f"du parcours {progress.module.track.title}." in text
    assert "Module terminé le 14 mars 2026." in text


def test_posting_the_same_form_twice_records_one_event(content, learner_client, learner):
    event_id = uuid.uuid4()
    post_next(learner_client, 1, event_id)
    post_next(learner_client, 1, event_id)
    assert LearningEvent.objects.filter(learner=learner).count() == 1


def test_home_offers_to_resume_the_module_in_progress(content, learner_client):
    post_next(learner_client, 1)
    post_next(learner_client, 2)
    home = page_text(learner_client.get(reverse("learner:home")))
    assert "Reprendre où vous en étiez" in home
    module_page = page_text(learner_client.get(reverse("learner:module", args=[MODULE])))
    assert step_url(3) in module_page


def test_an_answer_that_does_not_exist_is_refused_in_french_and_records_nothing(content, learner_client, learner):
    response = answer(learner_client, 7, {"choice": "99"})
    assert response.status_code == 400
    assert "Cette réponse n'existe pas" in page_text(response)
    assert not LearningEvent.objects.filter(learner=learner).exists()


def test_an_empty_answer_asks_to_choose(content, learner_client):
    response = answer(learner_client, 7, {})
    assert response.status_code == 400
    assert "Choisissez une réponse" in page_text(response)


def test_an_order_answer_with_a_number_used_twice_is_refused(content, learner_client):
    response = answer(learner_client, 10, {"rank_0": "1", "rank_1": "1", "rank_2": "3"})
    assert response.status_code == 400
    assert "Donnez un numéro différent" in page_text(response)


def test_a_tampered_event_id_gets_a_clear_message(content, learner_client):
    response = learner_client.post(step_url(1), {"action": "next", "event_id": "pas-un-uuid"})
    assert response.status_code == 400
    assert "Rien n'est perdu" in page_text(response)


def test_an_event_id_of_another_learner_is_not_reused(content, client, learner):
    from tests.factories import LearnerFactory

    other = LearnerFactory()
    event_id = uuid.uuid4()
    client.force_login(other)
    post_next(client, 1, event_id)
    client.force_login(learner)
    response = post_next(client, 1, event_id)
    assert response.status_code == 400
    assert not LearningEvent.objects.filter(learner=learner).exists()


def test_an_unknown_module_gives_a_french_404(content, learner_client):
    response = learner_client.get(reverse("learner:module", args=["n-existe-pas"]))
    assert response.status_code == 404
    assert "Cette page n'existe pas" in page_text(response)


def test_a_step_number_out_of_range_gives_a_404(content, learner_client):
    assert learner_client.get(step_url(99)).status_code == 404
    assert learner_client.get(step_url(0)).status_code == 404


def test_the_attestation_is_not_given_before_the_module_is_completed(content, learner_client):
    response = learner_client.get(reverse("learner:attestation", args=[MODULE]))
    assert response.status_code == 302


def test_anonymous_visitors_learn_without_an_account_but_are_sent_to_sign_in_for_what_names_them(content, client):
    assert client.get(reverse("learner:home")).status_code == 200  # open access (ADR 10)
    response = client.get(reverse("learner:attestation", args=["ecran-tactile"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:learner_login"))


def test_staff_cannot_use_learner_screens(content, client, staff):
    client.force_login(staff)
    response = client.get(reverse("learner:home"))
    assert response.status_code == 403
    assert "réservé aux apprenants" in page_text(response)


def test_picture_questions_show_each_image_with_its_text_alternative(content, learner_client):
    page = page_text(learner_client.get(reverse("learner:step", args=["images-et-ordre", 3])))
    assert 'alt="Une flèche vers le haut sur un écran."' in page
    assert 'type="radio"' in page


def test_module_images_are_served_with_a_long_cache(content, learner_client):
    page = page_text(learner_client.get(reverse("learner:step", args=["images-et-ordre", 1])))
    src = page.split('<figure><img src="')[1].split('"')[0]
    response = learner_client.get(src)
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "immutable" in response["Cache-Control"]


def test_progress_rebuilt_from_events_equals_live_progress(content, learner_client, learner):
    for number in range(1, 7):
        post_next(learner_client, number)
    answer(learner_client, 7, {"choice": "1"})
    answer(learner_client, 7, {"choice": "0"})
    live = ModuleProgress.objects.get(learner=learner)
    progress_rebuild()
    rebuilt = ModuleProgress.objects.get(learner=learner)
    assert (rebuilt.status, rebuilt.furthest_position, rebuilt.answers) == (
        live.status, live.furthest_position, live.answers)
    assert rebuilt.answers["q-appuyer"] == {"first": False, "last": True}
    assert LearningEvent.objects.filter(verb=Verb.ANSWERED).count() == 2


def test_finishing_the_last_step_without_the_others_gives_no_completion_and_no_attestation(
        content, learner_client, learner):
    response = post_next(learner_client, 10)
    assert response.status_code == 302
    assert response["Location"] == step_url(1)
    progress = ModuleProgress.objects.get(learner=learner, module__slug=MODULE)
    assert progress.status != ProgressStatus.COMPLETED
    assert not LearningEvent.objects.filter(learner=learner, verb=Verb.COMPLETED).exists()
    page = page_text(learner_client.get(response["Location"]))
    assert "Il vous reste cette étape à faire avant de terminer le module." in page
    assert learner_client.get(reverse("learner:module_complete", args=[MODULE])).status_code == 302
    assert learner_client.get(reverse("learner:attestation", args=[MODULE])).status_code == 302


def test_a_question_passed_without_an_answer_must_be_answered_before_the_module_ends(
        content, learner_client, learner):
    for number in range(1, 7):
        post_next(learner_client, number)
    post_next(learner_client, 7)  # « Suivant » forged on a question never answered
    for number in (8, 9, 10):
        answer(learner_client, number, {"choice": "0"} if number == 8 else
               {"choice": ["0", "1"]} if number == 9 else {"rank_0": "1", "rank_1": "2", "rank_2": "3"})
        response = post_next(learner_client, number)
    assert response["Location"] == step_url(7)
    assert not ModuleProgress.objects.get(learner=learner).is_completed

    answer(learner_client, 7, {"choice": "2"})  # wrong still counts as answered
    response = post_next(learner_client, 10)
    assert response["Location"] == reverse("learner:module_complete", args=[MODULE])
    progress = ModuleProgress.objects.get(learner=learner)
    assert progress.is_completed
    assert progress.score == 0.75


def test_a_forged_finish_on_a_module_already_completed_keeps_it_completed(content, learner_client, learner):
    for number in range(1, 11):
        if number == 7:
            answer(learner_client, 7, {"choice": "0"})
        elif number == 8:
            answer(learner_client, 8, {"choice": "0"})
        elif number == 9:
            answer(learner_client, 9, {"choice": ["0", "1"]})
        elif number == 10:
            answer(learner_client, 10, {"rank_0": "1", "rank_1": "2", "rank_2": "3"})
        response = post_next(learner_client, number)
    assert response["Location"] == reverse("learner:module_complete", args=[MODULE])
    again = post_next(learner_client, 10)
    assert again["Location"] == reverse("learner:module_complete", args=[MODULE])
    assert ModuleProgress.objects.get(learner=learner).is_completed
