"""Where queries go when the database has a read replica (ADR 0017, docs/deployment-scale-out.md).

Pages of statistics (/pilotage/ dashboards and exports, /observatoire/) read only the figures of the ``stats`` app:
those reads go to ``settings.STATS_READ_DATABASE`` (the "replica" alias when ``DATABASE_REPLICA_URL`` is set). Every
other read, every write, and any read made inside a transaction on "default" (the rollups compute the figures and
read what they have just written; an erasure rewrites rows) stay on "default", as do the rollups' own bookkeeping
(``RollupWatermark``: read then moved by the same run). A replica lags by a few seconds: figures are recomputed every
few minutes anyway. Migrations run on "default" only; the replica receives them by streaming replication.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICATED_APPS = {"stats"}
PRIMARY_ONLY_MODELS = {"stats.rollupwatermark"}


class StatsReplicaRouter:
    def db_for_read(self, model, **hints):
        replica = getattr(settings, "STATS_READ_DATABASE", None)
        if not replica or model._meta.app_label not in REPLICATED_APPS:
            return None
        if model._meta.label_lower in PRIMARY_ONLY_MODELS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # read what this transaction wrote: the replica cannot see it
        return replica

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as "default": an object read there may point at one read here.
        aliases = {DEFAULT_DB_ALIAS, getattr(settings, "STATS_READ_DATABASE", None) or DEFAULT_DB_ALIAS}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
