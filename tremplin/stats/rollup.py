"""Computing the rollups (ADR 12): set-based SQL only, never a Python loop over events.

Base rows of a range of days are deleted and inserted again in one transaction (recomputing a day
replaces it); the period figures of every month, quarter, year (and « depuis le début ») holding a
touched day are then derived again from the base rows, one transaction per period. Statements are
``INSERT … SELECT`` built from ORM querysets (``sql_with_params``) or plain SQL that runs on SQLite
and PostgreSQL alike; the few vendor differences (UUID as text, JSON arrays) are isolated below.
"""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    CharField,
    Count,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import TruncDate

from tremplin.coaching.models import Accompaniment, Attendance, Workshop
from tremplin.diagnostic.engine import LEVELS
from tremplin.diagnostic.enums import SessionStatus
from tremplin.diagnostic.models import Competence, DiagnosticSession
from tremplin.organisations.models import Commune, Department, Enrolment, Organisation, Territory
from tremplin.progress.enums import ObjectType, Verb
from tremplin.progress.models import LearningEvent
from tremplin.progress.selectors import event_moment

from .models import ActivityDay, PeriodFigure, RollupWatermark, Tally, TrainerDay
from .periods import ALL_START, Period, periods_containing, today

PARIS = zoneinfo.ZoneInfo(settings.TIME_ZONE)
ORG = "learner__enrolments__organisation"


@dataclass
class RollupSummary:
    days: int = 0
    activity_rows: int = 0
    tally_rows: int = 0
    periods: int = 0
    seconds: float = 0.0


# -- helpers ---------------------------------------------------------------------------------------------


def _instant(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), PARIS)


def _date_param(day: dt.date):
    return connection.ops.adapt_datefield_value(day)


def _uuid_text(column: str) -> str:
    """SQL giving ``str(uuid)`` of a UUID column (SQLite stores 32 hex digits, PostgreSQL a uuid)."""
    if connection.vendor == "postgresql":
        return f"{column}::text"
    parts = [f"substr({column}, {a}, {n})" for a, n in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))]
    return "lower(" + " || '-' || ".join(parts) + ")"


def _sql(queryset: QuerySet) -> tuple[str, tuple]:
    sql, params = queryset.order_by().query.sql_with_params()
    return sql, tuple(params)


def _execute(sql: str, params: Iterable = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return max(cursor.rowcount, 0)


def _territory_through() -> str:
    return Territory.departments.through._meta.db_table


# -- the day of an event -----------------------------------------------------------------------------------


def events_on(first: dt.date, last: dt.date) -> QuerySet:
    """Events whose day (Europe/Paris) is in [first, last], annotated with that day as ``d``."""
    start, end = _instant(first), _instant(last + dt.timedelta(days=1))
    return (LearningEvent.objects.filter(stored_at__gte=start)
            .annotate(at=event_moment()).filter(at__gte=start, at__lt=end)
            .annotate(d=TruncDate("at", tzinfo=PARIS)))


def event_days_stored(after: dt.datetime | None, until: dt.datetime) -> set[dt.date]:
    """Distinct days of the events stored in (after, until] (one set-based query)."""
    events = LearningEvent.objects.filter(stored_at__lte=until)
    if after is not None:
        events = events.filter(stored_at__gt=after)
    days = events.annotate(d=TruncDate(event_moment(), tzinfo=PARIS)).values_list("d", flat=True).distinct()
    return {_as_date(d) for d in days}


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


# -- base rollups of days ----------------------------------------------------------------------------------


def _activity_insert(first: dt.date, last: dt.date) -> int:
    rows = events_on(first, last).values(
        "d", p=F("learner_id"), o=F(f"{ORG}_id"), dep=F(f"{ORG}__commune__department_id"),
        reg=F(f"{ORG}__commune__department__region_id")).annotate(n=Count("id"))
    sql, params = _sql(rows)
    return _execute("INSERT INTO stats_activityday (day, person, organisation_id, department, region, events) "
                    f"SELECT s.d, s.p, s.o, s.dep, s.reg, s.n FROM ({sql}) s", params)


def _tally_insert(metric: str, sql: str, params: tuple) -> int:
    """``sql`` yields rows (d, o, dep, reg, k, u): one per counted thing ``u``; count distinct ``u`` at each level
    (one statement)."""
    parts, all_params = [], []
    for columns, where, group in (
        ("s.o, s.dep, s.reg", "s.o IS NOT NULL", ", s.o, s.dep, s.reg"),
        ("NULL, s.dep, s.reg", "s.dep IS NOT NULL", ", s.dep, s.reg"),
        ("NULL, NULL, s.reg", "s.reg IS NOT NULL", ", s.reg"),
        ("NULL, NULL, NULL", "1 = 1", ""),
    ):
        parts.append(f"SELECT s.d, {columns}, %s, s.k, COUNT(DISTINCT s.u) FROM ({sql}) s WHERE {where} "
                     f"GROUP BY s.d, s.k{group}")
        all_params += [metric, *params]
    return _execute("INSERT INTO stats_tally (day, organisation_id, department, region, metric, key, value) "
                    + " UNION ALL ".join(parts), all_params)


def _geo(prefix: str) -> dict:
    return {"o": F(f"{prefix}_id"), "dep": F(f"{prefix}__commune__department_id"),
            "reg": F(f"{prefix}__commune__department__region_id")}


def _tallies_insert(first: dt.date, last: dt.date) -> int:
    empty = Value("", output_field=CharField())
    learner_geo = _geo(ORG)
    events = events_on(first, last)
    sources = {
        "module_completed": events.filter(verb=Verb.COMPLETED, object_type=ObjectType.MODULE).values(
            "d", **learner_geo, k=F("object_id"), u=F("id")),
        "simulator_passed": events.filter(verb=Verb.PASSED, object_type=ObjectType.SIMULATOR).values(
            "d", **learner_geo, k=F("object_id"), u=F("id")),
        "workshop": Workshop.objects.filter(date__range=(first, last)).values(
            d=F("date"), **_geo("organisation"), k=empty, u=F("id")),
        "attendance": Attendance.objects.filter(workshop__date__range=(first, last)).values(
            d=F("workshop__date"), **_geo("workshop__organisation"), k=empty, u=F("id")),
        "accompaniment_total": Accompaniment.objects.filter(date__range=(first, last)).values(
            d=F("date"), **_geo("organisation"), k=empty, u=F("id")),
    }
    inserted = 0
    for metric, rows in sources.items():
        inserted += _tally_insert(metric, *_sql(rows))
    # A record with n themes counts once for each of them.
    records = Accompaniment.objects.filter(date__range=(first, last)).values(
        d=F("date"), **_geo("organisation"), u=F("id"), t=F("thematiques"))
    sql, params = _sql(records)
    if connection.vendor == "postgresql":
        themes = f"SELECT s.d, s.o, s.dep, s.reg, j.value AS k, s.u FROM ({sql}) s " \
                 "CROSS JOIN LATERAL jsonb_array_elements_text(s.t) AS j(value)"
    else:
        themes = f"SELECT s.d, s.o, s.dep, s.reg, j.value AS k, s.u FROM ({sql}) s, json_each(s.t) j"
    inserted += _tally_insert("accompaniment", themes, params)
    return inserted


def _trainers_insert(first: dt.date, last: dt.date) -> int:
    attendance = Attendance.objects.filter(workshop__date__range=(first, last), recorded_by__isnull=False).values(
        d=F("workshop__date"), p=F("recorded_by_id"), **_geo("workshop__organisation"))
    records = Accompaniment.objects.filter(date__range=(first, last), mediateur__isnull=False).values(
        d=F("date"), p=F("mediateur_id"), **_geo("organisation"))
    sql, params = _sql(attendance.order_by().union(records.order_by()))
    return _execute("INSERT INTO stats_trainerday (day, person, organisation_id, department, region) "
                    f"SELECT s.d, s.p, s.o, s.dep, s.reg FROM ({sql}) s", params)


# Rollups replace rows (delete, then insert from the sources). Two workers doing it at once for the same day would
# both delete nothing and both insert: counts twice. Every rollup transaction first takes this PostgreSQL advisory
# lock (released at commit), so they run one after the other; SQLite lets one writer at a time anyway.
ROLLUP_LOCK = 7_204_1001


def rollup_lock() -> None:
    """Inside a transaction: wait until no other rollup transaction runs."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROLLUP_LOCK])


def _base_rollup(first: dt.date, last: dt.date, summary: RollupSummary) -> None:
    """Replace the base rows of [first, last] (one transaction: readers see the old rows or the new ones)."""
    with transaction.atomic():
        rollup_lock()
        for model in (ActivityDay, Tally, TrainerDay):
            model.objects.filter(day__range=(first, last)).delete()
        summary.activity_rows += _activity_insert(first, last)
        summary.tally_rows += _tallies_insert(first, last)
        _trainers_insert(first, last)
    summary.days += (last - first).days + 1


# -- derived period figures --------------------------------------------------------------------------------

# For tables holding one row per structure and one unattached row for autonomous learners (ActivityDay,
# TrainerDay): (level, code SQL, join, condition, GROUP BY column)
def _distinct_levels() -> list[tuple[str, str, str, str, str | None]]:
    return [
        ("national", "''", "", "1 = 1", None),
        ("region", "a.region", "", "a.region IS NOT NULL", "a.region"),
        ("department", "a.department", "", "a.department IS NOT NULL", "a.department"),
        ("organisation", _uuid_text("a.organisation_id"), "", "a.organisation_id IS NOT NULL", "a.organisation_id"),
        ("territory", _uuid_text("td.territory_id"), f"JOIN {_territory_through()} td ON td.department_id = "
         "a.department", "a.department IS NOT NULL", "td.territory_id"),
    ]


# Same-area condition between an earlier row ``b`` and the row ``a``, for « new people ».
SAME_AREA = {
    "national": ("", ""),
    "region": ("", "AND b.region = a.region"),
    "department": ("", "AND b.department = a.department"),
    "organisation": ("", "AND b.organisation_id = a.organisation_id"),
    "territory": ("JOIN {through} tb ON tb.department_id = b.department AND tb.territory_id = td.territory_id", ""),
}

# Tally rows stored once per level (see ``Tally``).
def _tally_levels() -> list[tuple[str, str, str, str, str]]:
    return [
        ("national", "''", "", "a.organisation_id IS NULL AND a.department IS NULL AND a.region IS NULL", ""),
        ("region", "a.region", "", "a.organisation_id IS NULL AND a.department IS NULL AND a.region IS NOT NULL",
         ", a.region"),
        ("department", "a.department", "", "a.organisation_id IS NULL AND a.department IS NOT NULL",
         ", a.department"),
        ("organisation", _uuid_text("a.organisation_id"), "", "a.organisation_id IS NOT NULL",
         ", a.organisation_id"),
        ("territory", _uuid_text("td.territory_id"), f"JOIN {_territory_through()} td ON td.department_id = "
         "a.department", "a.organisation_id IS NULL AND a.department IS NOT NULL", ", td.territory_id"),
    ]


INSERT_FIGURE = "INSERT INTO stats_periodfigure (period, start, level, code, metric, key, value) "


def _figures_insert(parts: list[tuple[str, list]]) -> None:
    """One ``INSERT … SELECT`` of every level's rows (the parts joined by UNION ALL)."""
    _execute(INSERT_FIGURE + " UNION ALL ".join(sql for sql, _ in parts),
             [param for _, params in parts for param in params])


def _distinct_figures(period: Period, metric: str, table: str, *, new: bool = False) -> None:
    head = [period.kind, _date_param(period.start)]
    since, until = _date_param(period.start), _date_param(period.end)
    parts = []
    for level, code, join, where, group in _distinct_levels():
        earlier, params = "", [*head, level, metric, since, until]
        if new:
            earlier_join, earlier_where = SAME_AREA[level]
            earlier = (f" AND NOT EXISTS (SELECT 1 FROM {table} b "
                       f"{earlier_join.format(through=_territory_through())} "
                       f"WHERE b.person = a.person AND b.day < %s {earlier_where})")
            params.append(since)
        parts.append((f"SELECT %s, %s, %s, {code}, %s, '', COUNT(DISTINCT a.person) FROM {table} a {join} "
                      f"WHERE a.day >= %s AND a.day < %s AND {where}{earlier}"
                      + (f" GROUP BY {group}" if group else ""), params))
    _figures_insert(parts)


def _structures_figures(period: Period) -> None:
    since, until = _date_param(period.start), _date_param(period.end)
    active = ("SELECT organisation_id, department, region FROM stats_activityday "
              "WHERE day >= %s AND day < %s AND organisation_id IS NOT NULL "
              "UNION SELECT organisation_id, department, region FROM stats_tally "
              "WHERE day >= %s AND day < %s AND organisation_id IS NOT NULL "
              "AND metric IN ('workshop', 'accompaniment_total')")
    _figures_insert([(f"SELECT %s, %s, %s, {code}, 'active_structures', '', COUNT(*) "
                      f"FROM ({active}) a {join} WHERE {where}" + (f" GROUP BY {group}" if group else ""),
                      [period.kind, _date_param(period.start), level, since, until, since, until])
                     for level, code, join, where, group in _distinct_levels()])


def _tally_figures(period: Period) -> None:
    since, until = _date_param(period.start), _date_param(period.end)
    _figures_insert([(f"SELECT %s, %s, %s, {code}, a.metric, a.key, SUM(a.value) FROM stats_tally a "
                      f"{join} WHERE a.day >= %s AND a.day < %s AND {where} GROUP BY a.metric, a.key{group}",
                      [period.kind, _date_param(period.start), level, since, until])
                     for level, code, join, where, group in _tally_levels()])


LEVEL_ORDER = ",".join(LEVELS)  # "debutant,initie,autonome,confirme": a level's position in it ranks it


def _impact_pairs(period: Period) -> QuerySet:
    """One row per person whose latest completed diagnostic up to the period's end falls in the period and who
    has an earlier one: the person, the latest results and the first results (raw JSON, read once)."""
    start, end = _instant(period.start), _instant(period.end)
    done = DiagnosticSession.objects.filter(status=SessionStatus.COMPLETED, completed_at__isnull=False)
    latest = done.filter(learner=OuterRef("learner"), completed_at__lt=end).order_by("-completed_at", "-pk")
    first = done.filter(learner=OuterRef("learner")).order_by("completed_at", "pk")
    sessions = (done.filter(completed_at__gte=start, completed_at__lt=end)
                .filter(pk=Subquery(latest.values("pk")[:1]))
                .annotate(first_pk=Subquery(first.values("pk")[:1]))
                .exclude(pk=F("first_pk")))
    return sessions.values(p=F("learner_id"), lr=F("results"), fpk=F("first_pk"))


def _level_rank_sql(json_column: str, slug: str) -> tuple[str, list]:
    """SQL (and params) ranking the level of competence ``slug`` in a results JSON column: its position in
    LEVEL_ORDER (débutant < initié < autonome < confirmé), 0 for an unknown name, null when not assessed."""
    if connection.vendor == "postgresql":
        return f"strpos(%s, ({json_column}::jsonb -> %s ->> 'level'))", [LEVEL_ORDER, slug]
    return f"instr(%s, json_extract({json_column}, %s))", [LEVEL_ORDER, f'$."{slug}".level']


def _impact_figures(period: Period) -> None:
    """Impact rows of every level from one statement. The per-person pairs are computed once (a materialised
    common table expression), their levels read once, then grouped by area (each person counted once per area,
    however many structures follow them there)."""
    competences = list(Competence.objects.filter(is_active=True).order_by("position", "slug")
                       .values_list("slug", flat=True))
    if not competences:
        return
    pairs_sql, pairs_params = _sql(_impact_pairs(period))
    ranks, rank_params = [], []
    for i, slug in enumerate(competences):
        for side, column in (("l", "s.lr"), ("f", "fs.results")):
            sql, params = _level_rank_sql(column, slug)
            ranks.append(f"{sql} AS {side}_{i}")
            rank_params += params
    sessions_table = DiagnosticSession._meta.db_table
    counts = ", ".join(
        f"COUNT(DISTINCT CASE WHEN r.l_{i} > 0 AND r.f_{i} > 0 THEN r.p END), "
        f"COUNT(DISTINCT CASE WHEN r.l_{i} > 0 AND r.f_{i} > 0 AND r.l_{i} > r.f_{i} THEN r.p END)"
        for i in range(len(competences)))
    areas = (f"JOIN {Enrolment._meta.db_table} e ON e.learner_id = r.p "
             f"JOIN {Organisation._meta.db_table} o ON o.id = e.organisation_id "
             f"JOIN {Commune._meta.db_table} c ON c.code = o.commune_id "
             f"JOIN {Department._meta.db_table} dd ON dd.code = c.department_id")
    parts = [
        ("'national'", "''", "", ""),
        ("'region'", "dd.region_id", areas, "GROUP BY dd.region_id"),
        ("'department'", "dd.code", areas, "GROUP BY dd.code"),
        ("'organisation'", _uuid_text("e.organisation_id"), areas, "GROUP BY e.organisation_id"),
        ("'territory'", _uuid_text("td.territory_id"),
         f"{areas} JOIN {_territory_through()} td ON td.department_id = dd.code", "GROUP BY td.territory_id"),
    ]
    sql = (f"WITH s AS MATERIALIZED ({pairs_sql}), "
           f"r AS MATERIALIZED (SELECT s.p, {', '.join(ranks)} FROM s JOIN {sessions_table} fs ON fs.id = s.fpk) "
           + " UNION ALL ".join(f"SELECT {level}, {code}, {counts} FROM r {join} {group}"
                                for level, code, join, group in parts))
    with connection.cursor() as cursor:
        cursor.execute(sql, list(pairs_params) + rank_params)
        found = cursor.fetchall()
    rows = []
    for level, code, *values in found:
        for i, slug in enumerate(competences):
            for metric, value in (("impact_assessed_twice", values[2 * i]), ("impact_gained", values[2 * i + 1])):
                if value:
                    rows.append(PeriodFigure(period=period.kind, start=period.start, level=level, code=code,
                                             metric=metric, key=slug, value=value))
    PeriodFigure.objects.bulk_create(rows, batch_size=2000)


def derive_period(period: Period) -> None:
    """Replace every figure of ``period`` from the base rollups (one transaction)."""
    with transaction.atomic():
        rollup_lock()
        PeriodFigure.objects.filter(period=period.kind, start=period.start).delete()
        _distinct_figures(period, "people_reached", "stats_activityday")
        if period.kind == "all":  # nobody was active before the beginning: new people are the people reached
            _execute(INSERT_FIGURE + "SELECT period, start, level, code, 'people_new', key, value "
                     "FROM stats_periodfigure WHERE period = %s AND start = %s AND metric = 'people_reached'",
                     [period.kind, _date_param(period.start)])
        else:
            _distinct_figures(period, "people_new", "stats_activityday", new=True)
        _distinct_figures(period, "active_trainers", "stats_trainerday")
        _structures_figures(period)
        _tally_figures(period)
        _impact_figures(period)


# -- entry points ------------------------------------------------------------------------------------------


def _ranges(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days grouped: [d1, d2, d3, d7] -> [(d1, d3), (d7, d7)]."""
    ranges: list[list[dt.date]] = []
    for day in sorted(set(days)):
        if ranges and day == ranges[-1][1] + dt.timedelta(days=1):
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return [(a, b) for a, b in ranges]


def days_rollup(*, days: Iterable[dt.date]) -> RollupSummary:
    """Recompute the base rows of ``days`` (each run of consecutive days in one transaction), then the
    figures of every period holding one of them. Idempotent: running it twice gives the same rows."""
    began = time.monotonic()
    days = sorted(set(days))
    summary = RollupSummary()
    for first, last in _ranges(days):
        _base_rollup(first, last, summary)
    periods = periods_containing(days)
    for period in sorted(periods, key=lambda p: (p.kind, p.start)):
        derive_period(period)
    summary.periods = len(periods)
    summary.seconds = time.monotonic() - began
    return summary


def range_rollup(*, first: dt.date, last: dt.date) -> RollupSummary:
    if last < first:
        first, last = last, first
    return days_rollup(days=[first + dt.timedelta(days=n) for n in range((last - first).days + 1)])


def source_days_bounds() -> tuple[dt.date, dt.date] | None:
    """The first and last day holding anything to count (a few aggregate queries)."""
    firsts, lasts = [], []
    stored = LearningEvent.objects.aggregate(first=Min(event_moment()))
    if stored["first"] is not None:
        firsts.append(timezone_localdate(stored["first"]))
        lasts.append(today())
    for model, field in ((Workshop, "date"), (Accompaniment, "date")):
        bounds = model.objects.aggregate(first=Min(field), last=Max(field))
        if bounds["first"] is not None:
            firsts.append(bounds["first"])
            lasts.append(bounds["last"])
    diag = DiagnosticSession.objects.filter(completed_at__isnull=False).aggregate(first=Min("completed_at"))
    if diag["first"] is not None:
        firsts.append(timezone_localdate(diag["first"]))
        lasts.append(today())
    if not firsts:
        return None
    return min(firsts), max(lasts)


def timezone_localdate(moment: dt.datetime) -> dt.date:
    return moment.astimezone(PARIS).date()


def all_rollup() -> RollupSummary:
    """Everything again from the source tables: the rollups are emptied and rebuilt."""
    with transaction.atomic():
        rollup_lock()
        for model in (ActivityDay, Tally, TrainerDay, PeriodFigure):
            model.objects.all().delete()
    bounds = source_days_bounds()
    if bounds is None:
        began = time.monotonic()
        derive_period(Period("all", ALL_START))
        return RollupSummary(periods=1, seconds=time.monotonic() - began)
    return range_rollup(first=bounds[0], last=bounds[1])


# -- since the last run (the watermark) --------------------------------------------------------------------

WATERMARK = "rollup_since_last_run"
# A transaction storing events commits a little after ``stored_at``: events stored during the last minutes
# are left to the next run, so none is skipped.
COMMIT_MARGIN = dt.timedelta(minutes=2)


def days_touched(*, after: dt.datetime | None, until: dt.datetime) -> set[dt.date]:
    """Days whose figures may have changed: days of events stored in (after, until] (a late offline event
    touches its own day), and the dates of workshops, attendances, records and diagnostics written then."""
    days = event_days_stored(after, until)

    def window(field: str) -> Q:
        q = Q(**{f"{field}__lte": until})
        return q & Q(**{f"{field}__gt": after}) if after is not None else q

    days |= set(Workshop.objects.filter(window("created_at")).values_list("date", flat=True).distinct())
    days |= set(Attendance.objects.filter(window("recorded_at")).values_list("workshop__date", flat=True)
                .distinct())
    days |= set(Accompaniment.objects.filter(window("created_at")).values_list("date", flat=True).distinct())
    completed = DiagnosticSession.objects.filter(window("completed_at")).annotate(
        d=TruncDate("completed_at", tzinfo=PARIS)).values_list("d", flat=True).distinct()
    days |= {_as_date(d) for d in completed}
    return {_as_date(d) for d in days}


def watermark_set(*, now: dt.datetime | None = None) -> None:
    """After a full rollup: the next run starts from here."""
    from django.utils import timezone

    RollupWatermark.objects.update_or_create(name=WATERMARK,
                                             defaults={"stored_until": (now or timezone.now()) - COMMIT_MARGIN})


def since_last_run_rollup(*, now: dt.datetime | None = None) -> RollupSummary:
    """Roll up the days touched since the watermark, then move it. If this dies half-way the watermark has not
    moved: the next run recomputes the same days (idempotent), so nothing is lost or counted twice."""
    from django.utils import timezone

    until = (now or timezone.now()) - COMMIT_MARGIN
    mark = RollupWatermark.objects.filter(name=WATERMARK).first()
    after = mark.stored_until if mark else None
    if after is not None and after >= until:
        return RollupSummary()
    summary = all_rollup() if after is None else days_rollup(days=days_touched(after=after, until=until))
    RollupWatermark.objects.update_or_create(name=WATERMARK, defaults={"stored_until": until})
    return summary
