"""Issue 10, point 7: a creating form sent twice (a double tap, a slow network, « renvoyer ») writes one row.

Every creating form carries a hidden ``token`` (a UUID made when the form is shown), stored in ``client_token``
on the row it creates. The second submit answers as the first did (a redirect, or the learner's page for an
enrolment: the PIN is shown once); a token that another organisation used gets a French error and writes
nothing. Two « nouveau groupe » with the same name at the same moment: the database refuses the second one
(unique on organisation + lower(name)) and the trainer reads « Un groupe porte déjà ce nom. », not a 500.
"""

from __future__ import annotations

import re
import uuid
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from tremplin.coaching import services
from tremplin.coaching.models import Accompaniment, Assignment, Group, Note, Workshop
from tremplin.organisations.access import scope_for
from tremplin.organisations.models import Enrolment
from tremplin.organisations.selectors import enrolled_with_token

from ..coaching.world import build_side
from ..conftest import page_text

pytestmark = pytest.mark.django_db

STALE = "Ce formulaire n'est plus valable. Rechargez la page."


@pytest.fixture
def other(side):
    """A second organisation, whose rows carry tokens of their own."""
    return build_side("B")


def _group(side):
    return {"name": "Groupe du soir", "members": [side.learner.pk]}


def _workshop(side):
    return {"title": "Atelier du lundi", "date": timezone.localdate().isoformat(), "start_time": "10:00",
            "duration_minutes": "90", "theme": "email", "level": "debutant", "group": side.group.pk}


def _assignment(side):
    return {"content": f"module:{side.assignment.module.slug}", "target": f"learner:{side.learner.pk}"}


def _record(side):
    return {"type": "individuel", "date": timezone.localdate().isoformat(), "duree": "30",
            "type_lieu": "lieu_activite", "thematiques": ["email"], "learner": side.learner.pk,
            "beneficiaire_genre": "non_communique", "beneficiaire_tranche_age": "non_communique",
            "beneficiaire_statut_social": "non_communique"}


def _note(side):
    return {"text": "Revient jeudi avec son avis d'imposition."}


# name → (url of the form, url it posts to, body, model, where the first submit goes)
FORMS = {
    "group": (lambda s: reverse("trainer:group_create"), lambda s: reverse("trainer:group_create"), _group, Group,
              lambda s, row: reverse("trainer:group_detail", args=[row.pk])),
    "workshop": (lambda s: reverse("trainer:workshop_create"), lambda s: reverse("trainer:workshop_create"),
                 _workshop, Workshop, lambda s, row: reverse("trainer:workshop_detail", args=[row.pk])),
    "assignment": (lambda s: reverse("trainer:assignment_create"), lambda s: reverse("trainer:assignment_create"),
                   _assignment, Assignment, lambda s, row: reverse("trainer:assignment_list")),
    "record": (lambda s: reverse("trainer:record_create"), lambda s: reverse("trainer:record_create"), _record,
               Accompaniment, lambda s, row: reverse("trainer:record_detail", args=[row.pk])),
    "note": (lambda s: reverse("trainer:followup_learner", args=[s.learner.pk]),
             lambda s: reverse("trainer:note_add", args=[s.learner.pk]), _note, Note,
             lambda s, row: reverse("trainer:followup_learner", args=[s.learner.pk])),
}


def _token_of(response) -> str:
    found = re.findall(r'<input type="hidden" name="token" value="([0-9a-f-]{36})"', response.content.decode())
    assert len(found) == 1, "the form must carry one hidden token"
    return found[0]


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_form_shown_twice_carries_a_new_token_each_time(trainer_client, side, name):
    page, _post, _body, _model, _next = FORMS[name]
    first, second = _token_of(trainer_client.get(page(side))), _token_of(trainer_client.get(page(side)))
    assert first != second


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_same_form_sent_twice_creates_one_row_and_answers_twice_as_a_success(trainer_client, side, name):
    page, post, body, model, next_url = FORMS[name]
    data = {**body(side), "token": _token_of(trainer_client.get(page(side)))}
    before = model.objects.count()
    first = trainer_client.post(post(side), data)
    second = trainer_client.post(post(side), data)
    assert model.objects.count() == before + 1
    row = model.objects.get(client_token=data["token"])
    assert row.organisation == side.organisation
    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"] == next_url(side, row)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_token_another_organisation_used_writes_nothing_and_says_so_in_french(trainer_client, side, other,
                                                                                 name):
    page, post, body, model, _next = FORMS[name]
    their_token = _token_of(trainer_client.get(page(side)))
    other_client = trainer_client.__class__()
    other_client.force_login(other.trainer)
    theirs = other_client.post(post(other), {**body(other), "token": their_token})
    assert theirs.status_code == 302
    their_row = model.objects.get(client_token=their_token)
    before = list(model.objects.filter(organisation=side.organisation).values_list("pk", flat=True))

    response = trainer_client.post(post(side), {**body(side), "token": their_token})

    assert response.status_code == 400
    assert STALE in page_text(response)
    assert list(model.objects.filter(organisation=side.organisation).values_list("pk", flat=True)) == before
    assert model.objects.get(client_token=their_token).pk == their_row.pk


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_token_that_is_not_a_uuid_is_a_french_error_not_a_crash(trainer_client, side, name):
    _page, post, body, model, _next = FORMS[name]
    before = model.objects.count()
    response = trainer_client.post(post(side), {**body(side), "token": "pas-un-jeton\x00"})
    assert response.status_code == 400 and STALE in page_text(response)
    assert model.objects.count() == before


def test_a_form_without_a_token_still_works_as_before(trainer_client, side):
    """A page loaded before this change (no hidden token) still creates its row."""
    response = trainer_client.post(reverse("trainer:group_create"), _group(side))
    assert response.status_code == 302
    assert Group.objects.get(name="Groupe du soir").client_token is None


# --- enrolment: the PIN is shown once ------------------------------------------------------------------------


def _enrol_body(client):
    token = _token_of(client.get(reverse("trainer:learner_enrol")))
    return {"first_name": "Nadia", "last_name": "Benali", "birth_year": "1980", "token": token}


def test_an_enrolment_sent_twice_enrols_one_person_and_shows_their_page_the_second_time(trainer_client, side):
    data = _enrol_body(trainer_client)
    first = trainer_client.post(reverse("trainer:learner_enrol"), data)
    assert first.status_code == 200 and "Nadia" in page_text(first)
    enrolment = Enrolment.objects.get(client_token=data["token"])

    second = trainer_client.post(reverse("trainer:learner_enrol"), data, follow=True)

    assert Enrolment.objects.filter(organisation=side.organisation, learner__first_name="Nadia").count() == 1
    assert second.redirect_chain == [(reverse("trainer:learner_account", args=[enrolment.learner_id]), 302)]
    text = page_text(second)
    assert "Cette personne est déjà inscrite" in text
    assert "Sa carte attend dans « Cartes à imprimer »." in text


def test_an_enrolment_sent_again_after_its_card_was_printed_does_not_promise_a_card(trainer_client, side):
    data = _enrol_body(trainer_client)
    trainer_client.post(reverse("trainer:learner_enrol"), data)
    trainer_client.post(reverse("trainer:cards_forget"))
    text = page_text(trainer_client.post(reverse("trainer:learner_enrol"), data, follow=True))
    assert "Cette personne est déjà inscrite" in text and "Cartes à imprimer »." not in text
    assert Enrolment.objects.filter(organisation=side.organisation, learner__first_name="Nadia").count() == 1


def test_an_enrolment_token_that_is_not_a_uuid_is_a_french_error(trainer_client, side):
    response = trainer_client.post(reverse("trainer:learner_enrol"), {"first_name": "Nadia", "token": "x"})
    assert response.status_code == 400 and STALE in page_text(response)
    assert not Enrolment.objects.filter(learner__first_name="Nadia").exists()


def test_an_enrolment_token_another_organisation_used_enrols_nobody(trainer_client, side, other):
    data = _enrol_body(trainer_client)
    other_client = trainer_client.__class__()
    other_client.force_login(other.trainer)
    assert other_client.post(reverse("trainer:learner_enrol"), data).status_code == 200
    before = Enrolment.objects.count()

    response = trainer_client.post(reverse("trainer:learner_enrol"), data)

    assert response.status_code == 400 and STALE in page_text(response)
    assert Enrolment.objects.count() == before
    assert not Enrolment.objects.filter(organisation=side.organisation, learner__first_name="Nadia").exists()


def test_the_other_tap_of_an_enrolment_gets_the_same_learner_without_a_pin(side):
    """Both taps passed the screen's check: the service gives the first learner back, with no PIN to show."""
    from tremplin.organisations.services import learner_enrol

    token = uuid.uuid4()
    kwargs = {"organisation": side.organisation, "created_by": side.trainer, "first_name": "Nadia",
              "client_token": token}
    first, second = learner_enrol(**kwargs), learner_enrol(**kwargs)
    assert first.pin and not second.pin
    assert second.user == first.user
    assert Enrolment.objects.filter(client_token=token).count() == 1


def test_the_enrolment_token_selector_finds_its_own_enrolments_only(side, other):
    from tremplin.organisations.services import learner_enrol

    token = uuid.uuid4()
    new = learner_enrol(organisation=side.organisation, created_by=side.trainer, first_name="Nadia",
                        client_token=token)
    assert enrolled_with_token(scope=scope_for(user=side.trainer), client_token=token) == new.user
    assert enrolled_with_token(scope=scope_for(user=side.trainer), client_token=str(token)) == new.user
    assert enrolled_with_token(scope=scope_for(user=other.trainer), client_token=token) is None
    for forged in (None, "", "pas-un-id", "\x00", str(uuid.uuid4()), 42):
        assert enrolled_with_token(scope=scope_for(user=side.trainer), client_token=forged) is None


# --- groups: two « nouveau groupe » with the same name at the same moment ----------------------------------


def test_two_groups_with_the_same_name_in_the_race_window_give_a_french_error_not_a_500(side):
    services.group_create(organisation=side.organisation, name="Les lundis", members=[], created_by=side.trainer,
                          client_token=uuid.uuid4())
    # Both requests passed the « already a group with this name? » check before either wrote.
    with mock.patch.object(QuerySet, "exists", return_value=False), pytest.raises(ValidationError) as caught:
        services.group_create(organisation=side.organisation, name="les LUNDIS", members=[side.learner],
                              created_by=side.trainer, client_token=uuid.uuid4())
    assert caught.value.message_dict == {"name": ["Un groupe porte déjà ce nom."]}
    assert Group.objects.filter(organisation=side.organisation, name__iexact="les lundis").count() == 1


def test_the_losing_group_form_in_the_race_window_shows_the_french_message(trainer_client, side):
    services.group_create(organisation=side.organisation, name="Les lundis", members=[], created_by=side.trainer)
    with mock.patch.object(QuerySet, "exists", return_value=False):
        response = trainer_client.post(reverse("trainer:group_create"),
                                       {"name": "Les lundis", "token": str(uuid.uuid4())})
    assert response.status_code == 400
    assert "Un groupe porte déjà ce nom." in page_text(response)


def test_two_organisations_may_name_a_group_the_same(side, other):
    services.group_create(organisation=side.organisation, name="Les lundis", members=[], created_by=side.trainer)
    services.group_create(organisation=other.organisation, name="Les lundis", members=[], created_by=other.trainer)
    assert Group.objects.filter(name="Les lundis").count() == 2


def test_the_other_tap_that_passed_the_check_gets_the_first_row_back(side):
    """Both taps read « no row with this token » before either wrote: the unique column stops the second one,
    and the service answers with the first row."""
    token = uuid.uuid4()
    first = services.note_add(organisation=side.organisation, learner=side.learner, author=side.trainer,
                              text="Revient jeudi.", client_token=token)
    real, seen = services._already_created, []

    def too_early(model, **kwargs):
        seen.append(model)
        return None if len(seen) == 1 else real(model, **kwargs)

    with mock.patch.object(services, "_already_created", too_early):
        second = services.note_add(organisation=side.organisation, learner=side.learner, author=side.trainer,
                                   text="Revient jeudi.", client_token=token)
    assert second == first and len(seen) == 2
    assert Note.objects.filter(client_token=token).count() == 1
