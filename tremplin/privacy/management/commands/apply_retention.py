"""Apply the retention periods of personal data now (the daily task does the same), or show what would go."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tremplin.privacy.retention import retention_apply
from tremplin.privacy.tasks import schedule_next


class Command(BaseCommand):
    help = ("Efface ou anonymise ce qui a dépassé sa durée de conservation (apprenants sans contact, notes, "
            "comptes-rendus, orientations, imports, apprenants sans compte, journal).")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="dire ce qui partirait, sans rien changer")
        parser.add_argument("--on", metavar="AAAA-MM-JJ",
                            help="faire comme si on était ce jour-là (avec --dry-run : ce qui partira à cette date)")
        parser.add_argument("--schedule", action="store_true",
                            help="mettre la tâche quotidienne dans la file (db_worker la lance chaque nuit)")

    def handle(self, *args, dry_run=False, schedule=False, on=None, **options):
        if schedule:
            queued = schedule_next()
            self.stdout.write("Tâche quotidienne mise dans la file." if queued
                              else "La tâche quotidienne est déjà dans la file.")
            return
        now = None
        if on:
            try:
                day = dt.date.fromisoformat(on)
            except ValueError as exc:
                raise CommandError(f"Date illisible : {on!r} (attendu : AAAA-MM-JJ)") from exc
            now = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        report = retention_apply(dry_run=dry_run, now=now)
        if dry_run:
            self.stdout.write("Essai : rien n'est changé.")
        for line in report.lines():
            self.stdout.write(line)
