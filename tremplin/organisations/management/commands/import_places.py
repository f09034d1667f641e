from django.core.management.base import BaseCommand, CommandError

from tremplin.organisations.places import PlacesFileError, format_report, import_places


class Command(BaseCommand):
    help = ("Importe un fichier de lieux de médiation numérique (CSV ou JSON au standard national v1.0.2). "
            "Les lignes valides sont importées, chaque valeur écartée est signalée (ligne, champ, règle, valeur).")

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier CSV ou JSON au standard « lieux de médiation numérique »")
        parser.add_argument("--dry-run", action="store_true", help="vérifier et afficher le rapport sans rien enregistrer")
        parser.add_argument("--source", default="", help="nom de la source (par défaut : la colonne source du fichier)")

    def handle(self, *args, file, dry_run, source, **options):
        try:
            report = import_places(path=file, hub=source, dry_run=dry_run)
        except PlacesFileError as exc:
            raise CommandError(str(exc)) from exc
        for line in format_report(report, dry_run=dry_run):
            self.stdout.write(line)
