"""POST /api/sync/: nothing lost, nothing doubled, the same events and progress as online (issue 14)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tremplin.api.keys import learner_key
from tremplin.progress.enums import ProgressStatus, Verb
from tremplin.progress.models import LearningEvent, ModuleProgress
from tremplin.progress.quiz import completion_event_id

from ..factories import LearnerFactory
from .helpers import MODULE, Queue, events_of, everything, progress_of, statuses, sync

pytestmark = pytest.mark.django_db


def step_url(number):
    return reverse("learner:step", args=[MODULE, number])


def online_journey(client):
    """test_module_journey's run through the pages: a wrong then a right answer on step 7."""
    def post(number, data):
        response = client.post(step_url(number), {"event_id": str(uuid.uuid4()), **data})
        assert response.status_code in (200, 302)

    for number in range(1, 7):
        post(number, {"action": "next"})
    post(7, {"action": "answer", "choice": "1"})
    post(7, {"action": "answer", "choice": "0"})
    post(7, {"action": "next"})
    post(8, {"action": "answer", "choice": "0"})
    post(8, {"action": "next"})
    post(9, {"action": "answer", "choice": ["0", "1"]})
    post(9, {"action": "next"})
    post(10, {"action": "answer", "rank_0": "1", "rank_1": "2", "rank_2": "3"})
    post(10, {"action": "next"})


def offline_journey() -> Queue:
    """The same actions queued on a device."""
    q = Queue()
    for number in range(1, 7):
        q.next(number)
    q.answer(7, choices=["1"])
    q.answer(7, choices=["0"])
    q.next(7)
    q.answer(8, choices=["0"])
    q.next(8)
    q.answer(9, choices=["0", "1"])
    q.next(9)
    q.answer(10, ranks=["1", "2", "3"])
    q.next(10)
    return q


def test_the_same_actions_online_and_offline_give_the_same_events_and_progress(content, client):
    online, offline = LearnerFactory(), LearnerFactory()
    client.force_login(online)
    online_journey(client)
    client.force_login(offline)
    queue = offline_journey()
    response = sync(client, offline, queue.events)
    assert statuses(response) == ["stored"] * len(queue.events)
    assert response.json()["modules"] == [{"slug": MODULE, "completed": True, "steps_done": 10, "steps": 10}]

    assert len(events_of(online)) == 16  # 10 « Suivant », 5 answers, 1 completion
    assert events_of(offline) == events_of(online)
    assert progress_of(offline) == progress_of(online)
    assert progress_of(offline)["status"] == ProgressStatus.COMPLETED and progress_of(offline)["score"] == 0.75
    # The device's clock is kept (statistics read it), the completion id derived from « Terminer » as online.
    terminer = queue.events[-1]
    completion = LearningEvent.objects.get(learner=offline, verb=Verb.COMPLETED)
    assert completion.pk == completion_event_id(uuid.UUID(terminer["id"]))
    assert completion.client_timestamp == dt.datetime.fromisoformat(terminer["at"])


def test_a_batch_sent_twice_is_stored_once(content, learner_client, learner):
    queue = offline_journey()
    assert set(statuses(sync(learner_client, learner, queue.events))) == {"stored"}
    before = everything()
    again = sync(learner_client, learner, queue.events)
    assert statuses(again) == ["duplicate"] * len(queue.events)
    assert everything() == before
    assert again.json()["modules"][0]["completed"] is True


def test_a_batch_cut_in_the_middle_and_sent_again_stores_nothing_twice(content, client):
    whole, cut = LearnerFactory(), LearnerFactory()
    client.force_login(whole)
    sync(client, whole, offline_journey().events)
    client.force_login(cut)
    queue = offline_journey()
    half = len(queue.events) // 2
    sync(client, cut, queue.events[:half])  # stored, but the answer never reached the device
    response = sync(client, cut, queue.events)  # so it sends everything again
    assert statuses(response) == ["duplicate"] * half + ["stored"] * (len(queue.events) - half)
    assert events_of(cut) == events_of(whole)
    assert progress_of(cut) == progress_of(whole)


def test_a_server_stopped_in_the_middle_of_a_sync_loses_and_doubles_nothing_once_it_is_back(content, client,
                                                                                          monkeypatch):
    from tremplin.api import sync as sync_module

    whole, cut = LearnerFactory(), LearnerFactory()
    client.force_login(whole)
    sync(client, whole, offline_journey().events)
    client.force_login(cut)
    queue = offline_journey()
    real, applied = sync_module.step_advance, []

    def dies_at_the_fifth(**kwargs):  # the process is stopped while it stores the fifth event (a deploy, a crash)
        if len(applied) == 4:
            raise SystemExit("arrêt du serveur")
        applied.append(kwargs["event_id"])
        return real(**kwargs)

    monkeypatch.setattr(sync_module, "step_advance", dies_at_the_fifth)
    with pytest.raises(SystemExit):
        sync(client, cut, queue.events)  # the device gets no answer: it keeps its whole queue
    assert LearningEvent.objects.filter(learner=cut).count() == 4  # four stored, the fifth rolled back whole
    monkeypatch.setattr(sync_module, "step_advance", real)  # the server is back
    response = sync(client, cut, queue.events)
    assert statuses(response) == ["duplicate"] * 4 + ["stored"] * (len(queue.events) - 4)
    assert events_of(cut) == events_of(whole)
    assert progress_of(cut) == progress_of(whole)


def test_batches_arriving_out_of_order_end_in_the_same_progress(content, client):
    in_order, reversed_ = LearnerFactory(), LearnerFactory()
    client.force_login(in_order)
    queue = offline_journey()
    sync(client, in_order, queue.events[:11])
    sync(client, in_order, queue.events[11:])
    client.force_login(reversed_)
    queue = offline_journey()
    first, second = queue.events[:11], queue.events[11:]  # the second holds steps 9, 10 and « Terminer »
    early = sync(client, reversed_, second)
    assert set(statuses(early)) == {"stored"}
    assert early.json()["modules"][0]["completed"] is False  # steps 1 to 8 are still on their way
    late = sync(client, reversed_, first)
    assert late.json()["modules"][0] == {"slug": MODULE, "completed": True, "steps_done": 10, "steps": 10}
    assert progress_of(reversed_) == progress_of(in_order)
    assert sorted(events_of(reversed_)) == sorted(events_of(in_order))
    assert LearningEvent.objects.filter(learner=reversed_, verb=Verb.COMPLETED).get().pk == completion_event_id(
        uuid.UUID(queue.events[-1]["id"]))


def test_a_wrong_answer_arriving_after_the_right_one_it_came_before_still_counts_as_the_first(content, client):
    in_order, reversed_ = LearnerFactory(), LearnerFactory()
    client.force_login(in_order)
    sync(client, in_order, offline_journey().events)
    client.force_login(reversed_)
    queue = offline_journey()
    sync(client, reversed_, queue.events[7:])  # step 7's right answer, then the rest of the module
    assert progress_of(reversed_)["answers"]["q-appuyer"]["first"] is True  # for now
    sync(client, reversed_, queue.events[:7])  # the phone that held step 7's earlier wrong answer comes online
    assert progress_of(reversed_) == progress_of(in_order)
    assert progress_of(reversed_)["score"] == 0.75


def test_events_of_one_batch_are_applied_in_the_order_they_happened(content, learner_client, learner):
    queue = offline_journey()
    response = sync(learner_client, learner, list(reversed(queue.events)))  # the device sent them backwards
    assert set(statuses(response)) == {"stored"}
    assert progress_of(learner)["score"] == 0.75  # step 7's wrong answer still came first
    assert progress_of(learner)["status"] == ProgressStatus.COMPLETED


def test_bad_items_are_rejected_alone_and_the_good_ones_stored(content, learner_client, learner):
    q = Queue()
    good = q.next(1)
    future = {**q.next(2), "at": (timezone.now() + dt.timedelta(minutes=10)).isoformat()}
    ancient = {**q.next(2), "at": "2019-12-31T23:00:00+00:00"}
    unknown_step = {**q.next(2), "step": "gone-in-the-new-release"}
    unknown_module = {**q.next(2), "module": "no-such-module"}
    invalid = q.answer(7, choices=["9"])
    answer_on_a_lesson = q.answer(2, choices=["0"])
    malformed = {"id": "not-a-uuid", "kind": "advance"}
    naive = {**q.next(2), "at": "2026-01-01T10:00:00"}
    response = sync(learner_client, learner, [good, future, ancient, unknown_step, unknown_module, invalid,
                                              answer_on_a_lesson, malformed, naive, "nonsense"])
    results = response.json()["results"]
    assert [(r["status"], r["code"]) for r in results] == [
        ("stored", ""), ("rejected", "bad_timestamp"), ("rejected", "bad_timestamp"), ("rejected", "unknown_step"),
        ("rejected", "unknown_step"), ("rejected", "invalid_answer"), ("rejected", "invalid_answer"),
        ("rejected", "malformed"), ("rejected", "malformed"), ("rejected", "malformed")]
    assert results[5]["detail"] == "Cette réponse n'existe pas. Choisissez dans la liste."
    assert all(r["detail"] for r in results[1:])
    assert list(LearningEvent.objects.values_list("pk", flat=True)) == [uuid.UUID(good["id"])]


def test_an_event_id_of_another_learner_is_rejected_and_theirs_untouched(content, client):
    other, me = LearnerFactory(), LearnerFactory()
    q = Queue()
    taken = q.next(1)
    client.force_login(other)
    sync(client, other, [taken])
    before = everything()
    client.force_login(me)
    response = sync(client, me, [{**taken, "step": q.steps[1].slug}, {**q.answer(7, choices=["0"]),
                                                                      "id": taken["id"]}])
    assert [r["code"] for r in response.json()["results"]] == ["event_id_taken", "event_id_taken"]
    assert everything() == before


def test_a_forged_learner_key_is_refused_and_nothing_written(content, client):
    owner, holder = LearnerFactory(), LearnerFactory()
    client.force_login(holder)
    queue = offline_journey()
    for key in (learner_key(owner), "forged", ""):
        response = sync(client, holder, queue.events, learner=key)
        assert response.status_code == 409
        assert response.json()["code"] == "other_learner"
        assert "autre personne" in response.json()["detail"]
    assert not LearningEvent.objects.exists()


def test_signed_out_the_device_is_told_to_keep_its_queue(content, client, staff):
    queue = offline_journey()
    response = sync(client, None, queue.events, learner="whatever")
    assert response.status_code == 401
    assert response.json() == {"detail": "Connectez-vous pour envoyer vos réponses.", "code": "signed_out"}
    client.force_login(staff)  # a trainer's session is not a learner's
    assert sync(client, staff, queue.events, learner="whatever").status_code == 401
    assert not LearningEvent.objects.exists()


def test_a_guest_of_open_access_syncs_like_a_learner(content, client):
    client.get(reverse("learner:step", args=[MODULE, 1]))
    client.post(reverse("learner:step", args=[MODULE, 1]), {"action": "next", "event_id": str(uuid.uuid4())})
    guest = LearningEvent.objects.get().learner
    assert guest.is_guest
    page = client.get(reverse("learner:step", args=[MODULE, 2])).content.decode()
    assert f'<meta name="tremplin-learner" content="{learner_key(guest)}">' in page
    assert statuses(sync(client, guest, [Queue().next(2)])) == ["stored"]


def test_the_csrf_header_is_required(content, learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get(reverse("learner:home"))
    queue = Queue()
    refused = sync(client, learner, [queue.next(1)])
    assert refused.status_code == 403 and refused.json()["code"] == "csrf"
    assert not LearningEvent.objects.exists()
    token = client.cookies["csrftoken"].value
    assert statuses(sync(client, learner, [queue.next(2)], HTTP_X_CSRFTOKEN=token)) == ["stored"]


def test_ten_thousand_events_are_refused_whole_without_reading_them(content, learner_client, learner):
    event = Queue().next(1)
    response = sync(learner_client, learner, [event] * 10_000)
    assert response.status_code == 413
    assert "Rien n'a été enregistré" in response.json()["detail"]
    over = sync(learner_client, learner, [{**event, "id": str(uuid.uuid4())} for _ in range(501)])
    assert over.status_code == 413 and over.json()["code"] == "too_many"
    assert not LearningEvent.objects.exists()


@pytest.mark.parametrize("body", [
    b"not json", b'{"learner": "k", "events": [', b"[]", b'{"learner": 3}', b'{"events": []}',
    b'{"learner": "k", "events": {"a": 1}}', b'{"learner": "k\\u0000", "events": []}',
    b'{"learner": "k", "events": [{"id": "\x00"}]}', "{\"learner\": \"é\"}".encode("latin-1"),
], ids=["text", "cut", "list", "number", "no-key", "dict", "escaped-nul", "raw-nul", "latin-1"])
def test_a_malformed_body_is_answered_in_french_and_writes_nothing(content, learner_client, body):
    response = learner_client.post(reverse("api:sync"), body, content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["detail"] == "Ces données ne peuvent pas être lues. Rien n'a été enregistré."
    assert not LearningEvent.objects.exists() and not ModuleProgress.objects.exists()


def test_a_form_posted_to_the_sync_is_answered_in_french(content, learner_client):
    response = learner_client.post(reverse("api:sync"), {"learner": "k", "events": "x\x00"})
    assert response.status_code == 400 and response.json()["code"] == "malformed"
    assert not LearningEvent.objects.exists()


def test_the_step_pages_still_record_the_device_clock_as_absent(content, learner_client, learner):
    learner_client.post(step_url(1), {"action": "next", "event_id": str(uuid.uuid4())})
    assert LearningEvent.objects.get(learner=learner).client_timestamp is None


def test_an_answer_synced_counts_in_the_modules_state(content, learner_client, learner):
    q = Queue()
    response = sync(learner_client, learner, [q.next(1), q.next(2), q.answer(7, choices=["0"])])
    assert response.json()["modules"] == [{"slug": MODULE, "completed": False, "steps_done": 3, "steps": 10}]
    assert json.loads(response.content)["results"][2]["status"] == "stored"


def test_a_queue_waiting_through_sign_out_and_in_is_sent_for_its_owner_only(content, client):
    owner, neighbour = LearnerFactory(), LearnerFactory()
    client.force_login(owner)
    queue = Queue()
    queue.next(1), queue.next(2)
    client.logout()  # the session expired while the phone was offline
    assert sync(client, owner, queue.events).status_code == 401
    client.force_login(neighbour)  # someone else signs in on the same phone
    assert sync(client, neighbour, queue.events, learner=learner_key(owner)).status_code == 409
    assert not LearningEvent.objects.exists()
    client.force_login(owner)
    assert statuses(sync(client, owner, queue.events)) == ["stored", "stored"]
    assert set(LearningEvent.objects.values_list("learner", flat=True)) == {owner.pk}
