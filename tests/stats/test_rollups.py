"""Rollups and the figures read from them: distinct people per area, late events, recomputing, impact."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.stats.world import at, build_world, diagnostic, event, record, workshop
from tremplin.diagnostic.models import Competence
from tremplin.organisations.models import Territory
from tremplin.progress.enums import ObjectType, Verb
from tremplin.stats import rollup
from tremplin.stats.figures import NATIONAL, Area, area_figures, children_figures, goal_progress, share, with_previous
from tremplin.stats.models import ActivityDay, PeriodFigure, Tally
from tremplin.stats.periods import Period, period_parse

pytestmark = pytest.mark.django_db

MARCH = Period("month", dt.date(2026, 3, 1))
D1, D2, D3 = dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 16)


def figures(level: str, code: str = "", period: Period = MARCH):
    return area_figures(area=Area(level, code), period=period)


def snapshot() -> list[tuple]:
    return sorted(PeriodFigure.objects.values_list("period", "start", "level", "code", "metric", "key", "value"))


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def busy_march(world):
    """Every learner active on several days of March; the shared ones in their two structures."""
    for day in (D1, D2, D3):
        for learner in (world.only_angers, world.angers_and_saumur, world.angers_and_merignac, world.autonomous):
            event(learner, day)
            event(learner, day, hour=15)
    rollup.range_rollup(first=D1, last=D3)
    return world


def test_people_are_counted_once_per_area_however_many_days_and_structures(busy_march):
    w = busy_march
    assert figures("national")["people_reached"] == 4
    assert figures("region", "52")["people_reached"] == 3
    assert figures("region", "75")["people_reached"] == 1
    assert figures("department", "49")["people_reached"] == 3
    assert figures("organisation", str(w.angers.pk))["people_reached"] == 3
    assert figures("organisation", str(w.saumur.pk))["people_reached"] == 1
    assert figures("organisation", str(w.merignac.pk))["people_reached"] == 1
    # The quarter, the year and « depuis le début » hold March too.
    assert figures("national", period=Period("quarter", D1))["people_reached"] == 4
    assert figures("national", period=Period("year", D1))["people_reached"] == 4
    assert goal_progress() == (4, 1_000_000)


def test_autonomous_learners_count_nationally_only(world):
    event(world.autonomous, D1)
    rollup.days_rollup(days=[D1])
    assert figures("national")["people_reached"] == 1
    assert figures("region", "52")["people_reached"] == 0
    assert figures("organisation", str(world.angers.pk)).no_data


def test_a_learner_followed_by_two_structures_completes_a_module_once_per_level(world):
    event(world.angers_and_saumur, D1, verb=Verb.COMPLETED, object_type=ObjectType.MODULE, object_id="ecran-tactile")
    rollup.days_rollup(days=[D1])
    assert figures("national")["module_completed"] == 1
    assert figures("region", "52")["module_completed"] == 1
    assert figures("department", "49")["module_completed"] == 1
    assert figures("organisation", str(world.angers.pk))["module_completed"] == 1
    assert figures("organisation", str(world.saumur.pk))["module_completed"] == 1
    assert figures("national").by("module_completed") == {"ecran-tactile": 1}


def test_a_territory_counts_the_people_of_its_departments_once(world):
    hub = Territory.objects.create(name="Pôle Ouest", kind="hub")
    hub.departments.set(["49", "33"])
    for learner in (world.only_angers, world.angers_and_merignac, world.autonomous):
        event(learner, D1)
    rollup.days_rollup(days=[D1])
    assert figures("territory", str(hub.pk))["people_reached"] == 2
    assert figures("territory", str(hub.pk))["active_structures"] == 2


def test_new_people_are_those_never_active_there_before(world):
    event(world.only_angers, dt.date(2026, 2, 10))
    event(world.only_angers, D1)
    event(world.angers_and_merignac, D1)
    rollup.days_rollup(days=[dt.date(2026, 2, 10), D1])
    march = figures("national")
    assert (march["people_reached"], march["people_new"]) == (2, 1)
    assert figures("organisation", str(world.merignac.pk))["people_new"] == 1
    assert figures("national", period=Period("all", D1))["people_new"] == 2


def test_structures_and_trainers_are_active_through_events_workshops_and_records(world):
    event(world.only_angers, D1)
    workshop(world.saumur, D2, attendees=[world.angers_and_saumur, world.only_angers], recorded_by=world.trainer)
    record(world.merignac, D3, by=world.trainer, themes=["email", "demarche_en_ligne"])
    record(world.merignac, D3, by=world.trainer, themes=["email"])
    rollup.range_rollup(first=D1, last=D3)
    national = figures("national")
    assert national["active_structures"] == 3
    assert national["active_trainers"] == 1
    assert (national["workshop"], national["attendance"]) == (1, 2)
    assert national["accompaniment_total"] == 2
    assert national.by("accompaniment") == {"email": 2, "demarche_en_ligne": 1}
    assert figures("department", "33")["active_structures"] == 1
    assert figures("organisation", str(world.saumur.pk))["attendance"] == 2


def test_a_late_offline_event_lands_in_the_day_it_happened(world):
    rollup.days_rollup(days=[D1])
    rollup.watermark_set(now=at(D3, 8))
    event(world.only_angers, D1, client=True, stored=at(D3, 9))  # done offline on D1, synced on D3
    summary = rollup.since_last_run_rollup(now=at(D3, 23))
    assert summary.days == 1
    assert list(ActivityDay.objects.values_list("day", flat=True)) == [D1]
    assert figures("national", period=Period("month", D1))["people_reached"] == 1
    assert not ActivityDay.objects.filter(day=D3).exists()


def test_a_device_clock_ahead_is_not_believed(world):
    event(world.only_angers, D3, client=True, stored=at(D1, 9))  # the device said D3 but it was stored on D1
    rollup.range_rollup(first=D1, last=D3)
    assert list(ActivityDay.objects.values_list("day", flat=True)) == [D1]


def test_recomputing_a_past_day_gives_the_same_figures(busy_march):
    record(busy_march.angers, D2, by=busy_march.trainer, themes=["email"])
    rollup.range_rollup(first=D1, last=D3)
    before = snapshot()
    assert before
    rollup.days_rollup(days=[D2])
    assert snapshot() == before


def test_recomputing_is_idempotent(busy_march):
    rows = (ActivityDay.objects.count(), Tally.objects.count(), snapshot())
    rollup.range_rollup(first=D1, last=D3)
    rollup.range_rollup(first=D1, last=D3)
    assert (ActivityDay.objects.count(), Tally.objects.count(), snapshot()) == rows


def test_a_period_with_no_data_gives_zeros_and_says_so(busy_march):
    empty = figures("national", period=Period("year", dt.date(2019, 1, 1)))
    assert empty.no_data
    assert set(empty.values()) == {0}
    assert empty.impact() == []
    assert share(0, 0) is None
    current, previous = with_previous(area=NATIONAL, period=MARCH)
    assert not current.no_data and previous.no_data


def test_impact_counts_the_people_who_gained_a_level_since_their_first_diagnostic(world):
    Competence.objects.create(slug="mails", title="Les courriels", summary="…")
    Competence.objects.create(slug="clavier", title="Le clavier", summary="…")
    january = dt.date(2026, 1, 15)
    diagnostic(world.only_angers, january, {"mails": "debutant", "clavier": "initie"})
    diagnostic(world.only_angers, D2, {"mails": "initie", "clavier": "initie"})  # gained in « mails »
    diagnostic(world.angers_and_merignac, january, {"mails": "autonome"})
    diagnostic(world.angers_and_merignac, D2, {"mails": "initie", "clavier": "debutant"})  # lost a level
    diagnostic(world.autonomous, D2, {"mails": "confirme"})  # a single diagnostic: not counted
    rollup.days_rollup(days=[january, D2])
    march = figures("national")
    assert march.by("impact_assessed_twice") == {"mails": 2, "clavier": 1}
    assert march.by("impact_gained") == {"mails": 1}
    assert march.impact() == [("clavier", 1, 0, 0), ("mails", 2, 1, 50)]
    assert figures("region", "75").by("impact_assessed_twice") == {"mails": 1}
    assert figures("national", period=Period("month", january)).impact() == []


def test_reading_an_area_makes_the_same_few_queries_however_many_learners(world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            area_figures(area=NATIONAL, period=MARCH)
            with_previous(area=Area("department", "49"), period=MARCH)
            children_figures(area=Area("department", "49"), period=MARCH, level="organisation")
        return len(ctx.captured_queries)

    event(world.only_angers, D1)
    rollup.days_rollup(days=[D1])
    few = queries()
    for day in (D1, D2, D3):
        for learner in (world.angers_and_saumur, world.angers_and_merignac, world.autonomous):
            event(learner, day, verb=Verb.COMPLETED, object_type=ObjectType.MODULE, object_id=f"m{day.day}")
    rollup.range_rollup(first=D1, last=D3)
    assert queries() == few <= 10


def test_children_are_listed_with_their_figures_even_without_data(busy_march):
    rows = children_figures(area=Area("region", "52"), period=MARCH, level="department")
    assert [(area.code, area.name, f["people_reached"]) for area, f in rows] == [
        ("44", "Loire-Atlantique", 0), ("49", "Maine-et-Loire", 3)]
    only = children_figures(area=NATIONAL, period=MARCH, level="region", codes=["75"])
    assert [(area.code, f["people_reached"]) for area, f in only] == [("75", 1)]


def test_a_period_read_from_the_query_string_never_fails():
    assert period_parse("month", "2026-03-17") == MARCH
    assert period_parse("quarter", "2026-05").start == dt.date(2026, 4, 1)
    assert period_parse("trimestre", "n'importe quoi").kind == "year"
    assert period_parse(None, None).kind == "year"
    assert period_parse("month", "2026-13-45").kind == "month"
    assert MARCH.previous() == Period("month", dt.date(2026, 2, 1))
    assert Period("quarter", dt.date(2026, 1, 1)).previous() == Period("quarter", dt.date(2025, 10, 1))
    assert MARCH.label == "mars 2026"
    assert Period("quarter", D1).label == "1er trimestre 2026"
    assert Period("all", D1).previous() is None


@pytest.mark.django_db(transaction=True)
def test_two_rollups_at_once_run_one_after_the_other_so_nobody_is_counted_twice(world):
    """Two workers rolling up the same day: each rollup transaction waits for the other (rollup.rollup_lock)."""
    import threading

    from django.db import connections, transaction

    for learner in (world.only_angers, world.angers_and_saumur):
        event(learner, D1)
    rollup.days_rollup(days=[D1])
    once = snapshot()
    if connection.vendor == "sqlite":  # one writer at a time: every transaction begins IMMEDIATE (base settings)
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        return
    holding, order = threading.Event(), []

    def other_worker():
        with transaction.atomic():  # another rollup, in the middle of its transaction
            rollup.rollup_lock()
            holding.set()
            threading.Event().wait(1.0)
            order.append("other worker done")
        connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    assert holding.wait(10)
    rollup.days_rollup(days=[D1])  # waits for the other worker's commit
    order.append("this rollup done")
    thread.join()
    assert order == ["other worker done", "this rollup done"]
    assert snapshot() == once
