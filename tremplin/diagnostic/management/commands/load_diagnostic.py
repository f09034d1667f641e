from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tremplin.diagnostic.content_files import read_bank
from tremplin.diagnostic.services import bank_load


def default_root() -> Path:
    return Path(getattr(settings, "DIAGNOSTIC_ROOT", Path(settings.CONTENT_ROOT).parent / "diagnostic" / "fr"))


class Command(BaseCommand):
    help = "Valide puis charge le référentiel et les questions du positionnement. Rien n'est écrit si une erreur est trouvée."

    def add_arguments(self, parser):
        parser.add_argument("--root", default=None, help="dossier (par défaut content/diagnostic/fr)")
        parser.add_argument("--check", action="store_true", help="valider seulement, sans rien charger")

    def handle(self, *args, root=None, check=False, **options):
        root = Path(root) if root else default_root()
        bank = read_bank(root)
        if bank.errors:
            for error in bank.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(bank.errors)} erreur(s) : rien n'a été chargé.")
        if check:
            self.stdout.write(self.style.SUCCESS(f"{len(bank.items)} questions valides."))
            return
        report = bank_load(root=root, bank=bank)
        self.stdout.write(self.style.SUCCESS(
            f"Positionnement {report.version} : {len(report.created)} questions créées, "
            f"{len(report.new_versions)} modifiées, {len(report.unchanged)} inchangées, "
            f"{len(report.deactivated)} retirées."))
