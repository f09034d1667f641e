"""Delete guest learners (open access) inactive for GUEST_INACTIVE_DAYS, with everything they did."""

from django.conf import settings
from django.core.management.base import BaseCommand

from tremplin.accounts.guests import guests_purge


class Command(BaseCommand):
    help = "Supprime les apprenants sans compte inactifs depuis GUEST_INACTIVE_DAYS jours (et leur progression)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="dire combien partiraient, sans rien supprimer")

    def handle(self, *args, dry_run=False, **options):
        count = guests_purge(dry_run=dry_run)
        verb = "seraient supprimés" if dry_run else "supprimés"
        self.stdout.write(f"Apprenants sans compte inactifs depuis {settings.GUEST_INACTIVE_DAYS} jours {verb} : "
                          f"{count}")
