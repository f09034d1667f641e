from django.core.management.base import BaseCommand

from tremplin.progress.services import progress_rebuild


class Command(BaseCommand):
    help = "Recalcule la progression de chaque module à partir des événements d'apprentissage."

    def handle(self, *args, **options):
        count = progress_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{count} progressions recalculées."))
