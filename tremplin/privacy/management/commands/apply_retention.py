"""Apply the retention periods of personal data now (the daily task does the same), or show what would go."""

from django.core.management.base import BaseCommand

from tremplin.privacy.retention import retention_apply
from tremplin.privacy.tasks import schedule_next


class Command(BaseCommand):
    help = ("Efface ou anonymise ce qui a dépassé sa durée de conservation (apprenants sans contact, notes, "
            "comptes-rendus, orientations, imports, apprenants sans compte, journal).")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="dire ce qui partirait, sans rien changer")
        parser.add_argument("--schedule", action="store_true",
                            help="mettre la tâche quotidienne dans la file (db_worker la lance chaque nuit)")

    def handle(self, *args, dry_run=False, schedule=False, **options):
        if schedule:
            queued = schedule_next()
            self.stdout.write("Tâche quotidienne mise dans la file." if queued
                              else "La tâche quotidienne est déjà dans la file.")
            return
        report = retention_apply(dry_run=dry_run)
        if dry_run:
            self.stdout.write("Essai : rien n'est changé.")
        for line in report.lines():
            self.stdout.write(line)
