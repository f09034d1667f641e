"""Learning events partitioned by month on PostgreSQL (ADR 0017): ``manage.py partition_events`` converts the table in
one transaction, and recording (once per event id), replays and the statistics rollup keep working on it.

The conversion runs inside the test's transaction (PostgreSQL's DDL is transactional): the test database gets its
plain table back at the end. On SQLite the command refuses and changes nothing (PostgreSQL only).
"""

from __future__ import annotations

import datetime as dt
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tremplin.progress import partitioning
from tremplin.progress.enums import ObjectType, Verb
from tremplin.progress.models import LearningEvent
from tremplin.progress.services import EventConflict, event_record
from tremplin.stats import rollup
from tremplin.stats.models import ActivityDay

from ..factories import LearnerFactory

pytestmark = pytest.mark.django_db
POSTGRESQL = connection.vendor == "postgresql"


def _events_over_three_months(learner) -> dict[str, dt.datetime]:
    """Three events, one per month: this month, the one before and the one before that (stored then)."""
    now = timezone.now()
    last_month = (now.replace(day=1) - dt.timedelta(days=1)).replace(day=15, hour=12)
    two_months_ago = (last_month.replace(day=1) - dt.timedelta(days=1)).replace(day=15, hour=12)
    moments = {"now": now, "last_month": last_month, "two_months_ago": two_months_ago}
    for name, moment in moments.items():
        event, _ = event_record(learner=learner, event_id=uuid.uuid5(uuid.NAMESPACE_URL, name), verb=Verb.EXPERIENCED,
                                object_type=ObjectType.STEP, object_id=f"module/{name}")
        LearningEvent.objects.filter(pk=event.pk).update(stored_at=moment, client_timestamp=moment)
    return moments


def _run(*args) -> str:
    out = StringIO()
    call_command("partition_events", *args, stdout=out)
    return out.getvalue()


def _partition_of(event_id) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {partitioning.TABLE} WHERE id = %s", [event_id])
        return cursor.fetchone()[0]


def test_events_partitioned_by_month_are_still_stored_once_refused_on_replay_and_rolled_up():
    samia, karim = LearnerFactory(), LearnerFactory()
    moments = _events_over_three_months(samia)
    if not POSTGRESQL:  # the one behaviour there is: a clear refusal, nothing changed
        with pytest.raises(CommandError, match="PostgreSQL"):
            _run("--dry-run")
        assert LearningEvent.objects.count() == 3
        return

    dry = _run("--dry-run")
    assert "PARTITION BY RANGE (stored_at)" in dry and "PRIMARY KEY (id, stored_at)" in dry
    assert dry.rindex("CREATE INDEX") < dry.index("DROP TABLE")  # built before readers have to wait
    with connection.cursor() as cursor:
        assert not partitioning.is_partitioned(cursor)  # the dry run changed nothing

    report = _run("--ahead", "2")
    assert "3 événements copiés" in report
    with connection.cursor() as cursor:
        assert partitioning.is_partitioned(cursor)
        parts = dict(partitioning.partitions(cursor))
    months = [partitioning.month_start(m.astimezone(dt.UTC).date()) for m in moments.values()]
    for month in months:
        assert parts[partitioning.partition_name(month)] == 1  # each event in its month
    assert len(parts) == 3 + 2 + 1  # three months of events, two ahead, the default partition

    # Recording: a new event once, its replay stores nothing, another learner cannot take its id.
    fresh = uuid.uuid4()
    event, created = event_record(learner=samia, event_id=fresh, verb=Verb.EXPERIENCED, object_type=ObjectType.STEP,
                                  object_id="module/fresh")
    assert created and _partition_of(fresh) == partitioning.partition_name(months[0])
    assert event_record(learner=samia, event_id=fresh, verb=Verb.EXPERIENCED, object_type=ObjectType.STEP,
                        object_id="module/fresh") == (event, False)
    old = uuid.uuid5(uuid.NAMESPACE_URL, "two_months_ago")
    assert event_record(learner=samia, event_id=old, verb=Verb.EXPERIENCED, object_type=ObjectType.STEP,
                        object_id="module/x")[1] is False  # a replay of an event stored two months ago
    with pytest.raises(EventConflict):
        event_record(learner=karim, event_id=fresh, verb=Verb.EXPERIENCED, object_type=ObjectType.STEP,
                     object_id="module/fresh")
    # Two requests with the same id at once: the second insert fails, as the plain table's primary key made it fail
    # (event_record then reads the first one's row), even though it lands at another moment, in another month.
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningEvent.objects.create(id=old, learner=samia, verb=Verb.EXPERIENCED, object_type=ObjectType.STEP,
                                     object_id="module/x")
    assert LearningEvent.objects.filter(learner=samia).count() == 4

    # Back-dating (the demo does it) moves the row to its month and its key with it; deleting frees the id.
    LearningEvent.objects.filter(pk=fresh).update(stored_at=moments["last_month"])
    assert _partition_of(fresh) == partitioning.partition_name(months[1])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT stored_at FROM {partitioning.KEYS} WHERE id = %s", [fresh])
        assert cursor.fetchone()[0] == moments["last_month"]
    LearningEvent.objects.filter(pk=fresh).delete()
    assert event_record(learner=karim, event_id=fresh, verb=Verb.EXPERIENCED, object_type=ObjectType.STEP,
                        object_id="module/fresh")[1] is True

    # The rollup reads the partitioned events: its query finds one event a month, and rolling up the oldest day
    # (two partitions back) counts Samia active that day.
    days = sorted(timezone.localtime(m).date() for m in moments.values())
    assert set(rollup.events_on(days[0], days[-1]).filter(learner=samia).values_list("d", flat=True)) == set(days)
    rollup.days_rollup(days=[days[0]])
    assert list(ActivityDay.objects.filter(person=samia.pk).values_list("day", flat=True)) == [days[0]]

    # Run again: the months ahead exist, nothing to convert.
    assert "Table déjà partitionnée" in _run()
