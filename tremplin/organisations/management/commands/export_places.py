from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tremplin.organisations.places import export_places


class Command(BaseCommand):
    help = ("Exporte tous les lieux (dont les fiches des structures) en CSV au standard national "
            "« lieux de médiation numérique » v1.0.2. Sans FICHIER, écrit sur la sortie standard.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="fichier CSV à écrire")

    def handle(self, *args, file=None, **options):
        if file:
            with open(file, "w", encoding="utf-8", newline="") as stream:
                count = export_places(stream)
            self.stderr.write(_("%(count)s lieux exportés dans %(file)s.") % {"count": count, "file": file})
        else:
            export_places(self.stdout)
