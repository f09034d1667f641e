import sys

from django.core.management.base import BaseCommand, CommandError

from tremplin.organisations.places import PlacesFileError, format_report, import_places


class Command(BaseCommand):
    help = ("Importe un fichier de lieux de médiation numérique (CSV ou JSON au standard national v1.0.2). "
            "Chaque valeur écartée est signalée (ligne, champ, règle, valeur). Si des valeurs ou des lignes sont "
            "écartées, les lignes valides ne sont importées qu'après votre accord (ou avec --yes).")

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier CSV ou JSON au standard « lieux de médiation numérique »")
        parser.add_argument("--dry-run", action="store_true", help="vérifier et afficher le rapport sans rien enregistrer")
        parser.add_argument("--yes", action="store_true",
                            help="importer les lignes valides même si des valeurs sont écartées, sans demander")
        parser.add_argument("--source", default="", help="nom de la source (par défaut : la colonne source du fichier)")

    def handle(self, *args, file, dry_run, yes, source, **options):
        try:
            if not dry_run and not yes:
                trial = import_places(path=file, hub=source, dry_run=True)
                if trial.problems and not self._confirmed(trial):
                    return
            report = import_places(path=file, hub=source, dry_run=dry_run)
        except PlacesFileError as exc:
            raise CommandError(str(exc)) from exc
        for line in format_report(report, dry_run=dry_run):
            self.stdout.write(line)

    def _confirmed(self, trial) -> bool:
        """Nothing silently dropped: the report first, then the person says whether to import the valid rows."""
        for line in format_report(trial, dry_run=True)[:-1]:
            self.stdout.write(line)
        question = (f"{len(trial.problems)} valeurs ou lignes sont écartées. Importer les {trial.imported} lignes "
                    "valides ? [o/N] ")
        if sys.stdin is not None and sys.stdin.isatty():
            answer = input(question).strip().lower()
            if answer in ("o", "oui", "y", "yes"):
                return True
        else:
            self.stdout.write("Rien n'est importé sans votre accord : relancez avec --yes pour importer les lignes "
                              "valides.")
            return False
        self.stdout.write("Rien n'a été importé.")
        return False
