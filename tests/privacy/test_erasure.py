"""Erasure: asked from « Mon compte » or by a trainer, it removes everything that names the person, keeps the
counts, and happens once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from tremplin.accounts.models import User
from tremplin.audit.models import AuditEntry
from tremplin.privacy import erasure
from tremplin.privacy.erasure import learner_erase, rows_about_a_learner

from ..factories import PIN, EnrolmentFactory, OrganisationFactory
from .world import rich_side, secrets_of, tables_holding

pytestmark = pytest.mark.django_db


def _figures() -> dict:
    from tremplin.stats.models import PeriodFigure
    from tremplin.stats.rollup import all_rollup

    all_rollup()
    return {(f.period, f.start, f.level, f.code, f.metric, f.key): f.value for f in PeriodFigure.objects.all()}


def _erase_from_my_account(client, learner):
    client.force_login(learner)
    assert client.get(reverse("learner:account_erase")).status_code == 200
    return client.post(reverse("learner:account_erase"), {"confirm": "oui"})


def test_after_a_learner_erases_their_account_no_table_holds_their_name_code_or_id(client, content):
    side = rich_side()
    secrets = secrets_of(side.learner)
    assert "accounts.User.username: code" in tables_holding(secrets)  # the walk finds the person before

    response = _erase_from_my_account(client, side.learner)

    assert response.status_code == 302 and response["Location"] == reverse("learner:account_erased")
    assert tables_holding(secrets) == []


def test_the_code_of_an_erased_learner_no_longer_signs_in(client, content):
    side = rich_side(marked=False)
    code = side.learner.username
    assert client.post(reverse("accounts:learner_login"), {"code": code, "pin": PIN}).status_code == 302
    client.logout()
    _erase_from_my_account(client, side.learner)

    response = client.post(reverse("accounts:learner_login"), {"code": code, "pin": PIN})

    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_erasing_a_learner_leaves_the_national_and_the_structures_figures_unchanged(client, content):
    side = rich_side(marked=False)
    before = _figures()
    assert any(key[4] == "people_reached" and key[2] == "organisation" for key in before)

    _erase_from_my_account(client, side.learner)

    assert _figures() == before


def test_an_erasure_asked_twice_erases_once_and_gives_the_same_reference(content):
    side = rich_side(marked=False)
    first = learner_erase(learner_id=side.learner.pk, actor=side.trainer, organisation=side.organisation)
    again = learner_erase(learner_id=side.learner.pk, actor=side.trainer, organisation=side.organisation)

    assert not first.already and again.already and again.reference == first.reference
    assert AuditEntry.objects.filter(action="learner.erase").count() == 1
    assert User.objects.filter(username__startswith=erasure.ANONYMOUS_PREFIX).count() == 1


def test_an_erasure_that_fails_half_way_leaves_the_person_whole(content, monkeypatch):
    side = rich_side(marked=False)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(erasure, "_sign_in_traces_delete", broken)
    with pytest.raises(RuntimeError):
        learner_erase(learner_id=side.learner.pk, actor=None)

    side.learner.refresh_from_db()
    assert side.learner.notes_about.count() == 1 and side.learner.learning_events.count() == 1
    assert not User.objects.filter(username__startswith=erasure.ANONYMOUS_PREFIX).exists()


def test_a_shared_learner_erased_at_one_structures_request_only_leaves_that_structure(content):
    from tremplin.coaching.models import Note

    side = rich_side(marked=False)
    elsewhere = OrganisationFactory(name="Maison France Services")
    EnrolmentFactory(organisation=elsewhere, learner=side.learner)

    done = learner_erase(learner_id=side.learner.pk, actor=side.trainer, organisation=side.organisation,
                         everywhere=False, requested_by="trainer")

    side.learner.refresh_from_db()
    assert not done.everywhere and side.learner.is_active
    assert list(side.learner.enrolments.values_list("organisation", flat=True)) == [elsewhere.pk]
    assert side.learner.learning_events.count() == 1  # the person's own history stays with them
    assert not Note.objects.filter(learner=side.learner).exists()


def test_every_table_about_a_learner_says_what_erasure_does_with_it():
    assert rows_about_a_learner()  # raises UndeclaredPersonalData naming the table otherwise


def test_the_walk_reads_postgresql_and_sqlite_alike():
    assert connection.vendor in {"sqlite", "postgresql"}


def test_an_erasure_during_an_import_leaves_the_file_without_the_person_and_still_unconfirmable(content):
    from tremplin.organisations.services import ImportNotReady, learner_import_confirm

    side = rich_side(marked=False)
    code = side.learner.login_code_display

    learner_erase(learner_id=side.learner.pk, actor=side.trainer, organisation=side.organisation)

    side.pending_import.refresh_from_db()
    assert code not in str(side.pending_import.errors) and len(side.pending_import.errors) == 1
    with pytest.raises(ImportNotReady):  # its error line still stops it: nobody is created half-way
        learner_import_confirm(learner_import=side.pending_import, actor=side.trainer)
