"""Background tasks of the statistics (django-tasks, database backend; run by ``manage.py db_worker``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.conf import settings
from django_tasks import task

from . import rollup

TASK_NAMES = ("tremplin.stats.tasks.rollup_days", "tremplin.stats.tasks.rollup_since_last_run")


@task()
def rollup_days(days: list[str]) -> dict:
    """Recompute the rollups of these days (ISO dates) and the figures of the periods holding them."""
    parsed = sorted({dt.date.fromisoformat(day) for day in days})
    return asdict(rollup.days_rollup(days=parsed))


@task()
def rollup_since_last_run() -> dict:
    """Recompute the days touched by what was stored since the last successful run (the watermark); on a
    backend that can defer (the database), the next run is queued ``STATS_ROLLUP_EVERY_SECONDS`` later."""
    summary = asdict(rollup.since_last_run_rollup())
    if rollup_since_last_run.get_backend().supports_defer:
        since_last_run_schedule(delay=dt.timedelta(seconds=getattr(settings, "STATS_ROLLUP_EVERY_SECONDS", 300)))
    return summary


def since_last_run_schedule(*, delay: dt.timedelta = dt.timedelta(0)) -> bool:
    """Queue ``rollup_since_last_run`` unless one is already waiting (on the database backend). True if queued."""
    from django.utils import timezone
    from django_tasks import TaskResultStatus

    backend = rollup_since_last_run.get_backend()
    if backend.supports_defer:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, backend_name=backend.alias,
                                              task_path=TASK_NAMES[1])
        if waiting.exists():
            return False
        rollup_since_last_run.using(run_after=timezone.now() + delay).enqueue()
    else:
        rollup_since_last_run.enqueue()
    return True


def abandoned_requeue(*, older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Put back in the queue the rollup tasks a worker claimed and never finished (it died: killed, machine
    restarted). The backend leaves them « running » for ever; rollups are idempotent, so running one again is
    safe. Returns how many were put back."""
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, task_path__in=TASK_NAMES,
                                        started_at__lt=timezone.now() - older_than)
    return stale.update(status=TaskResultStatus.READY, started_at=None)
