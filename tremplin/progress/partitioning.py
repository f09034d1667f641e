"""``LearningEvent`` partitioned by month on PostgreSQL (ADR 0017, docs/deployment-scale-out.md).

The table ``progress_learningevent`` becomes a table partitioned by range of ``stored_at``, one partition per calendar
month (UTC) and a default partition that catches what no month holds. Django sees the same table and columns: the
change is made in SQL, outside migrations (PostgreSQL only; SQLite keeps the plain table).

A partitioned table's unique constraints must hold the partition key: its primary key becomes ``(id, stored_at)``. The
event's id stays unique across partitions through ``progress_learningevent_key`` (id primary key, stored_at), kept by
triggers on the events table: inserting an id already there fails with a unique violation, as the plain table's
primary key did, so ``event_record``'s idempotency (look up by id; a concurrent double submit gets an IntegrityError)
is unchanged.

``conversion_sql`` is the one-transaction conversion: lock writes (reads go on), create the partitioned table and its
months, copy the rows and their keys, build its primary key, the plain table's indexes and foreign keys (same
definitions, read from the catalog) and the key triggers; then drop the plain table and take its names (readers wait
only for these last instants). ``maintenance_sql`` creates the months ahead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

TABLE = "progress_learningevent"
NEW = "progress_learningevent_partitioned"
KEYS = "progress_learningevent_key"
DEFAULT_PARTITION = f"{TABLE}_default"
SYNC = "progress_learningevent_key_sync"
EMPTIED = "progress_learningevent_key_empty"


class NotConvertible(Exception):
    """The database or the table is not in a state this conversion knows (message in English, for the operator)."""


@dataclass(frozen=True)
class TableShape:
    """What the plain table has that the partitioned one must get back (read from PostgreSQL's catalog)."""

    indexes: list[tuple[str, str]]  # (name, CREATE INDEX …) other than the primary key
    foreign_keys: list[tuple[str, str]]  # (name, FOREIGN KEY … definition)
    first_month: dt.date | None  # month of the oldest stored_at, None when empty
    rows: int


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def months(first: dt.date, last: dt.date) -> list[dt.date]:
    found, month = [], month_start(first)
    while month <= last:
        found.append(month)
        month = next_month(month)
    return found


def partition_name(month: dt.date) -> str:
    return f"{TABLE}_y{month.year:04d}m{month.month:02d}"


def _partition_sql(parent: str, month: dt.date) -> str:
    return (f"CREATE TABLE IF NOT EXISTS {partition_name(month)} PARTITION OF {parent} "
            f"FOR VALUES FROM ('{month.isoformat()} 00:00:00+00') TO ('{next_month(month).isoformat()} 00:00:00+00')")


def is_partitioned(cursor) -> bool:
    cursor.execute("SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                   "WHERE c.relname = %s AND n.nspname = current_schema()", [TABLE])
    row = cursor.fetchone()
    if row is None:
        raise NotConvertible(f"no table {TABLE}: run migrate first")
    return row[0] == "p"


def table_shape(cursor) -> TableShape:
    cursor.execute("SELECT conname, conrelid::regclass::text FROM pg_constraint "
                   "WHERE contype = 'f' AND confrelid = %s::regclass", [TABLE])
    incoming = cursor.fetchall()
    if incoming:
        raise NotConvertible(f"foreign keys point at {TABLE} ({incoming}): a partitioned table's key is (id, "
                             "stored_at); change them first")
    cursor.execute("SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
                   "AND i.tablename = %s AND i.indexname NOT IN (SELECT conname FROM pg_constraint "
                   "WHERE conrelid = %s::regclass AND contype IN ('p', 'u')) ORDER BY i.indexname", [TABLE, TABLE])
    indexes = [(name, definition) for name, definition in cursor.fetchall()]
    if any(" UNIQUE " in definition.upper() for _name, definition in indexes):
        raise NotConvertible(f"{TABLE} has a unique index besides its primary key: not handled")
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname", [TABLE])
    foreign_keys = list(cursor.fetchall())
    cursor.execute(f"SELECT min(stored_at), count(*) FROM {TABLE}")
    oldest, rows = cursor.fetchone()
    first = month_start(oldest.astimezone(dt.UTC).date()) if oldest is not None else None
    return TableShape(indexes=indexes, foreign_keys=foreign_keys, first_month=first, rows=rows)


def _temporary(name: str) -> str:
    return f"{name[:59]}_new"


def _on_new_table(index_name: str, definition: str) -> str:
    """``CREATE INDEX name ON public.progress_learningevent USING …`` → the same index, temporary name, new table."""
    found = re.match(r"CREATE INDEX (\S+) ON (\S+) (USING .*)$", definition, flags=re.DOTALL)
    if found is None or found.group(1) != index_name:
        raise NotConvertible(f"index {index_name} not understood: {definition}")
    return f"CREATE INDEX {_temporary(index_name)} ON {NEW} {found.group(3)}"


def conversion_sql(shape: TableShape, *, today: dt.date, ahead: int = 3) -> list[str]:
    """The statements converting the plain table, to run in one transaction, in order.

    Everything long (copy, key table, primary key, indexes, foreign-key checks) is built on the new table while the
    plain one is only locked against writes; readers wait only for the last statements (drop, renames: instants)."""
    last = today
    for _ in range(ahead):
        last = next_month(last)
    first = shape.first_month or month_start(today)
    return [
        # Deferred foreign-key checks of this transaction now (a plain table with pending checks cannot be dropped).
        "SET CONSTRAINTS ALL IMMEDIATE",
        # Writes wait from here to the commit; reads go on until the DROP near the end.
        f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE",
        f"CREATE TABLE {NEW} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE) "
        "PARTITION BY RANGE (stored_at)",
        *[_partition_sql(NEW, month) for month in months(first, last)],
        f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {NEW} DEFAULT",
        f"INSERT INTO {NEW} SELECT * FROM {TABLE}",
        f"CREATE TABLE {KEYS} (id uuid NOT NULL, stored_at timestamp with time zone NOT NULL)",
        f"INSERT INTO {KEYS} (id, stored_at) SELECT id, stored_at FROM {TABLE}",
        f"ALTER TABLE {KEYS} ADD CONSTRAINT {KEYS}_pkey PRIMARY KEY (id)",  # built once, sorted: faster than row by row
        f"ALTER TABLE {NEW} ADD CONSTRAINT {_temporary(TABLE + '_pkey')} PRIMARY KEY (id, stored_at)",
        *[_on_new_table(name, definition) for name, definition in shape.indexes],
        # Foreign-key names belong to their table: the final names already.
        *[f"ALTER TABLE {NEW} ADD CONSTRAINT {name} {definition}" for name, definition in shape.foreign_keys],
        *key_triggers_sql(NEW),
        # From here readers wait too, for instants.
        f"DROP TABLE {TABLE}",
        f"ALTER TABLE {NEW} RENAME TO {TABLE}",
        f"ALTER TABLE {TABLE} RENAME CONSTRAINT {_temporary(TABLE + '_pkey')} TO {TABLE}_pkey",
        *[f"ALTER INDEX {_temporary(name)} RENAME TO {name}" for name, _definition in shape.indexes],
    ]


def key_triggers_sql(table: str = TABLE) -> list[str]:
    """Keep ``progress_learningevent_key`` in step with the events: an id inserted twice fails (unique violation);
    a row moved to another month (its stored_at changed: the demo back-dates events) or deleted moves its key."""
    return [
        f"""CREATE OR REPLACE FUNCTION {SYNC}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {KEYS} (id, stored_at) VALUES (NEW.id, NEW.stored_at);
    ELSIF TG_OP = 'UPDATE' THEN
        IF NEW.id IS DISTINCT FROM OLD.id OR NEW.stored_at IS DISTINCT FROM OLD.stored_at THEN
            UPDATE {KEYS} SET id = NEW.id, stored_at = NEW.stored_at WHERE id = OLD.id;
        END IF;
    ELSE
        DELETE FROM {KEYS} WHERE id = OLD.id;
    END IF;
    RETURN NULL;
END
$$""",
        f"""CREATE OR REPLACE FUNCTION {EMPTIED}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE {KEYS};
    RETURN NULL;
END
$$""",
        f"CREATE TRIGGER {SYNC} AFTER INSERT OR UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {SYNC}()",
        f"CREATE TRIGGER {EMPTIED} AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {EMPTIED}()",
    ]


def maintenance_sql(*, today: dt.date, ahead: int = 3) -> list[str]:
    """On the partitioned table: the months from this one to ``ahead`` months on (those missing are created)."""
    last = today
    for _ in range(ahead):
        last = next_month(last)
    return [_partition_sql(TABLE, month) for month in months(month_start(today), last)]


def partitions(cursor) -> list[tuple[str, int]]:
    """(partition, rows) of the partitioned table, in name order."""
    cursor.execute(f"SELECT tableoid::regclass::text, count(*) FROM {TABLE} GROUP BY 1 ORDER BY 1")
    counted = dict(cursor.fetchall())
    cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                   "WHERE i.inhparent = %s::regclass ORDER BY c.relname", [TABLE])
    return [(name, counted.get(name, 0)) for (name,) in cursor.fetchall()]
