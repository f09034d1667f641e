from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tremplin.catalog.content_files import read_curriculum
from tremplin.catalog.services import ContentInvalid, curriculum_load


class Command(BaseCommand):
    help = "Valide puis charge le curriculum (content/fr). Rien n'est écrit si une erreur est trouvée."

    def add_arguments(self, parser):
        parser.add_argument("--root", default=None, help="dossier du contenu (par défaut TREMPLIN_CONTENT_ROOT)")
        parser.add_argument("--check", action="store_true", help="valider seulement, sans rien charger")

    def handle(self, *args, root=None, check=False, **options):
        root = Path(root) if root else Path(settings.CONTENT_ROOT)
        curriculum = read_curriculum(root)
        if curriculum.errors:
            for error in curriculum.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(curriculum.errors)} erreur(s) : rien n'a été chargé.")
        if check:
            self.stdout.write(self.style.SUCCESS(f"{len(curriculum.modules)} modules valides."))
            return
        try:
            report = curriculum_load(root=root, curriculum=curriculum)
        except ContentInvalid as exc:  # pragma: no cover - read twice above
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Contenu {report.version} : {len(report.created)} créés, {len(report.updated)} mis à jour, "
            f"{len(report.unchanged)} inchangés, {len(report.deactivated)} désactivés."))
