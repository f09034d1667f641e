"""``manage.py partition_events [--dry-run] [--ahead N]`` (PostgreSQL): the learning events partitioned by month.

On the plain table: converts it in one transaction (tremplin.progress.partitioning; writes wait during the copy,
reads go on). On the partitioned table: creates the months ahead (run it monthly, e.g. with the rollups' worker or
cron). ``--dry-run`` prints the SQL and changes nothing. Procedure and lock plan: docs/deployment-scale-out.md.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tremplin.progress import partitioning


class Command(BaseCommand):
    help = ("Partitionne les événements d'apprentissage par mois (PostgreSQL) ; sur une table déjà partitionnée, "
            "crée les mois à venir. --dry-run affiche le SQL sans rien changer.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Afficher le SQL sans l'exécuter.")
        parser.add_argument("--ahead", type=int, default=3, help="Mois créés à l'avance (3 par défaut).")

    def handle(self, *args, dry_run: bool = False, ahead: int = 3, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Le partitionnement des événements demande PostgreSQL : avec SQLite, la table reste "
                               "telle quelle (PostgreSQL is required; nothing was changed).")
        if ahead < 1 or ahead > 24:
            raise CommandError("--ahead : entre 1 et 24 mois.")
        today = timezone.now().date()
        began = time.monotonic()
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                converting = not partitioning.is_partitioned(cursor)
                if converting:
                    shape = partitioning.table_shape(cursor)
                    statements = partitioning.conversion_sql(shape, today=today, ahead=ahead)
                else:
                    statements = partitioning.maintenance_sql(today=today, ahead=ahead)
                if dry_run:
                    self.stdout.write(";\n\n".join(["BEGIN", *statements, "COMMIT"]) + ";")
                    return
                for statement in statements:
                    cursor.execute(statement)
                parts = partitioning.partitions(cursor)
        except partitioning.NotConvertible as error:
            raise CommandError(f"Conversion impossible, rien n'a changé : {error}") from error
        except DatabaseError as error:
            raise CommandError(f"PostgreSQL a refusé, rien n'a changé : {error}") from error
        if converting and not connection.in_atomic_block:
            # Statistics and the visibility map of the new partitions (index-only scans), after the commit: VACUUM
            # cannot run in a transaction. Inside a caller's transaction (tests) it is left to autovacuum.
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {partitioning.TABLE}")
                cursor.execute(f"VACUUM (ANALYZE) {partitioning.KEYS}")
        seconds = time.monotonic() - began
        if converting:
            self.stdout.write(self.style.SUCCESS(
                f"Table des événements partitionnée par mois : {shape.rows} événements copiés dans "
                f"{len(parts)} partitions en {seconds:.1f} s."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Table déjà partitionnée : {len(parts)} partitions."))
        for name, rows in parts:
            self.stdout.write(f"  {name} : {rows}")
