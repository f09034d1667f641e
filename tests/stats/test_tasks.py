"""The rollups run as background tasks (django-tasks) and through ``manage.py rollup_stats``."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.stats.world import at, build_world, event
from tremplin.stats import rollup, tasks
from tremplin.stats.figures import NATIONAL, area_figures
from tremplin.stats.models import RollupWatermark
from tremplin.stats.periods import Period

D1 = dt.date(2026, 3, 2)
MARCH = Period("month", D1)


def reached() -> int:
    return area_figures(area=NATIONAL, period=MARCH)["people_reached"]


@pytest.mark.django_db
def test_a_rollup_task_enqueued_in_tests_runs_at_once():
    world = build_world()
    event(world.only_angers, D1)
    result = tasks.rollup_days.enqueue([D1.isoformat()])
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert reached() == 1


def worker_runs_once() -> None:
    call_command("db_worker", "--backend", "database", "--batch", "--no-startup-delay", "--no-reload")


@pytest.mark.django_db(transaction=True)  # the worker opens its own transactions
def test_a_rollup_enqueued_on_the_database_is_done_by_the_worker_and_one_whose_worker_died_is_done_again():
    world = build_world()
    event(world.only_angers, D1)
    event(world.autonomous, D1)
    result = tasks.rollup_days.using(backend="database").enqueue([D1.isoformat()])
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY
    assert reached() == 0
    worker_runs_once()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
    assert reached() == 2

    # Another run: a worker claimed it, wrote the day's base rows, and was killed before the periods.
    event(world.angers_and_saumur, D1)
    result = tasks.rollup_days.using(backend="database").enqueue([D1.isoformat()])
    DBTaskResult.objects.get(pk=result.id).claim("dead-worker")
    rollup._base_rollup(D1, D1, rollup.RollupSummary())
    DBTaskResult.objects.filter(pk=result.id).update(started_at=timezone.now() - dt.timedelta(hours=2))
    worker_runs_once()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING  # the backend never retries
    assert reached() == 2

    assert tasks.abandoned_requeue() == 1
    worker_runs_once()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
    assert reached() == 3


@pytest.mark.django_db
def test_a_failed_run_since_the_last_one_leaves_the_watermark_so_the_next_run_does_the_days_again(monkeypatch):
    world = build_world()
    rollup.watermark_set(now=at(D1, 0))
    mark = RollupWatermark.objects.get(name=rollup.WATERMARK).stored_until
    event(world.only_angers, D1)

    def dies(period):
        raise RuntimeError("worker killed")

    real = rollup.derive_period
    monkeypatch.setattr(rollup, "derive_period", dies)
    later = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(RuntimeError):
        rollup.since_last_run_rollup(now=later)
    assert RollupWatermark.objects.get(name=rollup.WATERMARK).stored_until == mark

    monkeypatch.setattr(rollup, "derive_period", real)
    assert rollup.since_last_run_rollup(now=later).days == 1
    assert reached() == 1
    assert RollupWatermark.objects.get(name=rollup.WATERMARK).stored_until > mark
    assert rollup.since_last_run_rollup(now=later).days == 0  # nothing new


@pytest.mark.django_db
def test_rollup_stats_recomputes_a_day_and_says_so_in_french():
    world = build_world()
    day = timezone.localdate()  # « --all » goes up to today: a recent day keeps it short
    event(world.only_angers, day)
    out = StringIO()
    call_command("rollup_stats", "--day", day.isoformat(), stdout=out)
    assert "Statistiques recalculées : 1 jour(s), 1 ligne(s) d'activité" in out.getvalue()
    this_month = Period("month", day)
    assert area_figures(area=NATIONAL, period=this_month)["people_reached"] == 1
    call_command("rollup_stats", "--from", day.isoformat(), "--to", day.isoformat(), stdout=out)
    call_command("rollup_stats", "--all", stdout=out)
    assert area_figures(area=NATIONAL, period=this_month)["people_reached"] == 1
    assert RollupWatermark.objects.exists()


@pytest.mark.django_db
def test_rollup_stats_refuses_bad_options_in_french():
    with pytest.raises(CommandError, match="n'est pas une date au format AAAA-MM-JJ"):
        call_command("rollup_stats", "--day", "2026-02-30")
    with pytest.raises(CommandError, match="--from et --to vont ensemble"):
        call_command("rollup_stats", "--from", "2026-02-01")
    with pytest.raises(CommandError, match="une seule option"):
        call_command("rollup_stats", "--all", "--day", "2026-02-01")


@pytest.mark.django_db
def test_rollup_stats_can_leave_the_work_to_the_worker():
    world = build_world()
    event(world.only_angers, D1)
    out = StringIO()
    call_command("rollup_stats", "--enqueue", stdout=out)  # tests run tasks at once
    assert "Calcul des statistiques confié au worker" in out.getvalue()
    assert reached() == 1
