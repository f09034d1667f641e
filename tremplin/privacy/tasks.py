"""The daily retention task (django-tasks, database backend; run by ``manage.py db_worker``).

django-tasks has no clock: each run queues the next one for the next night (``run_after``), and
``manage.py apply_retention --schedule`` queues the first (``make demo`` and a deployment run it once; queuing
twice is harmless, a run finding tomorrow's already queued queues nothing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.utils import timezone
from django_tasks import task

from .retention import retention_apply

TASK_NAME = "tremplin.privacy.tasks.retention_daily"
HOUR = 3  # 03:00 Europe/Paris: nobody is learning, the rollups ran


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    local = timezone.localtime(now or timezone.now())
    at = local.replace(hour=HOUR, minute=0, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


def schedule_next(*, now: dt.datetime | None = None) -> bool:
    """Queue tomorrow's run unless one is already waiting (True if queued)."""
    try:
        from django_tasks import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        if DBTaskResult.objects.filter(task_path=TASK_NAME, status=TaskResultStatus.READY).exists():
            return False
    except Exception:  # noqa: BLE001 - another backend (tests run tasks immediately): nothing to look at
        pass
    if getattr(retention_daily.get_backend(), "supports_defer", False):
        retention_daily.using(run_after=next_run(now)).enqueue()
        return True
    return False


@task()
def retention_daily() -> dict:
    """Apply every retention period, report what went, and queue tomorrow's run."""
    report = retention_apply()
    schedule_next()
    data = asdict(report)
    data["learners"] = len(report.learners)  # the codes stay out of the task's stored result
    return data
