"""List pages make as many queries for an organisation three times bigger: no query per row.

Two organisations are built once for this file: « Petite » with N of everything (learners with
progress, a diagnostic, notes and records; groups, workshops with attendance, assignments, sign-up
links, trainers and invitations) and « Grande » with 3N. Each list page is opened by each
organisation's admin (or one of its learners) through the test client, and must list every row
while making the same number of queries (and no more than a ceiling, so a page cannot get slower
for everyone either). Pages are named by URL; the views behind them may change freely.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tremplin.catalog.models import Module, Track
from tremplin.coaching.enums import AccompanimentType, TypeLieu
from tremplin.coaching.services import (
    AccompanimentInput,
    accompaniment_record,
    assignment_create,
    attendance_record,
    group_create,
    note_add,
    workshop_create,
)
from tremplin.organisations.enums import MembershipRole
from tremplin.organisations.models import Invitation, SignupLink
from tremplin.progress.enums import ObjectType, Verb
from tremplin.progress.services import event_record
from tremplin.simulators.enums import Mode
from tremplin.simulators.models import Simulator
from tremplin.simulators.services import attempt_finish, attempt_start

from .conftest import page_text
from .factories import EnrolmentFactory, LearnerFactory, MembershipFactory, OrganisationFactory, StaffFactory

N = 2


@dataclass
class Org:
    """One organisation and the markers of everything it holds, to check that a page lists it all."""

    name: str
    size: int
    admin: object = None
    learner: object = None  # the learner whose own pages are measured
    names: dict[str, list[str]] = field(default_factory=dict)
    track: object = None  # a track of ``size`` modules, the learner having started each of them


def _build(name: str, size: int, modules: list[Module]) -> Org:
    org = OrganisationFactory(name=name)
    world = Org(name, size)
    world.admin = MembershipFactory(organisation=org, role=MembershipRole.ADMIN,
                                    user=StaffFactory(first_name=f"Responsable{name}")).user
    today = timezone.localdate()
    names = world.names = {k: [] for k in ("learner", "trainer", "group", "workshop", "signup", "invitation")}
    learners = []
    for i in range(size):
        trainer = MembershipFactory(organisation=org, user=StaffFactory(first_name=f"Formateur{name}{i}")).user
        names["trainer"].append(trainer.first_name)
        learner = EnrolmentFactory(organisation=org, learner=LearnerFactory(first_name=f"Apprenant{name}{i}")).learner
        names["learner"].append(learner.first_name)
        learners.append(learner)
        group = group_create(organisation=org, name=f"Groupe{name}{i}", members=[learner], created_by=trainer)
        names["group"].append(group.name)
        workshop = workshop_create(organisation=org, created_by=trainer, title=f"Atelier{name}{i}", date=today,
                                   start_time=dt.time(9 + i % 8, 0), duration_minutes=90, theme="email", group=group)
        names["workshop"].append(workshop.title)
        attendance_record(workshop=workshop, present=[learner], recorded_by=trainer)
        assignment_create(organisation=org, created_by=trainer, module=modules[i % len(modules)], group=group)
        assignment_create(organisation=org, created_by=trainer, module=modules[(i + 1) % len(modules)],
                          learner=learner)
        note_add(organisation=org, learner=learner, author=trainer, text=f"Note {i}")
        accompaniment_record(organisation=org, mediateur=trainer, data=AccompanimentInput(
            type=AccompanimentType.INDIVIDUEL, date=today - dt.timedelta(days=i), duree=30,
            type_lieu=TypeLieu.LIEU_ACTIVITE, thematiques=["email"], materiel=["ordinateur"], learner=learner))
        for module in modules:
            event_record(learner=learner, event_id=uuid.uuid4(),
                         verb=Verb.COMPLETED, object_type=ObjectType.MODULE, object_id=module.slug, module=module)
        link = SignupLink.objects.create(organisation=org, created_by=trainer, token=secrets.token_urlsafe(18),
                                         label=f"Inscription{name}{i}", expires_at=timezone.now() + dt.timedelta(days=2))
        names["signup"].append(link.label)
        invitation = Invitation.objects.create(organisation=org, email=f"invite{name}{i}@exemple.fr".lower(),
                                               token_hash=secrets.token_hex(32), invited_by=world.admin,
                                               expires_at=timezone.now() + dt.timedelta(days=7))
        names["invitation"].append(invitation.email)
    world.learner = learners[0]
    # The measured learner: more assignments, progress in a track of `size` modules, simulator attempts.
    world.track = Track.objects.create(slug=f"parcours-{name.lower()}", title=f"Parcours{name}", summary="",
                                       journey=modules[0].track.journey, order=50 + size)
    extra = []
    for i in range(size):
        module = Module.objects.create(slug=f"module-{name.lower()}-{i}", track=world.track, position=i,
                                       title=f"Module{name}{i}", summary="", duration_minutes=10,
                                       checked_on=today, content_version="v1")
        extra.append(module)
        event_record(learner=world.learner, event_id=uuid.uuid4(),
                     verb=Verb.EXPERIENCED, object_type=ObjectType.STEP, object_id=f"{module.slug}/intro",
                     module=module)
        assignment_create(organisation=org, created_by=world.admin, module=module, learner=world.learner)
    names["module"] = [m.title for m in extra]
    for simulator in list(Simulator.objects.filter(is_active=True).order_by("position"))[:size]:
        for mode in (Mode.GUIDED, Mode.PRACTICE):
            attempt_finish(attempt=attempt_start(learner=world.learner, simulator=simulator, mode=mode))
    return world


def _with_diagnostics(worlds: list[Org]) -> None:
    """A completed diagnostic for every learner: one typed in through the service, copied for the others
    (the pages measured only read sessions and their results)."""
    from tremplin.accounts.models import User
    from tremplin.diagnostic.models import DiagnosticSession
    from tremplin.diagnostic.selectors import paper_form_versions
    from tremplin.diagnostic.services import paper_session_record

    names = [name for world in worlds for name in world.names["learner"]]
    learners = {u.first_name: u for u in User.objects.filter(first_name__in=names)}
    first = paper_session_record(learner=learners[names[0]], trainer=worlds[0].admin,
                                 answers={v.item.slug: 0 for v in paper_form_versions()})
    DiagnosticSession.objects.bulk_create([
        DiagnosticSession(learner=learners[name], mode=first.mode, started_by=first.started_by, status=first.status,
                          profile=first.profile, results=first.results, completed_at=first.completed_at)
        for name in names[1:]])


@pytest.fixture(scope="module")
def orgs(django_db_setup, django_db_blocker, loaded_rows):
    """« Petite » (N of everything) and « Grande » (3N), built once for the file, rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        for name in ("fixture_content", "real_bank", "real_simulators"):
            loaded_rows(name).restore()
        modules = list(Module.objects.filter(is_active=True).select_related("track"))
        small, big = _build("Petite", N, modules), _build("Grande", 3 * N, modules)
        _with_diagnostics([small, big])
        yield SimpleNamespace(small=small, big=big)
        transaction.set_rollback(True)


@pytest.fixture
def worlds(orgs, db):
    return orgs


def _measure(user, url) -> tuple[int, str]:
    client = Client()
    client.force_login(user)
    client.get(url)  # warm up: the first request of a user may fill per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), page_text(response)


# page → (URL name, which rows it must list, ceiling of queries: measured in December 2026 + 4 for headroom)
TRAINER_PAGES = {
    "learners list": ("trainer:learners", "learner", 12),
    "groups": ("trainer:group_list", "group", 9),
    "workshops": ("trainer:workshop_list", "workshop", 10),
    "assignments": ("trainer:assignment_list", "group", 9),
    "follow-up grid": ("trainer:followup_grid", "learner", 14),
    "records list": ("trainer:record_list", "learner", 10),
    "diagnostic overview": ("trainer:diagnostic_overview", "learner", 10),
    "signup links": ("trainer:signup_links", "signup", 9),
    "organisation members": ("trainer:organisation", "trainer", 10),
    # The learner pickers: one page of a search (50 at most), so every learner of these small worlds shows.
    "new group form": ("trainer:group_create", "learner", 11),
    "assignment form": ("trainer:assignment_create", "learner", 14),
}
# The follow-up grid's other shapes (issue 15): sorted by need, filtered by status, and its CSV export.
GRID_VARIANTS = {
    "follow-up grid, needs help first": "?tri=help",
    "follow-up grid, by status": "?statut=not_started",
    "follow-up grid, by last activity": "?tri=activity",
}
# Known to grow with the organisation (the lead owns these views): page → reason, until fixed.
GROWS: dict[str, str] = {}  # page → why its count still grows (an xfail, until the page is fixed)


@pytest.mark.parametrize("page", list(TRAINER_PAGES))
def test_a_trainer_list_page_makes_as_many_queries_for_an_organisation_three_times_bigger(worlds, page):
    url_name, rows, ceiling = TRAINER_PAGES[page]
    _assert_same_count(worlds, page, visitor=lambda w: w.admin, url_of=lambda w: reverse(url_name), rows=rows,
                       ceiling=ceiling)


def _assert_same_count(worlds, page, *, visitor, url_of, rows, ceiling):
    """The page lists every row for both worlds, with as many queries for N as for 3N rows, under a ceiling."""
    counts = {}
    for world in (worlds.small, worlds.big):
        url = url_of(world)
        counts[world.size], text = _measure(visitor(world), url)
        if rows:
            missing = [name for name in world.names[rows] if name not in text]
            assert not missing, f"{page} ({url}) does not list {missing}"
    if counts[N] != counts[3 * N] and page in GROWS:
        pytest.xfail(GROWS[page])
    assert counts[N] == counts[3 * N], f"{page}: {counts[N]} queries for {N} rows, {counts[3 * N]} for {3 * N}"
    assert counts[3 * N] <= ceiling, f"{page}: {counts[3 * N]} queries (at most {ceiling})"


@pytest.mark.parametrize("page", list(GRID_VARIANTS))
def test_the_follow_up_grid_sorted_or_filtered_makes_as_many_queries_for_an_organisation_three_times_bigger(
        worlds, page):
    _assert_same_count(worlds, page, visitor=lambda w: w.admin, rows=None, ceiling=14,
                       url_of=lambda w: reverse("trainer:followup_grid") + GRID_VARIANTS[page])


def test_the_follow_up_grid_export_makes_as_many_queries_for_an_organisation_three_times_bigger(worlds):
    counts = {}
    for world in (worlds.small, worlds.big):
        client = Client()
        client.force_login(world.admin)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("trainer:followup_export"))
        assert response.status_code == 200
        text = response.content.decode()
        assert all(name in text for name in world.names["learner"])
        counts[world.size] = len(ctx.captured_queries)
    assert counts[N] == counts[3 * N] <= 14, counts


def test_a_group_s_page_with_its_learner_picker_makes_as_many_queries_for_an_organisation_three_times_bigger(
        worlds):
    from tremplin.coaching.models import Group

    _assert_same_count(worlds, "group page", visitor=lambda w: w.admin, rows="learner", ceiling=15,
                       url_of=lambda w: reverse("trainer:group_detail",
                                                args=[Group.objects.get(name=w.names["group"][0]).pk]))


def test_the_organisation_page_lists_pending_invitations_without_a_query_each(worlds):
    url = reverse("trainer:organisation")
    counts = {}
    for world in (worlds.small, worlds.big):
        counts[world.size], text = _measure(world.admin, url)
        assert all(email in text for email in world.names["invitation"]), url
    assert counts[N] == counts[3 * N]


def _first_step(w) -> str:
    module = Module.objects.filter(steps__isnull=False, is_active=True).order_by("pk").first()
    return reverse("learner:step", args=[module.slug, 1])


LEARNER_PAGES = {
    # page → (URL builder, what it must list, ceiling: measured + 1). Hot paths (issue 15): the home and track
    # pages read the curriculum from memory (one query for the content release) and the learner's progress columns.
    "learner home": (lambda w: reverse("learner:home"), "module", 7),
    "track page": (lambda w: reverse("learner:track", args=[w.track.slug]), "module", 6),
    "step page": (_first_step, None, 4),
    "simulators list": (lambda w: reverse("learner:simulators"), None, 8),
}


@pytest.mark.parametrize("page", list(LEARNER_PAGES))
def test_a_learner_list_page_makes_as_many_queries_with_three_times_more_progress_and_assignments(worlds, page):
    url_of, rows, ceiling = LEARNER_PAGES[page]
    _assert_same_count(worlds, page, visitor=lambda w: w.learner, url_of=url_of, rows=rows, ceiling=ceiling)


def test_the_learner_home_makes_as_many_queries_with_three_times_more_tracks(worlds):
    """The catalogue grows too: the home page lists every track with its count of modules done."""
    world = worlds.small
    before, _text = _measure(world.learner, reverse("learner:home"))
    journey = world.track.journey
    for i in range(2 * N):
        track = Track.objects.create(slug=f"parcours-en-plus-{i}", title=f"ParcoursEnPlus{i}", summary="",
                                     journey=journey, order=100 + i)
        Module.objects.create(slug=f"module-en-plus-{i}", track=track, title=f"ModuleEnPlus{i}", summary="",
                              duration_minutes=10, checked_on=timezone.localdate(), content_version="v1")
    after, text = _measure(world.learner, reverse("learner:home"))
    assert all(f"ParcoursEnPlus{i}" in text for i in range(2 * N))
    if after != before and "learner home (tracks)" in GROWS:
        pytest.xfail(GROWS["learner home (tracks)"])
    assert after == before, f"learner home: {before} queries, {after} with {2 * N} more tracks"
