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
    Case,
    CharField,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
    When,
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

from .models import ActivityDay, FirstActivity, PeriodFigure, RollupWatermark, Tally, TrainerDay
from .periods import ALL_END, ALL_START, KINDS, Period, periods_containing, today

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


DAY_EVENTS = "stats_day_events"  # the days' events with the structures following their learner (temporary)


def _day_events(first: dt.date, last: dt.date) -> None:
    """Read the events of [first, last] once, joined to the structures following each learner, into a temporary
    table: the activity rows and the event counts (modules completed, simulators passed) both come from it."""
    module = Q(verb=Verb.COMPLETED, object_type=ObjectType.MODULE)
    simulator = Q(verb=Verb.PASSED, object_type=ObjectType.SIMULATOR)
    rows = events_on(first, last).values(
        "d", p=F("learner_id"), **_geo(ORG),
        m=Case(When(module, then=_metric("module_completed")), When(simulator, then=_metric("simulator_passed")),
               default=Value(None, output_field=CharField())),
        k=F("object_id"), u=F("id"))
    sql, params = _sql(rows)
    _execute(f"CREATE TEMPORARY TABLE {DAY_EVENTS} AS {sql}", params)


def _activity_insert(first: dt.date, last: dt.date) -> int:
    """One row per learner × day × structure following them, with the number of events (from ``_day_events``)."""
    return _execute("INSERT INTO stats_activityday (day, person, organisation_id, department, region, events) "
                    f"SELECT s.d, s.p, s.o, s.dep, s.reg, COUNT(*) FROM {DAY_EVENTS} s "
                    "GROUP BY s.d, s.p, s.o, s.dep, s.reg")


def _tally_insert(sql: str, params: tuple) -> int:
    """``sql`` yields rows (d, o, dep, reg, m, k, u): one per counted thing ``u`` of metric ``m``; count distinct
    ``u`` at each level, the territories included (one statement; the rows are read once, into a materialised
    common table expression, whatever the number of levels)."""
    parts = []
    no_id = "CAST(NULL AS uuid)" if connection.vendor == "postgresql" else "NULL"  # UNION needs the type
    for columns, join, where, group in (
        (f"s.o, {no_id}, s.dep, s.reg", "", "s.o IS NOT NULL", ", s.o, s.dep, s.reg"),
        (f"{no_id}, {no_id}, s.dep, s.reg", "", "s.dep IS NOT NULL", ", s.dep, s.reg"),
        (f"{no_id}, {no_id}, NULL, s.reg", "", "s.reg IS NOT NULL", ", s.reg"),
        # A territory is a set of departments: a thing counted in two of them counts once there.
        (f"{no_id}, td.territory_id, NULL, NULL", f"JOIN {_territory_through()} td ON td.department_id = s.dep",
         "s.dep IS NOT NULL", ", td.territory_id"),
        (f"{no_id}, {no_id}, NULL, NULL", "", "1 = 1", ""),
    ):
        parts.append(f"SELECT s.d, {columns}, s.m, s.k, COUNT(DISTINCT s.u) FROM s {join} WHERE {where} "
                     f"GROUP BY s.d, s.m, s.k{group}")
    return _execute(f"WITH s AS MATERIALIZED ({sql}) "
                    "INSERT INTO stats_tally (day, organisation_id, territory_id, department, region, metric, key, "
                    "value) " + " UNION ALL ".join(parts), params)


def _geo(prefix: str) -> dict:
    return {"o": F(f"{prefix}_id"), "dep": F(f"{prefix}__commune__department_id"),
            "reg": F(f"{prefix}__commune__department__region_id")}


def _metric(name: str) -> Value:
    return Value(name, output_field=CharField())


def _tallies_insert(first: dt.date, last: dt.date) -> int:
    empty = Value("", output_field=CharField())
    inserted = _tally_insert(f"SELECT d, o, dep, reg, m, k, u FROM {DAY_EVENTS} WHERE m IS NOT NULL", ())
    sources = [
        Workshop.objects.filter(date__range=(first, last)).values(
            d=F("date"), **_geo("organisation"), m=_metric("workshop"), k=empty, u=F("id")),
        Attendance.objects.filter(workshop__date__range=(first, last)).values(
            d=F("workshop__date"), **_geo("workshop__organisation"), m=_metric("attendance"), k=empty, u=F("id")),
        Accompaniment.objects.filter(date__range=(first, last)).values(
            d=F("date"), **_geo("organisation"), m=_metric("accompaniment_total"), k=empty, u=F("id")),
    ]
    for rows in sources:
        inserted += _tally_insert(*_sql(rows))
    # A record with n themes counts once for each of them.
    records = Accompaniment.objects.filter(date__range=(first, last)).values(
        d=F("date"), **_geo("organisation"), u=F("id"), t=F("thematiques"))
    sql, params = _sql(records)
    if connection.vendor == "postgresql":
        themes = f"SELECT s.d, s.o, s.dep, s.reg, 'accompaniment' AS m, j.value AS k, s.u FROM ({sql}) s " \
                 "CROSS JOIN LATERAL jsonb_array_elements_text(s.t) AS j(value)"
    else:
        themes = f"SELECT s.d, s.o, s.dep, s.reg, 'accompaniment' AS m, j.value AS k, s.u FROM ({sql}) s, " \
                 "json_each(s.t) j"
    inserted += _tally_insert(themes, params)
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


def _planner_settings() -> None:
    """For this rollup transaction only (PostgreSQL): its statements are many and short, so no JIT compiling
    (it cost up to half a second each at 1,000,000 learners). (A lower ``random_page_cost`` was tried: the day's
    people were found through the ``person`` indexes, but counting new people over a year got three times slower.)"""
    if connection.vendor == "postgresql":
        _execute("SET LOCAL jit = off")


def _base_rollup(first: dt.date, last: dt.date, summary: RollupSummary) -> set[dt.date]:
    """Replace the base rows of [first, last] and the first days of the people active then (one transaction:
    readers see the old rows or the new ones). Returns the days whose « new people » changed (see
    ``_firsts_refresh``)."""
    with transaction.atomic():
        rollup_lock()
        _planner_settings()
        _touched_begin(first, last)
        for model in (ActivityDay, Tally, TrainerDay):
            model.objects.filter(day__range=(first, last)).delete()
        _day_events(first, last)
        summary.activity_rows += _activity_insert(first, last)
        summary.tally_rows += _tallies_insert(first, last)
        _trainers_insert(first, last)
        changed = _firsts_refresh(first, last)
    summary.days += (last - first).days + 1
    return changed


# -- first days of people in areas (FirstActivity) ---------------------------------------------------------

TOUCHED = "stats_touched"  # temporary tables of one rollup transaction (one connection, dropped at the end)
TOUCHED_DAYS = "stats_touched_days"
OLD_FIRSTS = "stats_old_firsts"
NEW_FIRSTS = "stats_new_firsts"
TEMPORARY = (TOUCHED, TOUCHED_DAYS, OLD_FIRSTS, NEW_FIRSTS, DAY_EVENTS)


def _touched_begin(first: dt.date, last: dt.date) -> None:
    """The people active in [first, last] before it is recomputed (they may be active there no more)."""
    for table in TEMPORARY:
        _execute(f"DROP TABLE IF EXISTS {table}")
    _execute(f"CREATE TEMPORARY TABLE {TOUCHED} AS SELECT DISTINCT person FROM stats_activityday "
             "WHERE day >= %s AND day <= %s", [_date_param(first), _date_param(last)])


def _firsts_insert(kind: str, since: dt.date, until: dt.date) -> None:
    """First days in [since, until) of the touched people, in every area they were active in (one statement over
    their activity, copied once by ``_firsts_refresh``)."""
    parts, params = [], []
    for level, code, join, where, group in _distinct_levels():
        parts.append(f"SELECT a.person, %s, %s, %s, {code}, MIN(a.day) FROM {TOUCHED_DAYS} a {join} "
                     f"WHERE a.day >= %s AND a.day < %s AND {where} GROUP BY a.person" + (f", {group}" if group else ""))
        params += [kind, _date_param(since), level, _date_param(since), _date_param(until)]
    _execute(f"INSERT INTO {NEW_FIRSTS} (person, kind, start, level, code, day) " + " UNION ALL ".join(parts),
             params)


def _firsts_refresh(first: dt.date, last: dt.date) -> set[dt.date]:
    """After the base rows of [first, last] were replaced: recompute the first days (since the beginning and in
    each year) of the people active then, before or after. Returns the first days (since the beginning) that
    appeared or went away: « new people » of the periods holding them changed — a late event before someone's
    first day makes them new earlier, and no longer new in the period of their former first day."""
    _execute(f"INSERT INTO {TOUCHED} (person) SELECT DISTINCT person FROM stats_activityday a "
             f"WHERE day >= %s AND day <= %s AND NOT EXISTS (SELECT 1 FROM {TOUCHED} t WHERE t.person = a.person)",
             [_date_param(first), _date_param(last)])
    if connection.vendor == "postgresql":
        _execute(f"ANALYZE {TOUCHED}")
    mine = f"person IN (SELECT person FROM {TOUCHED})"
    _execute(f"CREATE TEMPORARY TABLE {OLD_FIRSTS} AS SELECT person, level, code, day FROM stats_firstactivity "
             f"WHERE kind = 'all' AND {mine}")
    _execute(f"DELETE FROM stats_firstactivity WHERE {mine}")
    # Their activity, read once (one scan, whatever the number of areas and years below).
    _execute(f"CREATE TEMPORARY TABLE {TOUCHED_DAYS} AS SELECT day, person, organisation_id, department, region "
             f"FROM stats_activityday WHERE {mine}")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(day), MAX(day) FROM {TOUCHED_DAYS}")
        low, high = cursor.fetchone()
    columns = "person, kind, start, level, code, day"
    _execute(f"CREATE TEMPORARY TABLE {NEW_FIRSTS} AS SELECT {columns} FROM stats_firstactivity WHERE 1 = 0")
    if low is not None:
        _firsts_insert("all", ALL_START, ALL_END)
        for year in range(_as_date(low).year, _as_date(high).year + 1):
            _firsts_insert("year", dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    _execute(f"INSERT INTO stats_firstactivity ({columns}) SELECT {columns} FROM {NEW_FIRSTS}")
    new = f"SELECT person, level, code, day FROM {NEW_FIRSTS} WHERE kind = 'all'"
    old = f"SELECT person, level, code, day FROM {OLD_FIRSTS}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT x.day FROM ({old} EXCEPT {new}) x "
                       f"UNION SELECT DISTINCT y.day FROM ({new} EXCEPT {old}) y")
        changed = {_as_date(day) for (day,) in cursor.fetchall()}
    for table in TEMPORARY:
        _execute(f"DROP TABLE {table}")
    return changed


def person_replace(*, old, new) -> int:
    """An erased learner's id in the rollups becomes the anonymous one (counts unchanged); the rows changed."""
    FirstActivity.objects.filter(person=old).update(person=new)
    return ActivityDay.objects.filter(person=old).update(person=new)


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


# A period's figures are first computed into this temporary table, then only the rows that changed are written
# (most of « depuis le début » or of a year does not change with one day: deleting and inserting them all would
# rewrite hundreds of thousands of rows a night and leave as many dead ones).
NEW_FIGURES = "stats_new_figures"
FIGURE_COLUMNS = "period, start, level, code, metric, key, value"
INSERT_FIGURE = f"INSERT INTO {NEW_FIGURES} ({FIGURE_COLUMNS}) "


def _figures_insert(parts: list[tuple[str, list]]) -> None:
    """One ``INSERT … SELECT`` of every level's rows (the parts joined by UNION ALL)."""
    _execute(INSERT_FIGURE + " UNION ALL ".join(sql for sql, _ in parts),
             [param for _, params in parts for param in params])


def _distinct_figures(period: Period, metric: str, table: str) -> None:
    """Distinct people of ``table`` (ActivityDay, TrainerDay) active in the period, at every level."""
    head = [period.kind, _date_param(period.start)]
    since, until = _date_param(period.start), _date_param(period.end)
    _figures_insert([(f"SELECT %s, %s, %s, {code}, %s, '', COUNT(DISTINCT a.person) FROM {table} a {join} "
                      f"WHERE a.day >= %s AND a.day < %s AND {where}" + (f" GROUP BY {group}" if group else ""),
                      [*head, level, metric, since, until])
                     for level, code, join, where, group in _distinct_levels()])


def _people_figures(period: Period) -> None:
    """People reached and new people. Over a year or since the beginning people reached are the rows of
    ``FirstActivity`` for it (one per person and area: a count, not a distinct count over every active day);
    new people of any period are those whose first day in the area (since the beginning) falls in it."""
    head = [period.kind, _date_param(period.start)]
    if period.kind in ("year", "all"):
        _execute(INSERT_FIGURE + "SELECT %s, %s, level, code, 'people_reached', '', COUNT(*) "
                 "FROM stats_firstactivity WHERE kind = %s AND start = %s GROUP BY level, code",
                 [*head, period.kind, _date_param(period.start)])
    else:
        _distinct_figures(period, "people_reached", "stats_activityday")
    if period.kind == "all":  # nobody was active before the beginning: new people are the people reached
        _execute(INSERT_FIGURE + f"SELECT period, start, level, code, 'people_new', key, value FROM {NEW_FIGURES} "
                 "WHERE metric = 'people_reached'")
        return
    if period.kind in SUM_OF:  # a person is new in one month only: a quarter's new people are its months' ones
        _execute(INSERT_FIGURE + "SELECT %s, %s, level, code, 'people_new', '', SUM(value) FROM stats_periodfigure "
                 "WHERE period = %s AND start >= %s AND start < %s AND metric = 'people_new' GROUP BY level, code",
                 [*head, SUM_OF[period.kind], _date_param(period.start), _date_param(period.end)])
        return
    _execute(INSERT_FIGURE + "SELECT %s, %s, level, code, 'people_new', '', COUNT(*) FROM stats_firstactivity "
             "WHERE kind = 'all' AND day >= %s AND day < %s GROUP BY level, code",
             [*head, _date_param(period.start), _date_param(period.end)])


def _structures_figures(period: Period) -> None:
    """Structures active in the period (through a learner's activity, a workshop or a record), read once (a
    materialised common table expression), then counted at every level."""
    since, until = _date_param(period.start), _date_param(period.end)
    active = ("SELECT organisation_id, department, region FROM stats_activityday "
              "WHERE day >= %s AND day < %s AND organisation_id IS NOT NULL "
              "UNION SELECT organisation_id, department, region FROM stats_tally "
              "WHERE day >= %s AND day < %s AND organisation_id IS NOT NULL "
              "AND metric IN ('workshop', 'accompaniment_total')")
    parts = [f"SELECT %s, %s, %s, {code}, 'active_structures', '', COUNT(*) FROM active a {join} WHERE {where}"
             + (f" GROUP BY {group}" if group else "") for level, code, join, where, group in _distinct_levels()]
    params = [since, until, since, until]
    for level, *_rest in _distinct_levels():
        params += [period.kind, _date_param(period.start), level]
    _execute(f"WITH active AS MATERIALIZED ({active}) " + INSERT_FIGURE + " UNION ALL ".join(parts), params)


TALLY_METRICS = ("module_completed", "simulator_passed", "workshop", "attendance", "accompaniment_total",
                 "accompaniment")
# Additive figures of a quarter, a year, « depuis le début » are sums of those of its months, quarters, years:
# a few rows each instead of every day's tallies (derive the smaller periods first: ``days_rollup`` does).
SUM_OF = {"quarter": "month", "year": "quarter", "all": "year"}


def _tally_figures(period: Period) -> None:
    """Sums of the additive counts. A month's from its days' ``Tally`` rows, stored once per level: their level
    and code follow from which columns are set, so every level comes from one scan (grouped on the bare columns
    first, then named). Longer periods add up the figures of the periods they are made of."""
    head = [period.kind, _date_param(period.start)]
    since, until = _date_param(period.start), _date_param(period.end)
    if period.kind in SUM_OF:
        metrics = ", ".join(f"'{metric}'" for metric in TALLY_METRICS)
        _execute(INSERT_FIGURE + "SELECT %s, %s, level, code, metric, key, SUM(value) FROM stats_periodfigure "
                 f"WHERE period = %s AND start >= %s AND start < %s AND metric IN ({metrics}) "
                 "GROUP BY level, code, metric, key", [*head, SUM_OF[period.kind], since, until])
        return
    level = ("CASE WHEN g.organisation_id IS NOT NULL THEN 'organisation' "
             "WHEN g.territory_id IS NOT NULL THEN 'territory' WHEN g.department IS NOT NULL THEN 'department' "
             "WHEN g.region IS NOT NULL THEN 'region' ELSE 'national' END")
    code = (f"CASE WHEN g.organisation_id IS NOT NULL THEN {_uuid_text('g.organisation_id')} "
            f"WHEN g.territory_id IS NOT NULL THEN {_uuid_text('g.territory_id')} "
            "WHEN g.department IS NOT NULL THEN g.department WHEN g.region IS NOT NULL THEN g.region ELSE '' END")
    grouped = ("SELECT a.organisation_id, a.territory_id, a.department, a.region, a.metric, a.key, "
               "SUM(a.value) AS value FROM stats_tally a WHERE a.day >= %s AND a.day < %s "
               "GROUP BY a.organisation_id, a.territory_id, a.department, a.region, a.metric, a.key")
    _execute(INSERT_FIGURE + "SELECT %s, %s, t.lv, t.cd, t.metric, t.key, SUM(t.value) FROM "
             f"(SELECT {level} AS lv, {code} AS cd, g.metric, g.key, g.value FROM ({grouped}) g) t "
             "GROUP BY t.lv, t.cd, t.metric, t.key", [*head, since, until])


LEVEL_ORDER = ",".join(LEVELS)  # "debutant,initie,autonome,confirme": a level's position in it ranks it


def _impact_pairs(period: Period) -> tuple[str, list]:
    """SQL of one row per person whose latest completed diagnostic up to the period's end falls in the period and
    who has an earlier one: the person ``p``, the latest results ``lr`` and the first results ``fr`` (raw JSON).
    One pass over the completed diagnostics (window functions per learner), not a lookup per diagnostic: the
    first diagnostic overall is the first of those before the end, since it comes before the latest."""
    table = DiagnosticSession._meta.db_table
    sql = ("SELECT x.p, x.lr, x.fr FROM (SELECT learner_id AS p, results AS lr, completed_at AS at, "
           "ROW_NUMBER() OVER (PARTITION BY learner_id ORDER BY completed_at DESC, id DESC) AS n, "
           "COUNT(*) OVER (PARTITION BY learner_id) AS c, "
           "FIRST_VALUE(results) OVER (PARTITION BY learner_id ORDER BY completed_at, id) AS fr "
           f"FROM {table} WHERE status = %s AND completed_at IS NOT NULL AND completed_at < %s {{only}}) x "
           "WHERE x.n = 1 AND x.c > 1 AND x.at >= %s")
    moment = connection.ops.adapt_datetimefield_value
    params = [SessionStatus.COMPLETED.value, moment(_instant(period.end)), moment(_instant(period.start))]
    if period.kind == "all":
        return sql.format(only=""), params
    # Only the people diagnosed in the period can count in it: the others' diagnostics are not sorted at all.
    only = (f"AND learner_id IN (SELECT learner_id FROM {table} WHERE status = %s AND completed_at >= %s "
            "AND completed_at < %s) ")
    return sql.format(only=only), [*params[:2], params[0], params[2], params[1], params[2]]


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
    pairs_sql, pairs_params = _impact_pairs(period)
    ranks, rank_params = [], []
    for i, slug in enumerate(competences):
        for side, column in (("l", "s.lr"), ("f", "s.fr")):
            sql, params = _level_rank_sql(column, slug)
            ranks.append(f"{sql} AS {side}_{i}")
            rank_params += params
    counts = ", ".join(
        f"COUNT(DISTINCT CASE WHEN r.l_{i} > 0 AND r.f_{i} > 0 THEN r.p END) AS a_{i}, "
        f"COUNT(DISTINCT CASE WHEN r.l_{i} > 0 AND r.f_{i} > 0 AND r.l_{i} > r.f_{i} THEN r.p END) AS g_{i}"
        for i in range(len(competences)))
    areas = (f"JOIN {Enrolment._meta.db_table} e ON e.learner_id = r.p "
             f"JOIN {Organisation._meta.db_table} o ON o.id = e.organisation_id "
             f"JOIN {Commune._meta.db_table} c ON c.code = o.commune_id "
             f"JOIN {Department._meta.db_table} dd ON dd.code = c.department_id")
    columns = ", ".join(f"r.l_{i}, r.f_{i}" for i in range(len(competences)))
    parts = [  # the people with the structures following them (their areas), joined once into ``ra``
        ("'national'", "''", "r", ""),
        ("'region'", "r.reg", "ra r", "GROUP BY r.reg"),
        ("'department'", "r.dep", "ra r", "GROUP BY r.dep"),
        ("'organisation'", _uuid_text("r.o"), "ra r", "GROUP BY r.o"),
        ("'territory'", _uuid_text("td.territory_id"),
         f"ra r JOIN {_territory_through()} td ON td.department_id = r.dep", "GROUP BY td.territory_id"),
    ]
    # Every area's counts in one row (``agg``), then one figure row per competence and metric when not zero:
    # written by the database, no Python loop over areas × competences.
    head = [period.kind, _date_param(period.start)]
    figures, figure_params = [], []
    for i, slug in enumerate(competences):
        for metric, column in (("impact_assessed_twice", f"a_{i}"), ("impact_gained", f"g_{i}")):
            figures.append(f"SELECT %s, %s, agg.lv, agg.cd, '{metric}', %s, agg.{column} FROM agg "
                           f"WHERE agg.{column} > 0")
            figure_params += [*head, slug]
    sql = (f"WITH s AS MATERIALIZED ({pairs_sql}), "
           f"r AS MATERIALIZED (SELECT s.p, {', '.join(ranks)} FROM s), "
           f"ra AS MATERIALIZED (SELECT r.p, {columns}, e.organisation_id AS o, dd.code AS dep, dd.region_id AS reg "
           f"FROM r {areas}), "
           "agg AS MATERIALIZED ("
           + " UNION ALL ".join(f"SELECT {level} AS lv, {code} AS cd, {counts} FROM {source} {group}"
                                for level, code, source, group in parts)
           + ") " + INSERT_FIGURE + " UNION ALL ".join(figures))
    _execute(sql, [*pairs_params, *rank_params, *figure_params])


def derive_period(period: Period) -> None:
    """Replace every figure of ``period`` from the base rollups (one transaction; only the rows that changed are
    written)."""
    with transaction.atomic():
        rollup_lock()
        _planner_settings()
        _execute(f"DROP TABLE IF EXISTS {NEW_FIGURES}")
        _execute(f"CREATE TEMPORARY TABLE {NEW_FIGURES} AS SELECT {FIGURE_COLUMNS} FROM stats_periodfigure WHERE 1 = 0")
        _people_figures(period)
        _distinct_figures(period, "active_trainers", "stats_trainerday")
        _structures_figures(period)
        _tally_figures(period)
        _impact_figures(period)
        if connection.vendor == "postgresql":
            _execute(f"ANALYZE {NEW_FIGURES}")
        same = "n.level = {f}.level AND n.code = {f}.code AND n.metric = {f}.metric AND n.key = {f}.key"
        head = [period.kind, _date_param(period.start)]
        _execute(f"DELETE FROM stats_periodfigure WHERE period = %s AND start = %s AND NOT EXISTS (SELECT 1 FROM "
                 f"{NEW_FIGURES} n WHERE {same.format(f='stats_periodfigure')} "
                 "AND n.value = stats_periodfigure.value)", head)
        _execute(f"INSERT INTO stats_periodfigure ({FIGURE_COLUMNS}) SELECT {FIGURE_COLUMNS} FROM {NEW_FIGURES} n "
                 f"WHERE NOT EXISTS (SELECT 1 FROM stats_periodfigure f WHERE f.period = %s AND f.start = %s "
                 f"AND {same.format(f='f')})", head)
        _execute(f"DROP TABLE {NEW_FIGURES}")
        figures_written()


FIGURES_WRITTEN = "figures_written"


def figures_written() -> None:
    """Mark that figures may have changed (readers that keep a copy of them, the observatory, key it on this mark:
    reading it costs one row, where counting the figures would scan millions)."""
    from django.utils import timezone

    RollupWatermark.objects.update_or_create(name=FIGURES_WRITTEN, defaults={"stored_until": timezone.now()})


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


def _periods_derive(periods: set[Period]) -> int:
    """Derive the periods, months first: a quarter adds up its months' counts, a year its quarters' (SUM_OF)."""
    for period in sorted(periods, key=lambda p: (KINDS.index(p.kind), p.start)):
        derive_period(period)
    return len(periods)


def days_rollup(*, days: Iterable[dt.date]) -> RollupSummary:
    """Recompute the base rows of ``days`` (each run of consecutive days in one transaction), then the
    figures of every period holding one of them. Idempotent: running it twice gives the same rows."""
    began = time.monotonic()
    days = sorted(set(days))
    summary = RollupSummary()
    changed: set[dt.date] = set()
    for first, last in _ranges(days):
        changed |= _base_rollup(first, last, summary)
    summary.periods = _periods_derive(periods_containing(days) | periods_containing(changed))
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
        for model in (ActivityDay, Tally, TrainerDay, FirstActivity, PeriodFigure):
            model.objects.all().delete()
        figures_written()
    bounds = source_days_bounds()
    if bounds is None:
        began = time.monotonic()
        derive_period(Period("all", ALL_START))
        return RollupSummary(periods=1, seconds=time.monotonic() - began)
    first, last = bounds
    began = time.monotonic()
    summary = RollupSummary()
    _base_rollup(first, last, summary)
    _analyze()  # the planner must know the rollup tables are full before deriving the periods from them
    summary.periods = _periods_derive(periods_containing([first + dt.timedelta(days=n)
                                                          for n in range((last - first).days + 1)]))
    summary.seconds = time.monotonic() - began
    return summary


def _analyze() -> None:
    if connection.vendor == "postgresql":
        for model in (ActivityDay, Tally, TrainerDay, FirstActivity):
            _execute(f"ANALYZE {model._meta.db_table}")


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
