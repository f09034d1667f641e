from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tremplin.lib.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Sauvegarde la base (PostgreSQL : pg_dump -Fc ; SQLite : API de sauvegarde) dans var/backups/, "
            "sous un nom horodaté (docs/deployment.md).")

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, help="Dossier des sauvegardes (par défaut var/backups/).")

    def handle(self, *args, **options):
        try:
            path = backup(directory=options["directory"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {path}"))
