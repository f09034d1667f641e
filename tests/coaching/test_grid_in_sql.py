"""The follow-up grid filtered by status or sorted « besoin d'aide d'abord » is filtered, counted, sorted and paged by
the database (issue 15): its rows and their order are those of the rule in Python (``follow_status`` on each
assigned cell, a stable sort by the number of cells « besoin d'aide »), for every status × sort × group, on the
screen page by page and in the export; with a fixed number of queries whatever the number of learners."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tremplin.catalog.models import Module, Track
from tremplin.coaching import selectors
from tremplin.coaching.enums import FollowStatus
from tremplin.coaching.selectors import follow_status, learners_needing_help, progress_grid, progress_grid_rows
from tremplin.coaching.services import assignment_create, group_create
from tremplin.organisations.access import scope_for
from tremplin.progress.enums import ProgressStatus
from tremplin.progress.models import ModuleProgress

from ..factories import EnrolmentFactory, LearnerFactory, MembershipFactory, OrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db

STATUSES = ["", *FollowStatus.values]
NOW = timezone.now()


def _module(track: Track, slug: str, position: int, *, active: bool = True) -> Module:
    return Module.objects.create(slug=slug, track=track, position=position, title=slug, summary="",
                                 duration_minutes=5, checked_on=dt.date(2026, 1, 1), content_version="1",
                                 is_active=active)


def _wrong(n: int, right: int = 0) -> dict:
    answers = {f"faux{i}": {"first": False, "last": True} for i in range(n)}
    return answers | {f"juste{i}": {"first": True, "last": True} for i in range(right)}


def _progress(learner, module, status=ProgressStatus.IN_PROGRESS, *, days_ago: float | None = 0, wrong: int = 0):
    ModuleProgress.objects.create(
        learner=learner, module=module, status=status, answers=_wrong(wrong, right=1),
        last_activity_at=None if days_ago is None else NOW - dt.timedelta(days=days_ago))


class World:
    """Two tracks (one given whole to a group, one given whole to a learner), modules given alone to a group and
    to a learner, an inactive module, progress of every kind, some on modules not given to the learner (a column
    for others: it must not count), a module given by another organisation, people with the same name."""

    def __init__(self) -> None:
        first, second = Track.objects.order_by("order", "slug")[:2]
        a = Module.objects.filter(track=first).first()
        b, c = _module(first, "grille-b", 50), _module(first, "grille-c", 51)
        inactive = _module(first, "grille-inactif", 52, active=False)
        d = Module.objects.filter(track=second).first()
        e = _module(second, "grille-e", 50)
        self.org = OrganisationFactory()
        trainer = MembershipFactory(organisation=self.org, user=StaffFactory()).user
        self.scope = scope_for(user=trainer, organisation_id=self.org.pk)
        names = ["Zoé", "Adam", "Léa", "Léa", "Léa", "Bruno", "Chloé", "Émile", "Inès", "Hugo", "Yann", "Marc"]
        people = [EnrolmentFactory(organisation=self.org, learner=LearnerFactory(
            first_name=name, last_name="Martin" if name == "Léa" else "Grille")).learner for name in names]
        self.people = people
        self.g1 = group_create(organisation=self.org, name="Matin", members=people[0:6], created_by=trainer)
        self.g2 = group_create(organisation=self.org, name="Soir", members=people[4:9], created_by=trainer)
        give = dict(organisation=self.org, created_by=trainer)
        late = assignment_create(**give, track=first, group=self.g1)
        type(late).objects.filter(pk=late.pk).update(due_date=timezone.localdate(NOW) - dt.timedelta(1))
        assignment_create(**give, module=d, group=self.g2)
        assignment_create(**give, module=b, learner=people[9])
        assignment_create(**give, track=second, learner=people[10])
        assignment_create(**give, module=inactive, learner=people[11])
        # Another organisation follows people[1] too and gives them e: not a cell of this grid.
        other = OrganisationFactory()
        EnrolmentFactory(organisation=other, learner=people[1])
        assignment_create(organisation=other, created_by=MembershipFactory(organisation=other).user, module=e,
                          learner=people[1])
        done = ProgressStatus.COMPLETED
        for who, module, status, kwargs in [
            (0, a, done, {}), (0, b, None, dict(days_ago=20)), (0, d, None, dict(wrong=3)),  # d: not given to 0
            (1, a, None, dict(wrong=2)), (1, b, None, dict(wrong=1)), (1, e, None, dict(days_ago=30)),
            (2, a, None, dict(days_ago=None)), (2, c, done, {}),
            (4, a, None, dict(days_ago=14.05)), (4, d, None, dict(wrong=2)), (4, c, None, dict(days_ago=None, wrong=2)),
            (5, a, None, dict(days_ago=13.9, wrong=1)), (5, b, ProgressStatus.NOT_STARTED, {}),
            (6, d, done, dict(wrong=4)), (7, d, None, dict(days_ago=40, wrong=5)), (8, a, None, dict(days_ago=20)),
            (9, b, None, dict(days_ago=15)), (9, a, done, {}), (10, d, done, {}), (10, e, None, dict(wrong=2)),
            (11, inactive, None, dict(days_ago=20)), (3, e, None, dict(days_ago=20)),
        ]:
            _progress(people[who], module, status or ProgressStatus.IN_PROGRESS, **kwargs)


@pytest.fixture
def world(content):
    return World()


def _every_row(world, group, sort) -> list:
    """Every row of the grid (no filter; the database's order by name or by activity), each assigned cell checked
    against ``follow_status`` on its progress row (the answers JSON, not the column)."""
    base = progress_grid_rows(scope=world.scope, group=group, sort="activity" if sort == "activity" else "name",
                              now=NOW)
    rows = list(base.rows)
    progress = {(p.learner_id, p.module_id): p for p in ModuleProgress.objects.all()}
    for row in rows:
        for module, cell in zip(base.columns, row.cells, strict=True):
            if cell.assigned:
                assert cell.status == follow_status(progress.get((row.learner.pk, module.pk)), now=NOW)
    return rows


def _python_rule(rows: list, status, sort) -> list:
    """The rows as the rule says: filtered in Python, sorted stably by the number of cells « besoin d'aide »."""
    def count(row, wanted) -> int:
        return sum(1 for c in row.cells if c.status == wanted)

    if status:
        rows = [r for r in rows if count(r, status)]
    if sort == "help":
        rows.sort(key=lambda r: -count(r, FollowStatus.NEEDS_HELP))
    return [(r.learner.pk, [c.status for c in r.cells]) for r in rows]


@pytest.mark.parametrize("sort", selectors.GRID_SORTS)
@pytest.mark.parametrize("group", [None, "g1", "g2"])
def test_every_status_and_sort_gives_the_rows_of_the_python_rule_in_its_order_on_every_page_and_in_the_export(
        world, group, sort, monkeypatch):
    monkeypatch.setattr(selectors, "GRID_PAGE", 5)
    chosen = getattr(world, group) if group else None
    every = _every_row(world, chosen, sort)
    for status in STATUSES:
        expected = _python_rule(every, status, sort)
        exported = progress_grid_rows(scope=world.scope, group=chosen, status=status, sort=sort, now=NOW)
        assert [(r.learner.pk, [c.status for c in r.cells]) for r in exported.rows] == expected, (status, sort)
        screen, number = [], 1
        while True:
            grid = progress_grid(scope=world.scope, group=chosen, status=status, sort=sort, now=NOW, page=number)
            assert grid.page.paginator.count == len(expected)
            screen += [(r.learner.pk, [c.status for c in r.cells]) for r in grid.rows]
            if not grid.page.has_next():
                break
            number += 1
        assert screen == expected, (status, sort)
    assert expected  # the world is not empty for this group


def test_the_world_holds_every_case_the_rule_distinguishes(world):
    """Guards the test above: counts taken by the rule in Python, whatever the database did."""
    rows = {r[0]: r[1] for r in _python_rule(_every_row(world, None, "name"), "", "name")}
    help_counts = sorted((cells.count(FollowStatus.NEEDS_HELP) for cells in rows.values()), reverse=True)
    assert help_counts[0] > help_counts[1] == help_counts[2] > 0  # ties in the sort by need
    for status in FollowStatus.values:
        assert any(status in cells for cells in rows.values()), status
    assert rows[world.people[11].pk] == [""] * len(next(iter(rows.values())))  # only an inactive module: no cell
    assert any("" in cells for cells in rows.values())  # unassigned cells


def test_the_stuck_modules_on_the_trainer_home_are_those_of_the_rule(world):
    expected = {(p.learner_id, p.module_id) for p in ModuleProgress.objects.select_related("module")
                if p.module.is_active and follow_status(p, now=NOW) == FollowStatus.NEEDS_HELP}
    found = learners_needing_help(scope=world.scope, now=NOW, limit=50)
    assert {(s.learner.pk, s.module.pk) for s in found} == expected
    assert len(learners_needing_help(scope=world.scope, now=NOW, limit=2)) == 2


def test_the_grid_filtered_or_sorted_by_need_makes_as_many_queries_for_twice_the_learners(world):
    def counts() -> dict:
        out = {}
        for status in STATUSES:
            for sort in selectors.GRID_SORTS:
                with CaptureQueriesContext(connection) as ctx:
                    progress_grid(scope=world.scope, status=status, sort=sort, now=NOW, page=1)
                out[status, sort] = len(ctx.captured_queries)
        return out

    before = counts()
    more = [EnrolmentFactory(organisation=world.org, learner=LearnerFactory()).learner for _ in range(12)]
    world.g1.members.add(*more[:6])
    world.g2.members.add(*more[6:])
    module = Module.objects.filter(is_active=True).first()
    for i, learner in enumerate(more):
        _progress(learner, module, days_ago=20 if i % 2 else 0, wrong=i % 3)
    assert counts() == before
    assert set(before.values()) == {6}, before  # assignments, modules, members, the page, its groups and cells


def test_a_page_past_the_last_or_not_a_number_gives_the_last_or_the_first_as_django_s_pager_does(world, monkeypatch):
    monkeypatch.setattr(selectors, "GRID_PAGE", 2)
    expected = _python_rule(_every_row(world, None, "help"), FollowStatus.NEEDS_HELP, "help")
    ask = dict(scope=world.scope, status=FollowStatus.NEEDS_HELP, sort="help", now=NOW)
    last = progress_grid(**ask, page=99)
    assert last.page.number == last.page.paginator.num_pages == (len(expected) + 1) // 2
    assert [r.learner.pk for r in last.rows] == [pk for pk, _cells in expected][(last.page.number - 1) * 2:]
    for odd, number in (("deux", 1), ("", 1), (None, 1), (0, last.page.number), (-3, last.page.number),
                        ("9" * 30, last.page.number), (10**19, last.page.number)):  # past any SQL offset
        assert progress_grid(**ask, page=odd if odd is not None else "x").page.number == number, odd
    nobody = group_create(organisation=world.org, name="Personne", members=[], created_by=None)
    empty = progress_grid(scope=world.scope, group=nobody, status=FollowStatus.COMPLETED, sort="help", now=NOW,
                          page=1)
    assert empty.rows == [] and empty.page.number == 1 and empty.page.paginator.count == 0
