"""Backups that restore (docs/deployment.md): one implementation behind ``manage.py backup`` / ``restore`` and
``make backup`` / ``make restore FILE=…``.

PostgreSQL: ``pg_dump -Fc`` (a consistent snapshot while the app runs) and ``pg_restore --clean --if-exists
--no-owner``. SQLite (the embedded default): Python's ``sqlite3`` backup API, page by page, consistent too.
A restore goes into an empty database; one that already has tables is refused unless ``force`` (it would be
replaced).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

BACKUP_DIR = Path(settings.BASE_DIR) / "var" / "backups"


class BackupError(Exception):
    """Said to the operator as it is (French, then English)."""


def _engine(settings_dict: dict[str, Any]) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Moteur de base non pris en charge : {engine}. / Unsupported database engine: {engine}.")


def _pg_command(tool: str, settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} est introuvable : installez postgresql-client (apt-get install -y "
                          f"postgresql-client). / {tool} not found: install postgresql-client.")
    args = [tool, "--dbname", settings_dict["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [option, str(settings_dict[key])]
    environ = {**os.environ}
    if settings_dict.get("PASSWORD"):
        environ["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, environ


def _run(args: list[str], environ: dict[str, str]) -> None:
    result = subprocess.run(args, env=environ, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{args[0]} a échoué / failed ({result.returncode}) : {result.stderr.strip()}")


def backup(*, directory: Path | None = None, using: str = "default") -> Path:
    """Write a timestamped backup of the database ``using`` into ``directory`` (var/backups/) and return its path."""
    connection = connections[using]
    engine = _engine(connection.settings_dict)
    directory = Path(directory or BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = directory / f"tremplin-{stamp}.{'dump' if engine == 'postgresql' else 'sqlite3'}"
    partial = target.with_suffix(target.suffix + ".partial")  # never a half-written file under the final name
    if engine == "postgresql":
        args, environ = _pg_command("pg_dump", connection.settings_dict)
        _run([*args, "--format=custom", "--file", str(partial)], environ)
    else:
        name = str(connection.settings_dict["NAME"])
        if "memory" not in name and not Path(name).is_file():
            raise BackupError(f"Aucune base à sauvegarder : {name} n'existe pas. / No database to back up: {name} "
                              f"does not exist.")
        connection.ensure_connection()  # through Django's own connection: a file or the tests' in-memory base
        destination = sqlite3.connect(partial)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    partial.rename(target)
    return target


def table_count(settings_dict: dict[str, Any]) -> int:
    """How many tables the database holds (0: empty, safe to restore into)."""
    if _engine(settings_dict) == "sqlite":
        name = str(settings_dict["NAME"])
        if not Path(name).exists():
            return 0
        with sqlite3.connect(name) as db:
            return db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                              "AND name NOT LIKE 'sqlite_%'").fetchone()[0]
    args, environ = _pg_command("psql", settings_dict)
    result = subprocess.run([*args, "--no-psqlrc", "--tuples-only", "--no-align", "--command",
                             "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"],
                            env=environ, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"La base est injoignable / the database cannot be reached : {result.stderr.strip()}")
    return int(result.stdout.strip())


def restore(path: Path, *, settings_dict: dict[str, Any] | None = None, force: bool = False) -> None:
    """Restore the backup ``path`` into the database described by ``settings_dict`` (default: ``default``)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Fichier de sauvegarde introuvable : {path}. / Backup file not found: {path}.")
    if settings_dict is None:
        connections["default"].close()  # the restore replaces what this connection would read
        settings_dict = connections["default"].settings_dict
    engine = _engine(settings_dict)
    if not _looks_like(path, engine):
        raise BackupError(f"{path} n'est pas une sauvegarde {engine} de Tremplin. / "
                          f"{path} is not a {engine} backup of Tremplin.")
    tables = table_count(settings_dict)
    if tables and not force:
        raise BackupError(
            f"La base {settings_dict['NAME']} n'est pas vide ({tables} tables) : la restauration la remplacerait. "
            f"Restaurez dans une base vide, ou ajoutez --force (make restore FILE=… FORCE=1) pour la remplacer. / "
            f"The database {settings_dict['NAME']} is not empty ({tables} tables): restoring would replace it. "
            f"Restore into an empty database, or add --force to replace it.")
    if engine == "postgresql":
        args, environ = _pg_command("pg_restore", settings_dict)
        _run([*args, "--clean", "--if-exists", "--no-owner", "--exit-on-error", "--single-transaction",
              str(path)], environ)
    else:
        source = sqlite3.connect(path)
        destination = sqlite3.connect(settings_dict["NAME"])
        try:
            source.backup(destination)  # replaces every page of the destination, in one go
        finally:
            source.close()
            destination.close()


def _looks_like(path: Path, engine: str) -> bool:
    with path.open("rb") as file:
        head = file.read(16)
    return head.startswith(b"PGDMP") if engine == "postgresql" else head.startswith(b"SQLite format 3\x00")
