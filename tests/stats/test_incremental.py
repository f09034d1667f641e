"""The nightly rollup touches one day: what it keeps (first days of people, sums of shorter periods) must give the
figures a full recomputation gives — late events, diagnostics, territories, erasure."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.stats.world import build_world, diagnostic, event
from tremplin.diagnostic.models import Competence
from tremplin.organisations.models import Territory
from tremplin.progress.enums import ObjectType, Verb
from tremplin.progress.models import LearningEvent
from tremplin.stats import rollup
from tremplin.stats.figures import Area, area_figures
from tremplin.stats.models import FirstActivity, PeriodFigure
from tremplin.stats.periods import ALL_START, Period

pytestmark = pytest.mark.django_db

JAN, FEB, D1, D2 = dt.date(2026, 1, 20), dt.date(2026, 2, 10), dt.date(2026, 3, 2), dt.date(2026, 3, 9)
MARCH, FEBRUARY = Period("month", D1), Period("month", FEB)
YEAR, ALL = Period("year", D1), Period("all", ALL_START)


def figures(level: str, code: str = "", period: Period = MARCH):
    return area_figures(area=Area(level, code), period=period)


def snapshot() -> list[tuple]:
    """Every figure but zeros (a full recomputation also writes the zeros of the months with nothing)."""
    return sorted(PeriodFigure.objects.exclude(value=0).values_list("period", "start", "level", "code", "metric",
                                                                     "key", "value"))


@pytest.fixture
def world():
    return build_world()


def completed(learner, day, module="ecran-tactile"):
    return event(learner, day, verb=Verb.COMPLETED, object_type=ObjectType.MODULE, object_id=module)


def test_a_learner_followed_in_two_departments_of_one_territory_completes_a_module_once_there(world):
    hub = Territory.objects.create(name="Pôle Ouest", kind="hub")
    hub.departments.set(["49", "33"])
    completed(world.angers_and_merignac, D1)  # followed in 49 and in 33, both in the hub
    completed(world.only_angers, D1)
    rollup.days_rollup(days=[D1])
    for period in (MARCH, Period("quarter", D1), YEAR, ALL):
        assert figures("territory", str(hub.pk), period)["module_completed"] == 2
        assert figures("territory", str(hub.pk), period).by("module_completed") == {"ecran-tactile": 2}
    assert figures("department", "33")["module_completed"] == 1
    assert figures("national")["module_completed"] == 2


def test_a_late_event_before_someones_first_day_makes_them_new_then_and_no_longer_new_later(world):
    event(world.only_angers, D1)
    rollup.days_rollup(days=[D1])
    assert figures("national")["people_new"] == 1
    event(world.only_angers, FEB)  # synced late: only February is recomputed
    rollup.days_rollup(days=[FEB])
    assert figures("national", period=FEBRUARY)["people_new"] == 1
    assert figures("organisation", str(world.angers.pk), FEBRUARY)["people_new"] == 1
    assert figures("national")["people_new"] == 0  # March was derived again, though not recomputed
    assert figures("national")["people_reached"] == 1
    assert figures("national", period=YEAR)["people_new"] == 1


def test_removing_someones_only_activity_of_a_day_takes_them_out_of_every_period(world):
    row = event(world.angers_and_saumur, D1)
    rollup.days_rollup(days=[D1])
    assert figures("organisation", str(world.saumur.pk), ALL)["people_reached"] == 1
    LearningEvent.objects.filter(pk=row.pk).delete()
    rollup.days_rollup(days=[D1])
    for period in (MARCH, YEAR, ALL):
        assert figures("national", period=period)["people_reached"] == 0
        assert figures("organisation", str(world.saumur.pk), period)["people_new"] == 0
    assert not FirstActivity.objects.exists()


def test_a_diagnostic_on_the_day_rolled_up_lands_in_the_impact_of_every_period_holding_it(world):
    Competence.objects.create(slug="mails", title="Les courriels", summary="…")
    diagnostic(world.only_angers, JAN, {"mails": "debutant"})
    rollup.days_rollup(days=[JAN])
    assert figures("national", period=ALL).impact() == []
    diagnostic(world.only_angers, D2, {"mails": "autonome"})
    rollup.days_rollup(days=[D2])  # the nightly rollup of that day
    for period in (MARCH, Period("quarter", D2), YEAR, ALL):
        assert figures("national", period=period).impact() == [("mails", 1, 1, 100)]
        assert figures("organisation", str(world.angers.pk), period).by("impact_gained") == {"mails": 1}
    assert figures("national", period=Period("month", JAN)).impact() == []


def test_longer_periods_add_up_the_counts_of_shorter_ones_and_follow_a_recomputed_day(world):
    completed(world.only_angers, JAN)
    march = completed(world.angers_and_saumur, D1, module="clavier")
    completed(world.autonomous, D2, module="clavier")
    rollup.range_rollup(first=JAN, last=D2)
    assert figures("national", period=Period("quarter", D1))["module_completed"] == 3
    assert figures("organisation", str(world.angers.pk), YEAR).by("module_completed") == {
        "ecran-tactile": 1, "clavier": 1}
    LearningEvent.objects.filter(pk=march.pk).delete()
    rollup.days_rollup(days=[D1])
    assert figures("national", period=ALL).by("module_completed") == {"ecran-tactile": 1, "clavier": 1}
    assert figures("organisation", str(world.saumur.pk), ALL)["module_completed"] == 0


def test_rolling_up_day_by_day_in_any_order_gives_what_a_full_recomputation_gives(world):
    hub = Territory.objects.create(name="Pôle Ouest", kind="hub")
    hub.departments.set(["49", "33"])
    days = [JAN, FEB, D1, D2, dt.date(2025, 12, 30)]
    for n, day in enumerate(days):
        for learner in (world.only_angers, world.angers_and_saumur, world.angers_and_merignac, world.autonomous)[n % 3:]:
            event(learner, day)
            completed(learner, day, module=f"m{n % 2}")
    rollup.all_rollup()
    full = snapshot()
    PeriodFigure.objects.all().delete()
    FirstActivity.objects.all().delete()
    for day in (D2, JAN, dt.date(2025, 12, 30), D1, FEB):
        rollup.days_rollup(days=[day])
    assert snapshot() == full


def test_an_erased_persons_id_is_replaced_in_the_first_days_too_so_a_recomputation_counts_them_once(world):
    from tests.factories import LearnerFactory

    event(world.autonomous, D1)
    rollup.days_rollup(days=[D1])
    before = snapshot()
    anonymous = LearnerFactory()  # what erasure leaves: the events belong to an anonymous account
    LearningEvent.objects.filter(learner=world.autonomous).update(learner=anonymous)
    rollup.person_replace(old=world.autonomous.pk, new=anonymous.pk)
    rollup.days_rollup(days=[D1])
    assert snapshot() == before
    assert set(FirstActivity.objects.values_list("person", flat=True)) == {anonymous.pk}
