"""A read replica for statistics (ADR 0017): pages of /pilotage/ and /observatoire/ read their figures on the
"replica" alias; the rollups, which write the figures, and every other write stay on "default".

The test settings point "replica" at the test database itself (TEST MIRROR), so what is written is read back; the
routing is what is checked, query by query, on each connection.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tremplin.organisations.enums import NetworkRole
from tremplin.organisations.services import network_membership_add
from tremplin.progress.enums import ObjectType, Verb
from tremplin.progress.services import event_record
from tremplin.stats import rollup
from tremplin.stats.models import PeriodFigure
from tremplin.stats.periods import Period, today

from ..conftest import page_text
from ..factories import LearnerFactory, StaffFactory


@pytest.fixture
def replica(settings):
    settings.STATS_READ_DATABASE = "replica"
    cache.clear()  # the observatory's publication is cached: read it from the database
    yield connections["replica"]
    cache.clear()
    replica = connections["replica"]
    replica.close()
    if hasattr(replica, "close_pool"):  # PostgreSQL with a pool: let the test database be dropped at the end
        replica.close_pool()


def _tables(queries) -> set[str]:
    return {table for q in queries for table in ("stats_periodfigure", "accounts_user", "progress_learningevent")
            if table in q["sql"]}


# Committed transactions: the replica's connection is another connection, it sees only what is committed.
@pytest.mark.django_db(transaction=True, databases={"default", "replica"})
def test_statistics_pages_read_the_replica_while_recording_and_rollups_stay_on_the_primary(replica, client):
    learner = LearnerFactory()
    with CaptureQueriesContext(replica) as on_replica:
        event_record(learner=learner, event_id="6f1c2d9e-0000-4000-8000-000000000001", verb=Verb.EXPERIENCED,
                     object_type=ObjectType.MODULE, object_id="un-module")
        rollup.since_last_run_rollup()  # reads the watermark, the events; writes the figures
        rollup.days_rollup(days=[today()])
        year = PeriodFigure.objects.filter(period="year", start=Period.containing("year", today()).start,
                                           level="national", metric="people_reached")
        assert year.update(value=4321) == 1
    assert on_replica.captured_queries == []
    with transaction.atomic(), CaptureQueriesContext(replica) as on_replica:  # read what this transaction wrote
        PeriodFigure.objects.create(period="all", start=today(), level="national", metric="just_written", value=7)
        assert PeriodFigure.objects.get(metric="just_written").value == 7
    assert on_replica.captured_queries == []

    chief = StaffFactory()
    network_membership_add(user=chief, role=NetworkRole.NETWORK_ADMIN, territory=None)
    client.force_login(chief)
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_default:
        dashboard = client.get(reverse("network:home"))
    assert dashboard.status_code == 200 and "4321" in page_text(dashboard)
    assert _tables(on_replica.captured_queries) == {"stats_periodfigure"}  # sessions, people: on default
    assert "stats_periodfigure" not in _tables(on_default.captured_queries)

    client.logout()
    with CaptureQueriesContext(replica) as on_replica:
        observatory = client.get(reverse("public:observatory"))
    assert observatory.status_code == 200
    assert _tables(on_replica.captured_queries) == {"stats_periodfigure"}


def test_migrations_run_on_the_primary_only():
    from config.routers import StatsReplicaRouter

    router = StatsReplicaRouter()
    assert router.allow_migrate("default", "stats") is True
    assert router.allow_migrate("replica", "stats") is False
