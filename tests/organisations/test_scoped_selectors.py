"""Every scoped selector × every kind of scope: own organisation (admin, trainer), another organisation, a
trainer of both organisations acting for one of them, a learner both organisations share, a membership
removed a second ago, and forged or malformed ids.

The table ``SELECTORS`` must name every public function of the selector modules that takes ``scope``:
a new selector without a row fails ``test_every_scoped_selector_has_permission_rows``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import secrets
import uuid

import pytest
from django.utils import timezone

from tremplin.coaching import selectors as coaching
from tremplin.coaching.models import Note
from tremplin.diagnostic import selectors as diagnostic
from tremplin.diagnostic.models import DiagnosticSession
from tremplin.organisations import selectors as organisations
from tremplin.organisations.access import NetworkScope, parse_id, scope_for
from tremplin.organisations.enums import MembershipRole
from tremplin.organisations.models import Enrolment, Invitation, LearnerImport, Membership, SignupLink

from ..coaching.world import build_side
from ..factories import LearnerFactory, MembershipFactory, StaffFactory

SELECTOR_MODULES = (organisations, coaching, diagnostic)


class World:
    """Two organisations ``a`` and ``b`` (see ``build_side``), a learner both follow, a trainer of both."""

    def __init__(self):
        self.a, self.b = build_side("Alpha"), build_side("Beta")
        for side in (self.a, self.b):
            side.invitation = Invitation.objects.create(
                organisation=side.organisation, email=f"invite-{side.organisation.pk}@exemple.fr",
                token_hash=secrets.token_hex(32), invited_by=side.admin,
                expires_at=timezone.now() + dt.timedelta(days=7))
            side.signup_link = SignupLink.objects.create(
                organisation=side.organisation, created_by=side.trainer, token=secrets.token_urlsafe(18),
                expires_at=timezone.now() + dt.timedelta(hours=2))
            side.learner_import = LearnerImport.objects.create(organisation=side.organisation,
                                                               created_by=side.trainer)
            side.session = DiagnosticSession.objects.create(learner=side.learner, status="completed",
                                                            completed_at=timezone.now())
        self.shared = LearnerFactory(first_name="Partagée")
        for side in (self.a, self.b):
            Enrolment.objects.create(learner=self.shared, organisation=side.organisation)
            side.shared_note = Note.objects.create(organisation=side.organisation, learner=self.shared,
                                                   author=side.trainer, text=f"Note de {side.organisation.name}")
        self.both = StaffFactory(first_name="Deux structures")
        MembershipFactory(user=self.both, organisation=self.a.organisation)
        MembershipFactory(user=self.both, organisation=self.b.organisation, role=MembershipRole.ADMIN)

    def scopes(self):
        """(label, scope, the side the scope acts for)."""
        a, b = self.a, self.b
        return [
            ("admin of a", scope_for(user=a.admin), a),
            ("trainer of a", scope_for(user=a.trainer), a),
            ("trainer of b", scope_for(user=b.trainer), b),
            ("trainer of both acting for a", scope_for(user=self.both, organisation_id=a.organisation.pk), a),
            ("trainer of both acting for b", scope_for(user=self.both, organisation_id=b.organisation.pk), b),
        ]

    def other(self, side):
        return self.b if side is self.a else self.a


@pytest.fixture
def world(content):
    return World()


def ids(objects) -> set:
    return {getattr(o, "pk", o) for o in objects}


# name → (call(scope, world, side) → what the scope sees, what it must see for ``side``).
LISTS = {
    "learners_of": (lambda s, w, side: organisations.learners_of(scope=s),
                    lambda w, side: {side.learner.pk, w.shared.pk}),
    "enrolments_of": (lambda s, w, side: [e.learner_id for e in organisations.enrolments_of(scope=s)],
                      lambda w, side: {side.learner.pk, w.shared.pk}),
    "members_of": (lambda s, w, side: [m.user_id for m in organisations.members_of(scope=s)],
                   lambda w, side: {side.trainer.pk, side.admin.pk, w.both.pk}),
    "signup_links_of": (lambda s, w, side: organisations.signup_links_of(scope=s),
                        lambda w, side: {side.signup_link.pk}),
    "learners_matching": (lambda s, w, side: coaching.learners_matching(scope=s, query=side.learner.first_name),
                          lambda w, side: {side.learner.pk}),
    "groups_of": (lambda s, w, side: coaching.groups_of(scope=s), lambda w, side: {side.group.pk}),
    "workshops_of": (lambda s, w, side: coaching.workshops_of(scope=s), lambda w, side: {side.workshop.pk}),
    "assignments_of": (lambda s, w, side: coaching.assignments_of(scope=s), lambda w, side: {side.assignment.pk}),
    "records_of": (lambda s, w, side: coaching.records_of(scope=s), lambda w, side: {side.accompaniment.pk}),
    "diagnostics_of": (lambda s, w, side: diagnostic.diagnostics_of(scope=s),
                       lambda w, side: {side.learner.pk, w.shared.pk}),
    "progress_grid": (lambda s, w, side: [r.learner for r in coaching.progress_grid(scope=s).rows],
                      lambda w, side: {side.learner.pk, w.shared.pk}),
    "progress_grid_rows": (lambda s, w, side: [r.learner for r in coaching.progress_grid_rows(scope=s).rows],
                           lambda w, side: {side.learner.pk, w.shared.pk}),
    "learner_file": (lambda s, w, side: [n.pk for n in coaching.learner_file(scope=s, learner=w.shared).notes],
                     lambda w, side: {side.shared_note.pk}),
    "organisations_following": (
        lambda s, w, side: organisations.organisations_following(scope=s, learner=w.shared),
        lambda w, side: {w.other(side).organisation.pk}),
    "duplicate_groups_of": (lambda s, w, side: [u for g in organisations.duplicate_groups_of(scope=s) for u in g],
                            lambda w, side: set()),
    "learners_needing_help": (lambda s, w, side: [x.learner for x in coaching.learners_needing_help(scope=s)],
                              lambda w, side: set()),
    "overdue_assignments": (lambda s, w, side: [o.assignment for o in coaching.overdue_assignments(scope=s)],
                            lambda w, side: set()),
    "assignments_of_learner": (
        lambda s, w, side: [a for u in (w.a.learner, w.b.learner) for a in coaching.assignments_of_learner(
            learner=u, scope=s)],
        lambda w, side: {side.assignment.pk}),
    "share_targets": (lambda s, w, side: organisations.share_targets(scope=s, learner=side.learner, name="a"),
                      lambda w, side: {w.other(side).organisation.pk}),
}
# name → (call(scope, id), attribute of a side holding the object).
ONE = {
    "learner_of": (lambda s, pk: organisations.learner_of(scope=s, learner_id=pk), "learner"),
    "group_of": (lambda s, pk: coaching.group_of(scope=s, group_id=pk), "group"),
    "workshop_of": (lambda s, pk: coaching.workshop_of(scope=s, workshop_id=pk), "workshop"),
    "assignment_of": (lambda s, pk: coaching.assignment_of(scope=s, assignment_id=pk), "assignment"),
    "record_of": (lambda s, pk: coaching.record_of(scope=s, accompaniment_id=pk), "accompaniment"),
    "note_of": (lambda s, pk: coaching.note_of(scope=s, note_id=pk), "note"),
    "signup_link_of": (lambda s, pk: organisations.signup_link_of(scope=s, link_id=pk), "signup_link"),
    "session_for": (lambda s, pk: diagnostic.session_for(scope=s, session_id=pk), "session"),
    "membership_of": (lambda s, pk: getattr(organisations.membership_of(scope=s, user_id=pk), "user", None),
                      "trainer"),
}
# Selectors with rules of their own, tested below by name.
# Referrals: own/other/forged rows for both sides in tests/trainer/test_referrals.py; workshop venues (public
# places, the structure's own first) in tests/trainer/test_workshops.py; the enrolment a form already made
# (``enrolled_with_token``: own, other, forged tokens) in tests/trainer/test_double_submits.py. A structure's grants
# to its territory's coordination (admins only, covering territories) in tests/organisations/test_coordinator_grants.py.
SPECIAL = {"grant_territories_of", "grant_territory_of", "coordinator_grants_of", "enrolled_with_token", "workshop_venues", "referrals_of", "referral_of", "referrals_sent_of", "referral_sent_of", "referral_targets",
           "referral_target", "invitations_of", "invitation_of", "learner_import_of", "learners_among", "enrolment_of",
           "enrolment_dates", "is_member", "share_target", "learner_duplicates_of", "attendance_sheet"}
FORGED = ["", "pas-un-id", "\x00", "1" * 5000, str(uuid.uuid4()), None, 42]


def test_every_scoped_selector_has_permission_rows():
    scoped = {name for module in SELECTOR_MODULES for name, fn in vars(module).items()
              if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("_")
              and "scope" in inspect.signature(fn).parameters
              and inspect.signature(fn).parameters["scope"].annotation not in (NetworkScope, "NetworkScope")}  # rows in test_network_scope
    missing = scoped - set(LISTS) - set(ONE) - SPECIAL
    assert not missing, f"add permission rows for {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_list_selector_shows_each_scope_its_own_organisation_only(world, name):
    call, expected = LISTS[name]
    for label, scope, side in world.scopes():
        got = ids(call(scope, world, side))
        assert got == expected(world, side), f"{name} for {label}"


@pytest.mark.parametrize("name", sorted(ONE))
def test_an_object_selector_finds_own_objects_and_answers_none_for_others_and_forged_ids(world, name):
    call, attribute = ONE[name]
    for label, scope, side in world.scopes():
        mine, theirs = getattr(side, attribute), getattr(world.other(side), attribute)
        assert ids([call(scope, mine.pk)]) == {mine.pk}, f"{name}: {label} must find its own"
        assert ids([call(scope, str(mine.pk))]) == {mine.pk}, f"{name}: {label} with the id as text"
        assert call(scope, theirs.pk) is None, f"{name}: {label} must not find the other organisation's"
        for forged in FORGED:
            assert call(scope, forged) is None, f"{name}: {label} with {forged!r:.20}"


def test_a_learner_both_organisations_follow_is_found_by_both_with_each_ones_own_notes(world):
    for _label, scope, side in world.scopes():
        assert organisations.learner_of(scope=scope, learner_id=world.shared.pk) == world.shared
        notes = coaching.learner_file(scope=scope, learner=world.shared).notes
        assert [n.text for n in notes] == [f"Note de {side.organisation.name}"]


def test_invitations_are_read_by_the_organisation_admins_only(world):
    a = world.a
    admin, trainer, other_admin = (scope_for(user=a.admin), scope_for(user=a.trainer),
                                   scope_for(user=world.b.admin))
    assert ids(organisations.invitations_of(scope=admin)) == {a.invitation.pk}
    assert organisations.invitation_of(scope=admin, invitation_id=a.invitation.pk) == a.invitation
    assert not organisations.invitations_of(scope=trainer).exists()
    assert organisations.invitation_of(scope=trainer, invitation_id=a.invitation.pk) is None
    assert organisations.invitation_of(scope=other_admin, invitation_id=a.invitation.pk) is None
    for forged in FORGED:
        assert organisations.invitation_of(scope=admin, invitation_id=forged) is None


def test_a_file_import_is_read_by_the_person_who_uploaded_it_only(world):
    a = world.a
    assert organisations.learner_import_of(scope=scope_for(user=a.trainer), import_id=a.learner_import.pk)
    assert organisations.learner_import_of(scope=scope_for(user=a.admin), import_id=a.learner_import.pk) is None
    assert organisations.learner_import_of(scope=scope_for(user=world.b.trainer),
                                           import_id=a.learner_import.pk) is None


def test_posted_learner_ids_keep_only_the_scope_s_learners(world):
    a, b = world.a, world.b
    scope = scope_for(user=a.trainer)
    posted = [str(a.learner.pk), str(b.learner.pk), str(world.shared.pk), "x", "\x00"]
    assert ids(organisations.learners_among(scope=scope, learner_ids=posted)) == {a.learner.pk, world.shared.pk}
    assert organisations.enrolment_of(scope=scope, learner=b.learner) is None
    assert set(organisations.enrolment_dates(scope=scope, learner_ids=[a.learner.pk, b.learner.pk])) == {a.learner.pk}
    assert organisations.is_member(scope=scope, email=a.admin.email.upper())
    assert not organisations.is_member(scope=scope, email=b.admin.email)
    assert organisations.share_target(scope=scope, learner=a.learner, organisation_id=a.organisation.pk) is None
    assert organisations.share_target(scope=scope, learner=a.learner, organisation_id=b.organisation.pk)


def test_duplicates_are_looked_for_among_the_scope_s_learners_only(world):
    a, b = world.a, world.b
    twin = LearnerFactory(first_name=b.learner.first_name, last_name=b.learner.last_name,
                          birth_year=b.learner.birth_year)
    Enrolment.objects.create(learner=twin, organisation=b.organisation)
    found = organisations.learner_duplicates_of(scope=scope_for(user=a.trainer), first_name=b.learner.first_name,
                                                last_name=b.learner.last_name, birth_year=b.learner.birth_year)
    assert found == []
    assert ids(u for g in organisations.duplicate_groups_of(scope=scope_for(user=b.trainer)) for u in g) == {
        b.learner.pk, twin.pk}


def test_the_attendance_sheet_lists_only_the_scope_s_learners(world):
    a = world.a
    people, present = coaching.attendance_sheet(scope=scope_for(user=a.trainer), workshop=a.workshop)
    assert ids(people) == {a.learner.pk} and present == {a.learner.pk}


def test_no_scope_without_a_membership_and_none_once_the_membership_is_removed(world):
    a = world.a
    assert scope_for(user=a.learner) is None
    assert scope_for(user=StaffFactory()) is None
    assert scope_for(user=a.trainer).organisation == a.organisation
    Membership.objects.filter(user=a.trainer).delete()
    assert scope_for(user=a.trainer) is None
    a.admin.is_active = False
    assert scope_for(user=a.admin) is None


def test_asking_for_an_organisation_one_is_not_a_member_of_falls_back_to_one_s_own(world):
    a, b = world.a, world.b
    assert scope_for(user=a.trainer, organisation_id=b.organisation.pk).organisation == a.organisation
    assert scope_for(user=a.trainer, organisation_id="\x00").organisation == a.organisation


def test_the_role_is_the_one_held_in_the_organisation_acted_for(world):
    assert not scope_for(user=world.both, organisation_id=world.a.organisation.pk).is_admin
    assert scope_for(user=world.both, organisation_id=world.b.organisation.pk).is_admin


def test_one_id_parser_accepts_uuids_and_nothing_else():
    pk = uuid.uuid4()
    assert parse_id(pk) == pk and parse_id(str(pk)) == pk and parse_id(str(pk).upper()) == pk
    for forged in FORGED[:-3] + [None, 42, [str(pk)], b"x"]:
        assert parse_id(forged) is None


def test_a_trainer_removed_from_an_organisation_loses_access_on_the_next_request(world, client):
    from django.urls import reverse

    a = world.a
    client.force_login(a.trainer)
    assert a.learner.first_name in client.get(reverse("trainer:learners")).content.decode()
    Membership.objects.filter(user=a.trainer, organisation=a.organisation).delete()
    response = client.get(reverse("trainer:learners"))
    assert response.status_code == 403 and a.learner.first_name not in response.content.decode()
    url = reverse("trainer:followup_learner", args=[a.learner.pk])
    assert client.get(url).status_code == 403


def test_a_trainer_of_two_organisations_sees_the_learners_of_the_one_chosen_only(world, client):
    from django.urls import reverse

    client.force_login(world.both)
    client.post(reverse("trainer:organisation_switch"), {"organisation": world.a.organisation.pk})
    assert client.get(reverse("trainer:diagnostic_learner", args=[world.a.learner.pk])).status_code == 200
    assert client.get(reverse("trainer:diagnostic_learner", args=[world.b.learner.pk])).status_code == 404
    assert client.get(reverse("trainer:followup_learner", args=[world.b.learner.pk])).status_code == 404
