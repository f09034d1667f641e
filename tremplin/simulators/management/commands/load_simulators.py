from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tremplin.simulators.files import simulators_root_for
from tremplin.simulators.services import SimulatorsInvalid, simulators_load


class Command(BaseCommand):
    help = ("Valide puis charge les simulateurs (content/simulators/fr). Vérifie aussi que les modules "
            "citent des simulateurs qui existent. Rien n'est écrit si une erreur est trouvée.")

    def add_arguments(self, parser):
        parser.add_argument("--root", default=None, help="dossier des simulateurs")
        parser.add_argument("--content-root", default=None, help="dossier du curriculum (par défaut CONTENT_ROOT)")

    def handle(self, *args, root=None, content_root=None, **options):
        content_root = Path(content_root) if content_root else Path(settings.CONTENT_ROOT)
        root = Path(root) if root else simulators_root_for(content_root)
        try:
            report = simulators_load(root=root, curriculum_root=content_root)
        except SimulatorsInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} erreur(s) : rien n'a été chargé.") from exc
        self.stdout.write(self.style.SUCCESS(
            f"Simulateurs : {len(report.created)} créés, {len(report.updated)} mis à jour, "
            f"{len(report.unchanged)} inchangés, {len(report.deactivated)} désactivés."))
