from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tremplin.lib.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restaure une sauvegarde de `manage.py backup` dans la base configurée, qui doit être vide "
            "(sinon --force la remplace). Arrêtez le serveur et le worker avant (docs/deployment.md).")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Le fichier de sauvegarde (var/backups/tremplin-….dump).")
        parser.add_argument("--force", action="store_true",
                            help="Remplacer une base qui contient déjà des tables.")

    def handle(self, *args, **options):
        try:
            restore(options["file"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde restaurée : {options['file']}"))
