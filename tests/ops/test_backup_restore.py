"""A backup restores into an empty database with every learner and event (docs/deployment.md)."""

import sqlite3
import subprocess
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import LearnerFactory
from tremplin.accounts.models import User
from tremplin.lib.backup import backup, restore
from tremplin.progress.models import LearningEvent


def _learners_and_events():
    learners = [LearnerFactory() for _ in range(3)]
    events = [LearningEvent.objects.create(id=uuid.uuid4(), learner=learner, verb="experienced",
                                           object_type="module", object_id=f"module-{n}")
              for n, learner in enumerate(learners * 2)]
    return {_key(u.pk) for u in learners}, {_key(e.pk) for e in events}


def _key(value) -> str:
    """A primary key as the same text whatever the database returns (SQLite: 32 hex digits; PostgreSQL: UUID)."""
    try:
        return uuid.UUID(str(value)).hex
    except ValueError:
        return str(value)


def _rows(query, run):
    return {_key(row[0]) for row in run(query)}


def _queries():
    return (f"SELECT id FROM {User._meta.db_table} WHERE kind = 'learner'",
            f"SELECT id FROM {LearningEvent._meta.db_table}")


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_every_learner_and_event(tmp_path):
    learners, events = _learners_and_events()
    path = backup(directory=tmp_path)
    assert path.parent == tmp_path and path.name.startswith("tremplin-")
    users_sql, events_sql = _queries()

    if connection.vendor == "sqlite":
        target = {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
        restore(path, settings_dict=target)
        with sqlite3.connect(target["NAME"]) as db:
            found_learners = _rows(users_sql, lambda q: db.execute(q).fetchall())
            found_events = _rows(events_sql, lambda q: db.execute(q).fetchall())
    else:
        import psycopg

        name = f"tremplin_restore_{uuid.uuid4().hex[:8]}"
        base = connection.settings_dict
        dsn = {"host": base["HOST"] or None, "port": base["PORT"] or None, "user": base["USER"],
               "password": base["PASSWORD"] or None}
        with psycopg.connect(dbname="postgres", autocommit=True, **dsn) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            restore(path, settings_dict={**base, "NAME": name})
            with psycopg.connect(dbname=name, **dsn) as db:
                found_learners = _rows(users_sql, lambda q: db.execute(q).fetchall())
                found_events = _rows(events_sql, lambda q: db.execute(q).fetchall())
        finally:
            with psycopg.connect(dbname="postgres", autocommit=True, **dsn) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    assert learners <= found_learners
    assert found_events == events


@pytest.mark.django_db
def test_restoring_over_a_database_that_has_tables_is_refused_without_force(tmp_path):
    path = tmp_path / "tremplin-old.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x)")
    target = tmp_path / "current.sqlite3"
    with sqlite3.connect(target) as db:
        db.execute("CREATE TABLE learners (x)")
        db.execute("INSERT INTO learners VALUES (1)")
    settings_dict = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)}

    with pytest.raises(Exception, match=r"n'est pas vide \(1 tables\).*--force"):
        restore(path, settings_dict=settings_dict)
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM learners").fetchone() == (1,)  # nothing touched

    restore(path, settings_dict=settings_dict, force=True)
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]


@pytest.mark.django_db
def test_the_restore_command_refuses_a_file_that_is_not_a_backup_with_a_clear_message(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("pas une sauvegarde")
    with pytest.raises(CommandError, match="n'est pas une sauvegarde"):
        call_command("restore", str(bogus))
    with pytest.raises(CommandError, match="introuvable"):
        call_command("restore", str(tmp_path / "absent.dump"))


def test_make_restore_without_file_says_how_to_call_it():
    result = subprocess.run(["make", "-s", "-o", ".venv/.installed", "restore"],  # not the install step
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "make restore FILE=var/backups/" in result.stdout + result.stderr
