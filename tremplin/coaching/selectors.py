"""Reads of coaching data. Every tenant read takes the request's ``scope`` (``organisations.access``) and
filters with ``tenant_q``; nothing here accepts an id without the scope that must own it."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Case, Count, F, Max, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from tremplin.accounts.models import User
from tremplin.catalog.models import Module
from tremplin.diagnostic.selectors import latest_results_for
from tremplin.lib.paging import OneQueryPaginator
from tremplin.organisations.access import Scope, parse_id, tenant_q
from tremplin.organisations.models import Organisation
from tremplin.organisations.selectors import learners_of
from tremplin.progress.enums import ObjectType, ProgressStatus
from tremplin.progress.models import LearningEvent, ModuleProgress, wrong_first_count

from .enums import STUCK_AFTER_DAYS, STUCK_WRONG_FIRST_ANSWERS, FollowStatus
from .models import Accompaniment, Assignment, Attendance, Group, Note, Referral, Workshop

# --- groups and workshops ---------------------------------------------------------------------

def groups_of(*, scope: Scope) -> QuerySet[Group]:
    return Group.objects.filter(tenant_q(scope)).annotate(n_members=Count("members", distinct=True))


def group_of(*, scope: Scope, group_id) -> Group | None:
    pk = parse_id(group_id)
    return Group.objects.filter(tenant_q(scope), pk=pk).first() if pk else None


def workshops_of(*, scope: Scope, on: date | None = None, since: date | None = None,
                 until: date | None = None) -> QuerySet[Workshop]:
    qs = (Workshop.objects.filter(tenant_q(scope)).select_related("group")
          .annotate(n_present=Count("attendances", distinct=True)))
    if on is not None:
        qs = qs.filter(date=on)
    if since is not None:
        qs = qs.filter(date__gte=since)
    if until is not None:
        qs = qs.filter(date__lte=until)
    return qs


def workshop_of(*, scope: Scope, workshop_id) -> Workshop | None:
    pk = parse_id(workshop_id)
    return Workshop.objects.filter(tenant_q(scope), pk=pk).select_related("group").first() if pk else None


def learners_matching(*, scope: Scope, query: str = "", exclude: Iterable = ()) -> QuerySet[User]:
    """The scope's learners whose first name, last name or login code contains ``query`` (all when empty),
    without ``exclude`` (the ones already chosen): what a learner picker pages through."""
    qs = learners_of(scope=scope)
    query = (query or "").replace("\x00", "").strip()[:100]
    if query:
        qs = qs.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query)
                       | Q(username__icontains=query.replace("-", "").replace(" ", "").upper()))
    exclude = list(exclude)
    if exclude:
        qs = qs.exclude(pk__in=exclude)
    return qs


def attendance_sheet(*, scope: Scope, workshop: Workshop) -> tuple[list[User], set]:
    """The learners to tick (group members, then anyone already marked present) and who is present."""
    present = set(Attendance.objects.filter(workshop=workshop).values_list("learner_id", flat=True))
    members = list(workshop.group.members.order_by("first_name", "last_name")) if workshop.group else []
    known = {m.pk for m in members}
    extra = list(learners_of(scope=scope).filter(pk__in=present - known))
    return members + extra, present


# --- assignments --------------------------------------------------------------------------------

def assignments_of(*, scope: Scope) -> QuerySet[Assignment]:
    return (Assignment.objects.filter(tenant_q(scope))
            .select_related("track", "module", "module__track", "group", "learner"))


def assignment_of(*, scope: Scope, assignment_id) -> Assignment | None:
    pk = parse_id(assignment_id)
    return assignments_of(scope=scope).filter(pk=pk).first() if pk else None


@dataclass
class _Expanded:
    """Assignments unfolded into (learner, module) pairs."""

    modules: dict[int, Module] = field(default_factory=dict)
    # learner id -> module id -> earliest due date (None when none); learners with the same assignments share one
    # dict (read it, never change it)
    due: dict[uuid.UUID, dict[int, date | None]] = field(default_factory=dict)
    # assignment id -> (learner ids, module ids)
    per_assignment: dict[uuid.UUID, tuple[set, list[int]]] = field(default_factory=dict)


def _expand(assignments: list[Assignment], *, learner_ids: set | None = None) -> _Expanded:
    """Three queries at most, whatever the number of assignments (track modules, group members).

    ``learner_ids``: the due dates of these learners only (a page of the grid); every learner's when None."""
    out = _Expanded()
    track_ids = {a.track_id for a in assignments if a.track_id}
    track_modules: dict[int, list[Module]] = defaultdict(list)
    if track_ids:
        for m in Module.objects.filter(track_id__in=track_ids, is_active=True).select_related("track").order_by(
                "track__order", "position"):
            track_modules[m.track_id].append(m)
    group_ids = {a.group_id for a in assignments if a.group_id}
    members: dict[uuid.UUID, set] = defaultdict(set)
    if group_ids:
        for gid, uid in Group.members.through.objects.filter(group_id__in=group_ids).values_list("group_id",
                                                                                                 "user_id"):
            members[gid].add(uid)
    for a in assignments:
        if a.track_id:
            mods = track_modules[a.track_id]
        else:
            mods = [a.module] if a.module is not None and a.module.is_active else []
        who: set = members[a.group_id] if a.group_id else {a.learner_id}
        out.per_assignment[a.pk] = (who, [m.pk for m in mods])
        for m in mods:
            out.modules[m.pk] = m
    _fill_due(out, assignments, learner_ids)
    return out


def _fill_due(out: _Expanded, assignments: list[Assignment], learner_ids: set | None) -> None:
    """``out.due`` for these learners (everyone's when None). Learners given the same assignments (a group's
    members) share one dict of due dates, computed once: no work per learner × module."""
    applies: dict[uuid.UUID, list[int]] = defaultdict(list)  # learner -> indexes of the assignments given to them
    for i, a in enumerate(assignments):
        who, mods = out.per_assignment[a.pk]
        if mods:
            for uid in (who if learner_ids is None else who & learner_ids):
                applies[uid].append(i)
    merged: dict[tuple[int, ...], dict[int, date | None]] = {}
    for uid, indexes in applies.items():
        key = tuple(indexes)
        if key not in merged:
            due: dict[int, date | None] = {}
            for i in indexes:
                a_due = assignments[i].due_date
                for mid in out.per_assignment[assignments[i].pk][1]:
                    current = due.get(mid, a_due)
                    if mid not in due or (a_due and (current is None or a_due < current)):
                        due[mid] = a_due
            merged[key] = due
        out.due[uid] = merged[key]


# --- following ----------------------------------------------------------------------------------

def follow_status(progress: ModuleProgress | None, *, now: datetime | None = None) -> str:
    """Our rule for "needs help": in progress and either idle for 14 days or 2+ wrong first answers."""
    if progress is None:
        return FollowStatus.NOT_STARTED
    return _follow_status(progress.status, progress.last_activity_at, wrong_first_count(progress.answers), now=now)


def _idle_since(now: datetime) -> datetime:
    return now - timedelta(days=STUCK_AFTER_DAYS)


def _follow_status(status: str, last_activity_at: datetime | None, wrong_first: int, *,
                   now: datetime | None) -> str:
    """``follow_status`` on a progress row's values (``wrong_first``: its ``wrong_first_answers``).
    ``_cell_q`` is the same rule for the database: change both together."""
    if status == ProgressStatus.NOT_STARTED:
        return FollowStatus.NOT_STARTED
    if status == ProgressStatus.COMPLETED:
        return FollowStatus.COMPLETED
    now = now or timezone.now()
    if last_activity_at is not None and last_activity_at < _idle_since(now):
        return FollowStatus.NEEDS_HELP
    if wrong_first >= STUCK_WRONG_FIRST_ANSWERS:
        return FollowStatus.NEEDS_HELP
    return FollowStatus.IN_PROGRESS


def _cell_q(status: str, now: datetime, *, prefix: str = "") -> Q:
    """The progress rows (through ``prefix``) whose follow status is ``status`` (completed, needs help or in
    progress): ``_follow_status`` as a condition for the database (a row's status is one of the three; a missing
    row, or one not started, is « pas commencé »: see ``_cells_counted``)."""
    def q(**lookups) -> Q:
        return Q(**{prefix + key: value for key, value in lookups.items()})

    if status == FollowStatus.COMPLETED:
        return q(status=ProgressStatus.COMPLETED)
    idle = _idle_since(now)
    if status == FollowStatus.NEEDS_HELP:
        return q(status=ProgressStatus.IN_PROGRESS) & (
            q(last_activity_at__lt=idle) | q(wrong_first_answers__gte=STUCK_WRONG_FIRST_ANSWERS))
    return q(status=ProgressStatus.IN_PROGRESS, wrong_first_answers__lt=STUCK_WRONG_FIRST_ANSWERS) & (
        q(last_activity_at__gte=idle) | q(last_activity_at__isnull=True))


STATUS_CSS: dict[str, str] = {FollowStatus.COMPLETED: "status-done", FollowStatus.NEEDS_HELP: "status-help",
              FollowStatus.IN_PROGRESS: "status-doing"}


@dataclass
class Cell:
    assigned: bool
    status: str = ""
    due_date: date | None = None
    late: bool = False
    label: str = ""  # the status in words (translated once per grid, not once per cell)
    css: str = ""


@dataclass
class Row:
    learner: User
    groups: list[str]
    cells: list[Cell]
    last_activity: datetime | None


@dataclass
class Grid:
    columns: list[Module]
    rows: list[Row]
    page: Any = None  # the screen's page (django.core.paginator.Page); None for the export


@dataclass
class GridRows:
    """The whole grid for the export: its rows read while they are written."""

    columns: list[Module]
    rows: Iterable[Row]


GRID_SORTS = ("name", "activity", "help")


GRID_PAGE = 50


GRID_BATCH = 500  # learners whose cells are read together (the export and the filtered screen go batch by batch)


@dataclass
class _GridPlan:
    learners: QuerySet[User]
    assignments: list[Assignment]
    expanded: _Expanded
    columns: list[Module]
    counted: QuerySet[User]  # the same learners, without what only sorts them: what the pager counts


class _GridPaginator(OneQueryPaginator):
    """The grid's page and its number of learners in one query (the filter by status is computed once, not once to
    count and again for the page). Past the last page: ``counted`` (the learners without the aggregates that only
    sort them) is counted."""

    def __init__(self, plan: _GridPlan) -> None:
        super().__init__(plan.learners, GRID_PAGE)
        self._counted = plan.counted

    @cached_property
    def count(self) -> int:
        return self._counted.count()


def _grid_plan(scope: Scope, group: Group | None, sort: str, status: str, now: datetime) -> _GridPlan:
    """The learners to list, filtered by ``status`` and in the order of ``sort`` by the database (a queryset, not
    read yet: names and last activity only), and the columns: the modules given to them (with a group: given to
    the group or to one of its members)."""
    learners_qs = learners_of(scope=scope).only("id", "first_name", "last_name", "username")
    if group is not None:
        learners_qs = learners_qs.filter(coaching_groups=group)
    # The grid reads an assignment's target ids, due date and module (its learner and group rows are not shown).
    assignments = list(Assignment.objects.filter(tenant_q(scope)).select_related("module", "module__track"))
    expanded = _expand(assignments, learner_ids=set())  # the due dates: only for the learners shown
    given = [(who, mods) for who, mods in expanded.per_assignment.values() if who and mods]
    if group is not None:
        members = set(Group.members.through.objects.filter(group=group).values_list("user_id", flat=True))
        given = [(who, mods) for who, mods in given if not who.isdisjoint(members)]
    column_ids = {mid for _who, mods in given for mid in mods}
    columns = sorted((expanded.modules[mid] for mid in column_ids),
                     key=lambda m: (m.track.order, m.track.slug, m.position))
    # Computed by the database over the progress rows, in one annotate() (the aggregates share one join).
    counted: dict[str, Any] = {}
    order = learners_qs.query.order_by
    if sort == "activity":  # sorted on the learners' latest progress (by name: read with the cells)
        counted["last_activity"] = Max("module_progress__last_activity_at")
        order = (F("last_activity").desc(nulls_last=True), *order)
    terms = _given_terms(scope, assignments, expanded, column_ids)
    if status in FollowStatus.values:  # the learners with at least one cell in this status
        if not terms:
            learners_qs = learners_qs.none()
        else:
            counted["grid_status"] = _cells_counted(terms, status, now)
    if sort == "help" and terms:  # most cells « besoin d'aide » first; the same order within the same count
        counted["grid_help"] = _cells_counted(terms, FollowStatus.NEEDS_HELP, now)
        order = (F("grid_help").desc(), *order)
    shown, to_count = learners_qs, learners_qs
    if counted:
        shown = shown.annotate(**counted)
    if "grid_status" in counted:
        more_than_none = {"grid_status__gt": 0}  # (an annotation the type checker cannot see)
        shown = shown.filter(**more_than_none)
        to_count = to_count.annotate(grid_status=counted["grid_status"]).filter(**more_than_none)
    return _GridPlan(learners=shown.order_by(*order), assignments=assignments, expanded=expanded,
                     columns=columns, counted=to_count)


# (learners, module ids): these columns are given to the learners who match the condition (a ``Q`` on ``User``)
_Term = tuple[Q, list[int]]


def _given_terms(scope: Scope, assignments: list[Assignment], expanded: _Expanded, column_ids: set[int]) \
        -> list[_Term]:
    """The grid's assignments as conditions the database can evaluate for every learner at once: one term for
    each track given whole (its modules among the columns) and one for each module given alone; a term's learners
    are those of its assignments, directly or as members of their groups (two uncorrelated subqueries, read once
    a query). A learner is given a column when one term holding the column matches them: ``_expand``'s rule (an
    assignment is a track or a module, for a group or a learner; columns are active modules)."""
    terms: list[_Term] = []
    for track_id in sorted({a.track_id for a in assignments if a.track_id}):
        mods = sorted(mid for mid in column_ids if expanded.modules[mid].track_id == track_id)
        if mods:
            terms.append((_given_to(scope, track_id=track_id), mods))
    for module_id in sorted({a.module_id for a in assignments if a.module_id} & column_ids):
        terms.append((_given_to(scope, module_id=module_id), [module_id]))
    return terms


def _given_to(scope: Scope, **target) -> Q:
    """The learners (a condition on ``User``) given ``target`` (a track or a module) by the scope's assignments."""
    theirs = Assignment.objects.filter(tenant_q(scope), **target)
    members = Group.members.through.objects.filter(group_id__in=theirs.values("group_id")).values("user_id")
    return Q(pk__in=theirs.values("learner_id")) | Q(pk__in=members)


def _cells_counted(terms: list[_Term], status: str, now: datetime) -> Any:
    """An aggregate on ``User``: how many of the learner's cells (columns given to them) have this follow status."""
    given = Q()
    for who, mods in terms:
        given |= Q(module_progress__module_id__in=mods) & who
    if status != FollowStatus.NOT_STARTED:
        return Count("module_progress", filter=given & _cell_q(status, now, prefix="module_progress__"))
    # « Pas commencé »: the columns given, less those with a progress row begun (a missing row is not started).
    begun = Count("module_progress", filter=given & Q(module_progress__status__in=[ProgressStatus.IN_PROGRESS,
                                                                                    ProgressStatus.COMPLETED]))
    return _given_count(terms) - begun


def _given_count(terms: list[_Term]) -> Any:
    """How many columns are given to the learner: the columns sharing the same terms counted together, once."""
    holders: dict[int, list[int]] = defaultdict(list)  # column -> the terms holding it
    for i, (_who, mods) in enumerate(terms):
        for mid in mods:
            holders[mid].append(i)
    together: dict[tuple[int, ...], int] = defaultdict(int)
    for terms_of_column in holders.values():
        together[tuple(terms_of_column)] += 1
    total: Any = Value(0)
    for held_by, n in together.items():
        who = Q()
        for i in held_by:
            who |= terms[i][0]
        total = total + Case(When(who, then=Value(n)), default=Value(0))
    return total


def progress_grid(*, scope: Scope, group: Group | None = None, status: str = "",
                  sort: str = "name", now: datetime | None = None, page: int | str | None = None) -> Grid:
    """Learners × assigned modules. A fixed number of queries whatever the size (tested).

    ``page`` (the screen): 50 learners a page. The database filters by status, sorts (by name, last activity or
    « besoin d'aide d'abord ») and pages; only the page's learners are read and their cells built.
    ``page=None``: every row (the CSV export goes through ``progress_grid_rows`` instead, batch by batch)."""
    now = now or timezone.now()
    plan = _grid_plan(scope, group, sort, status, now)
    if page is None:
        return Grid(columns=plan.columns, rows=list(_grid_rows(scope, list(plan.learners), plan, now=now)))
    shown = _GridPaginator(plan).get_page(page)
    return Grid(columns=plan.columns, rows=list(_grid_rows(scope, list(shown), plan, now=now)), page=shown)


def progress_grid_rows(*, scope: Scope, group: Group | None = None, status: str = "", sort: str = "name",
                       now: datetime | None = None) -> GridRows:
    """Every row of the grid for the export, as an iterator: the learners filtered and sorted by the database
    (as the screen's), their cells read ``GRID_BATCH`` learners at a time."""
    now = now or timezone.now()
    plan = _grid_plan(scope, group, sort, status, now)
    return GridRows(columns=plan.columns, rows=_grid_rows(scope, list(plan.learners), plan, now=now))


def _grid_rows(scope: Scope, learners: list[Any], plan: _GridPlan, *, now: datetime) -> Iterator[Row]:
    """The rows of these learners, ``GRID_BATCH`` at a time: two queries a batch (groups, progress rows)."""
    today = timezone.localdate(now)
    labels = {value: str(label) for value, label in FollowStatus.choices}
    unassigned = Cell(assigned=False)
    made: dict[tuple[str, date | None], Cell] = {}
    for start in range(0, len(learners), GRID_BATCH):
        batch = learners[start:start + GRID_BATCH]
        ids = [u.pk for u in batch]
        _fill_due(plan.expanded, plan.assignments, set(ids))
        group_names: dict[uuid.UUID, list[str]] = defaultdict(list)
        for uid, name in Group.members.through.objects.filter(tenant_q(scope, "group__organisation"),
                                                              user_id__in=ids) \
                .order_by("group__name").values_list("user_id", "group__name"):
            group_names[uid].append(name)
        statuses, latest = _cell_statuses(ids, {m.pk for m in plan.columns}, now=now)
        for u in batch:
            if not hasattr(u, "last_activity"):  # not sorted on it: read with the cells
                u.last_activity = latest.get(u.pk)
        for u in batch:
            mine = plan.expanded.due.get(u.pk, {})
            theirs = statuses.get(u.pk, {})
            cells = []
            for m in plan.columns:
                if m.pk not in mine:
                    cells.append(unassigned)
                    continue
                st = theirs.get(m.pk, FollowStatus.NOT_STARTED)
                due = mine[m.pk]
                cell = made.get((st, due))
                if cell is None:  # cells are values: one object per (status, due date) in the whole grid
                    cell = made[(st, due)] = Cell(
                        assigned=True, status=st, due_date=due, label=labels[st], css=STATUS_CSS.get(st, ""),
                        late=bool(due and due < today and st != FollowStatus.COMPLETED))
                cells.append(cell)
            yield Row(learner=u, groups=group_names[u.pk], cells=cells, last_activity=u.last_activity)
        plan.expanded.due.clear()


def _cell_statuses(learner_ids: list, columns: set[int], *,
                   now: datetime) -> tuple[dict[Any, dict[int, str]], dict[Any, datetime]]:
    """({learner id: {module id: follow status}}, {learner id: latest activity}) from the progress rows' status,
    date and count of wrong first answers (every module's, for the latest activity; no JSON read)."""
    if not learner_ids:
        return {}, {}
    out: dict[Any, dict[int, str]] = defaultdict(dict)
    latest: dict[Any, datetime] = {}
    for lid, mid, st, last, wrong in ModuleProgress.objects.filter(learner_id__in=learner_ids).values_list(
            "learner_id", "module_id", "status", "last_activity_at", "wrong_first_answers"):
        if last is not None and (lid not in latest or last > latest[lid]):
            latest[lid] = last
        if mid in columns:
            out[lid][mid] = _follow_status(st, last, wrong, now=now)
    return out, latest


@dataclass
class Stuck:
    learner: User
    module: Module
    last_activity: datetime | None


def learners_needing_help(*, scope: Scope, now: datetime | None = None, limit: int = 20) -> list[Stuck]:
    """In-progress modules that match the "needs help" rule (``_cell_q``, in the database), most idle first."""
    now = now or timezone.now()
    stuck = (ModuleProgress.objects.filter(tenant_q(scope, "learner__enrolments__organisation"),
                                           _cell_q(FollowStatus.NEEDS_HELP, now), learner__is_active=True,
                                           module__is_active=True)
             .select_related("learner", "module").order_by("last_activity_at")[:limit])
    return [Stuck(learner=p.learner, module=p.module, last_activity=p.last_activity_at) for p in stuck]


@dataclass
class Overdue:
    assignment: Assignment
    late: list[User]


def overdue_assignments(*, scope: Scope, today: date | None = None) -> list[Overdue]:
    """Assignments past their due date with at least one learner who has not finished."""
    today = today or timezone.localdate()
    assignments = list(assignments_of(scope=scope).filter(due_date__lt=today))
    if not assignments:
        return []
    expanded = _expand(assignments)
    learner_ids = {uid for who, _ in expanded.per_assignment.values() for uid in who}
    done = set(ModuleProgress.objects.filter(learner_id__in=learner_ids, module_id__in=list(expanded.modules),
                                             status=ProgressStatus.COMPLETED).values_list("learner_id", "module_id"))
    people = {u.pk: u for u in User.objects.filter(pk__in=learner_ids).order_by("first_name")}
    out = []
    for a in assignments:
        who, mods = expanded.per_assignment[a.pk]
        late = [people[uid] for uid in who if uid in people and any((uid, m) not in done for m in mods)]
        if late:
            out.append(Overdue(assignment=a, late=sorted(late, key=lambda u: u.first_name)))
    return out


# --- one learner ----------------------------------------------------------------------------------

def _assignments_given_to(learner: User) -> QuerySet[Assignment]:
    """Assignments given to the learner directly or through one of their groups (every organisation's)."""
    return Assignment.objects.filter(Q(learner=learner) | Q(group__members=learner))


def assignments_of_learner(*, learner: User, scope: Scope | None = None) -> list[Assignment]:
    """Assignments given to the learner directly or through one of their groups (by the scope's organisation
    only, when a scope is given; all of them for the learner's own home page)."""
    qs = _assignments_given_to(learner).select_related("track", "module", "module__track", "group").distinct()
    if scope is not None:
        qs = qs.filter(tenant_q(scope))
    return list(qs.order_by("due_date", "-created_at"))


def assignment_targets_of_learner(*, learner: User) -> list[tuple[int | None, int | None, date | None, datetime]]:
    """(module id, track id, due date, created at) of every assignment given to the learner directly or through one of their
    groups, soonest due first then newest: what the learner's own home shows, without loading a row (titles come
    from the catalogue)."""
    return list(_assignments_given_to(learner)
                .order_by(F("due_date").asc(nulls_last=True), "-created_at")
                .values_list("module_id", "track_id", "due_date", "created_at").distinct())


@dataclass
class LearnerFile:
    learner: User
    modules: list[dict]
    simulator_attempts: list[LearningEvent]
    notes: list[Note]
    accompaniments: list[Accompaniment]
    workshops: list[Workshop]
    groups: list[Group]
    diagnostic: object = None


def learner_file(*, scope: Scope, learner: User, now: datetime | None = None) -> LearnerFile:
    now = now or timezone.now()
    expanded = _expand(assignments_of_learner(learner=learner, scope=scope))
    assigned = expanded.due.get(learner.pk, {})
    progress = {p.module_id: p for p in ModuleProgress.objects.filter(learner=learner)
                .select_related("module", "module__track")}
    module_ids = set(progress) | set(assigned)
    modules_by_id = {**{p.module_id: p.module for p in progress.values()}, **expanded.modules}
    modules = []
    for mid in sorted(module_ids, key=lambda i: (modules_by_id[i].track.order, modules_by_id[i].position)):
        p = progress.get(mid)
        status = follow_status(p, now=now)
        modules.append({"module": modules_by_id[mid], "progress": p, "status": status,
                        "status_label": FollowStatus(status).label, "assigned": mid in assigned,
                        "due_date": assigned.get(mid)})
    attempts = list(LearningEvent.objects.filter(learner=learner, object_type=ObjectType.SIMULATOR)
                    .order_by("-stored_at")[:20])
    return LearnerFile(
        learner=learner, modules=modules, simulator_attempts=attempts,
        notes=list(Note.objects.filter(tenant_q(scope), learner=learner).select_related("author")),
        accompaniments=list(Accompaniment.objects.filter(tenant_q(scope), learner=learner)[:20]),
        workshops=list(Workshop.objects.filter(tenant_q(scope), attendances__learner=learner)
                       .order_by("-date")[:20]),
        groups=list(Group.objects.filter(tenant_q(scope), members=learner)),
        diagnostic=latest_results_for(learner=learner))


# --- records --------------------------------------------------------------------------------------

def records_of(*, scope: Scope, since: date | None = None,
                      until: date | None = None) -> QuerySet[Accompaniment]:
    qs = Accompaniment.objects.filter(tenant_q(scope)).select_related(
        "learner", "lieu_commune", "beneficiaire_commune", "mediateur")
    if since:
        qs = qs.filter(date__gte=since)
    if until:
        qs = qs.filter(date__lte=until)
    return qs


def record_of(*, scope: Scope, accompaniment_id) -> Accompaniment | None:
    pk = parse_id(accompaniment_id)
    return records_of(scope=scope).filter(pk=pk).first() if pk else None


def note_of(*, scope: Scope, note_id) -> Note | None:
    pk = parse_id(note_id)
    return Note.objects.filter(tenant_q(scope), pk=pk).first() if pk else None


# --- referrals (orientation) ----------------------------------------------------------------------

def referrals_of(*, scope: Scope) -> QuerySet[Referral]:
    """Referrals the scope's structure received (newest first)."""
    return (Referral.objects.filter(tenant_q(scope)).select_related("from_organisation", "learner", "workshop",
                                                                     "redirected_from"))


def referral_of(*, scope: Scope, referral_id) -> Referral | None:
    pk = parse_id(referral_id)
    return referrals_of(scope=scope).filter(pk=pk).first() if pk else None


def referrals_sent_of(*, scope: Scope) -> QuerySet[Referral]:
    """Referrals the scope's organisation (a partner) sent: read with ``referral_outcomes`` only."""
    return Referral.objects.filter(tenant_q(scope, "from_organisation")).select_related("organisation")


def referral_sent_of(*, scope: Scope, referral_id) -> Referral | None:
    pk = parse_id(referral_id)
    return referrals_sent_of(scope=scope).filter(pk=pk).first() if pk else None


@dataclass(frozen=True)
class Outcome:
    """What the sending partner may know: how far the person got, and nothing about their learning."""

    code: str
    label: str


def referral_outcomes(referrals: list[Referral]) -> dict[uuid.UUID, Outcome]:
    """Outcome of each referral in three queries whatever their number: sent, accepted, contacted, enrolled,
    came to a workshop of the structure, completed a module since the referral."""
    from .enums import ReferralStatus

    learner_ids = {r.learner_id for r in referrals if r.learner_id}
    came = set(Attendance.objects.filter(learner_id__in=learner_ids)
               .values_list("learner_id", "workshop__organisation_id")) if learner_ids else set()
    completed = set(ModuleProgress.objects.filter(learner_id__in=learner_ids, status=ProgressStatus.COMPLETED)
                    .values_list("learner_id", flat=True)) if learner_ids else set()
    out = {}
    for r in referrals:
        if r.learner_id in completed:
            out[r.pk] = Outcome("completed", _("A terminé un module"))
        elif (r.learner_id, r.organisation_id) in came:
            out[r.pk] = Outcome("came", _("Venue à un atelier"))
        elif r.status == ReferralStatus.SENT and r.redirected_from_id:
            out[r.pk] = Outcome("redirected", _("Réorientée vers une autre structure"))
        else:
            out[r.pk] = Outcome(r.status, str(ReferralStatus(r.status).label))
    return out


def referral_targets(*, scope: Scope, text: str = "", limit: int = 20) -> list[Organisation]:
    """Structures a referral can go to: by name or commune; by default those of the partner's department."""
    from django.db.models import Q as _Q

    qs = Organisation.objects.exclude(pk=scope.organisation.pk).select_related("commune").order_by("name")
    text = " ".join(text.replace("\x00", "").split())[:100]
    if text:
        qs = qs.filter(_Q(name__icontains=text) | _Q(commune__name__icontains=text)
                       | _Q(commune__postcodes__icontains=text))
    else:
        qs = qs.filter(commune__department_id=scope.organisation.commune.department_id)
    return list(qs.exclude(memberships__role="prescriber").distinct()[:limit])


def referral_target(*, scope: Scope, organisation_id) -> Organisation | None:
    pk = parse_id(organisation_id)
    return Organisation.objects.exclude(pk=scope.organisation.pk).filter(pk=pk).first() if pk else None


def workshop_venues(*, scope: Scope, limit: int = 100):
    """Places where the scope's workshops may happen: the structure's own place first, then places of its commune."""
    from tremplin.organisations.models import Place

    own = scope.organisation.place
    nearby = Place.objects.filter(cog_commune_id=scope.organisation.commune_id).order_by("nom")
    if own is not None:
        nearby = nearby.exclude(pk=own.pk)
    return ([own] if own is not None else []) + list(nearby[:limit])
