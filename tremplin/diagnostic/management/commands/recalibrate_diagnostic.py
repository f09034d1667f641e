from django.core.management.base import BaseCommand

from tremplin.diagnostic.services import item_params_recalibrate


class Command(BaseCommand):
    help = "Réestime la difficulté des questions du positionnement à partir des réponses enregistrées."

    def add_arguments(self, parser):
        parser.add_argument("--min-answers", type=int, default=20, help="réponses minimum pour toucher une question")
        parser.add_argument("--prior-sd", type=float, default=0.5,
                            help="écart type du rappel vers la difficulté de l'auteur (plus petit = plus prudent)")

    def handle(self, *args, min_answers=20, prior_sd=0.5, **options):
        report = item_params_recalibrate(min_answers=min_answers, prior_sd=prior_sd)
        for slug, before, after, n in report.recalibrated:
            self.stdout.write(f"  {slug:<36} {before:+.2f} → {after:+.2f}  ({n} réponses)")
        self.stdout.write(self.style.SUCCESS(
            f"{len(report.recalibrated)} question(s) recalibrée(s) sur {report.items} ayant des réponses."))
