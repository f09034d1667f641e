"""The duplicates page: the database finds, orders and pages the groups of look-alikes (``User.person_key``),
as the Python rule (``imports.person_key`` over the structure's active learners) did; the key stays right
after every write of a name or a birth year."""

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import EnrolmentFactory, LearnerFactory, MembershipFactory, OrganisationFactory, _learner_code
from tremplin.accounts.enums import UserKind
from tremplin.accounts.guests import guest_create, guest_keep
from tremplin.accounts.models import User, stored_person_key
from tremplin.accounts.services import learner_create, learners_bulk_create, staff_create
from tremplin.organisations.access import scope_for
from tremplin.organisations.imports import person_key
from tremplin.organisations.models import Enrolment
from tremplin.organisations.selectors import duplicate_groups_of, learners_of
from tremplin.organisations.services import learner_import_confirm, learner_import_prepare, learner_merge
from tremplin.privacy.erasure import ANONYMOUS_PREFIX, learner_erase

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def _python_groups(scope) -> list[list]:
    """The rule the page followed before the key was stored: every learner read, grouped in Python."""
    groups: dict[tuple, list] = {}
    for u in learners_of(scope=scope).order_by("date_joined", "pk"):
        groups.setdefault(person_key(u.first_name, u.last_name, u.birth_year), []).append(u.pk)
    return [g for g in groups.values() if len(g) > 1]


def _all_pages(scope, per_page: int) -> list[list]:
    found, number = [], 1
    while True:
        page = duplicate_groups_of(scope=scope, page=number, per_page=per_page)
        found += [[u.pk for u in group] for group in page]
        if not page.has_next():
            return found
        number += 1


def _keys_are_right(*users) -> bool:
    for u in User.objects.filter(pk__in=[u.pk for u in users]):
        if u.person_key != stored_person_key(u.first_name, u.last_name, u.birth_year) or not u.person_key:
            return False
    return True


@pytest.fixture
def org():
    return OrganisationFactory()


@pytest.fixture
def scope(org):
    return scope_for(user=MembershipFactory(organisation=org).user)


def _in(org, first, last="", year=None, minutes=0, **kwargs):
    learner = LearnerFactory(first_name=first, last_name=last, birth_year=year,
                             date_joined=T0 + dt.timedelta(minutes=minutes), **kwargs)
    EnrolmentFactory(learner=learner, organisation=org)
    return learner


def test_the_database_finds_the_groups_in_the_order_the_python_rule_gave(org, scope):
    other = OrganisationFactory()
    _in(org, "Hélène", "Saint-Éloi", 1960, minutes=30)
    _in(org, "helene", "SAINT  ELOI", 1960, minutes=10)
    _in(org, " Hélène ", "saint eloi", 1960, minutes=50)
    _in(org, "Hélène", "Saint-Éloi", 1961, minutes=5)  # another birth year: another person
    _in(org, "Marc", "Dupont", None, minutes=20)
    _in(org, "MARC", "dupont", None, minutes=20)  # the same instant: the pk decides, as before
    _in(org, "Marc", "Dupont", 1980, minutes=1)
    _in(org, "Léa", "Noël", 2001, minutes=2)
    _in(org, "Lea", "Noel", 2001, minutes=3, is_active=False)  # merged away: not shown
    _in(other, "LEA", "noel", 2001, minutes=0)  # another structure's look-alike: never shown
    shared = _in(other, "Zoé", "Martin", 1990, minutes=0)
    EnrolmentFactory(learner=shared, organisation=org)
    _in(org, "Zoe", "Martin", 1990, minutes=40)
    erased = _in(org, "Paul", "Roy", 1975, minutes=60)
    _in(org, "Paul", "Roy", 1975, minutes=61)
    expected = _python_groups(scope)
    assert [len(g) for g in expected] == [2, 3, 2, 2]  # Zoé (other's), Hélène, Marc, Paul
    assert _all_pages(scope, per_page=20) == _all_pages(scope, per_page=1) == expected
    learner_erase(learner_id=erased.pk, actor=None)
    assert _all_pages(scope, per_page=2) == _python_groups(scope) == expected[:3]


def test_pages_past_the_last_or_not_numbers_follow_django_s_paginator(org, scope):
    for n in range(5):
        _in(org, f"Jean{n}", "Pareil", 1970, minutes=2 * n)
        _in(org, f"JEAN{n}", "pareil", 1970, minutes=2 * n + 1)
    assert [duplicate_groups_of(scope=scope, page=n, per_page=2).number for n in ("abc", None, "2.5", "")] == [1] * 4
    assert [duplicate_groups_of(scope=scope, page=n, per_page=2).number
            for n in (0, "-1", "2", "9" * 30)] == [3, 3, 2, 3]
    last = duplicate_groups_of(scope=scope, page=99, per_page=2)
    assert (last.number, last.paginator.count, last.paginator.num_pages) == (3, 5, 3)
    assert [g[0].first_name for g in last] == ["Jean4"]
    empty = duplicate_groups_of(scope=scope_for(user=MembershipFactory().user), page="2")
    assert (empty.number, list(empty), empty.paginator.count) == (1, [], 0)


def _crowd(org, groups: int) -> None:
    users = User.objects.bulk_create([
        User(kind=UserKind.LEARNER, username=_learner_code(900_000 + 2 * groups + i), first_name=f"Double{i // 2:03d}",
             last_name="Pareil", birth_year=1980, date_joined=T0 + dt.timedelta(seconds=i)) for i in range(2 * groups)])
    Enrolment.objects.bulk_create([Enrolment(organisation=org, learner=u) for u in users])


def test_the_page_asks_the_same_number_of_queries_for_3_or_60_groups(client, org, scope):
    client.force_login(scope.user)
    client.get(reverse("trainer:duplicates"))  # the session's first request writes more than the page needs
    counts = []
    for size in (3, 60):
        Enrolment.objects.filter(organisation=org).delete()
        _crowd(org, size)
        with CaptureQueriesContext(connection) as selector:
            page = duplicate_groups_of(scope=scope, page=2 if size == 60 else 1)
            assert len(page) == min(size, 20) and all(len(g) == 2 for g in page)
        with CaptureQueriesContext(connection) as view:
            response = client.get(reverse("trainer:duplicates") + ("?page=2" if size == 60 else ""))
        assert response.status_code == 200
        counts.append((len(selector), len(view)))
    assert counts[0] == counts[1] and counts[0][0] == 2  # the page and the number of groups, then its members


def test_the_key_is_right_after_every_write_of_a_name(org):
    created = learner_create(first_name=" Élodie ", last_name="Dupré", birth_year=1985).user
    bulk = learners_bulk_create(people=[{"first_name": "Anaïs", "last_name": "Roux", "birth_year": 1999},
                                        {"first_name": "Noé"}])
    staff = staff_create(email="f@exemple.fr", first_name="Fanny", last_name="Morel")
    assert _keys_are_right(created, *bulk, staff)
    assert created.person_key == stored_person_key("elodie", "DUPRE", "1985")

    created.last_name = "Dupré-Martin"
    created.save(update_fields=["last_name"])
    bulk[0].birth_year = 2000
    User.objects.bulk_update(bulk, ["birth_year"])
    loaded = User.objects.only("id", "first_name").get(pk=bulk[1].pk)  # the others deferred
    loaded.first_name = "Noémie"
    loaded.save()
    assert _keys_are_right(created, *bulk) and User.objects.get(pk=bulk[1].pk).first_name == "Noémie"
    with pytest.raises(ValueError, match="person_key"):
        User.objects.filter(pk=created.pk).update(first_name="X")

    guest = guest_create()
    kept = guest_keep(guest=guest, first_name="Inès").user
    assert _keys_are_right(guest, kept) and User.objects.get(pk=guest.pk).person_key == stored_person_key(
        "Inès", "", None)

    trainer = MembershipFactory(organisation=org).user
    prepared = learner_import_prepare(organisation=org, created_by=trainer, filename="liste.csv",
                                      data="Prénom;Nom;Année de naissance\nRémi;Caron;1966\n".encode())
    imported = learner_import_confirm(learner_import=prepared, actor=trainer)
    assert _keys_are_right(*imported)

    twin = _in(org, "remi", "CARON", 1966)
    learner_merge(organisation=org, kept=imported[0], duplicate=twin, actor=trainer)
    assert _keys_are_right(imported[0], twin)

    erased = _in(org, "Sacha", "Blanc", 1950)
    learner_erase(learner_id=erased.pk, actor=None)
    anonymous = User.objects.filter(username__startswith=ANONYMOUS_PREFIX)
    assert not User.objects.filter(pk=erased.pk).exists() and anonymous.exists() and _keys_are_right(*anonymous)


def test_the_migration_computes_every_key_batch_by_batch(monkeypatch, org):
    backfill = importlib.import_module("tremplin.accounts.migrations.0004_user_person_key_backfill")
    people = [_in(org, f"Émile{i}", "Zola", 1900 + i) for i in range(7)]
    User.objects.filter(pk__in=[u.pk for u in people]).update(person_key="")
    monkeypatch.setattr(backfill, "BATCH", 3)
    from django.apps import apps

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    with CaptureQueriesContext(connection) as ctx:
        backfill.backfill(apps, editor)
    assert _keys_are_right(*people)
    reads = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(reads) == -(-User.objects.count() // 3) + 1  # one read a batch of 3, one more that finds none
    assert all("LIMIT 3" in q["sql"] for q in reads)
