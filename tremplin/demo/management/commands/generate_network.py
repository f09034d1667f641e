"""``manage.py generate_network --learners N --events M [--structures S] [--seed K]`` (load tests, benchmarks)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tremplin.accounts.codes import format_code
from tremplin.demo.generator import generate_network


class Command(BaseCommand):
    help = ("Génère un réseau national (structures dans tous les départements, territoires, équipes, apprenants, "
            "deux ans d'activité) pour les tests de charge. PostgreSQL : COPY. À lancer sur une base dédiée.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--learners", type=int, required=True, help="nombre d'apprenants")
        parser.add_argument("--events", type=int, required=True, help="nombre d'événements d'apprentissage")
        parser.add_argument("--structures", type=int, default=None, help="nombre de structures (défaut : N / 200)")
        parser.add_argument("--seed", type=int, default=2026, help="graine (le même réseau pour la même graine)")
        parser.add_argument("--days", type=int, default=730, help="durée de l'historique en jours (défaut : 730)")
        parser.add_argument("--skip-rollups", action="store_true",
                            help="ne pas calculer les statistiques (à lancer ensuite : rollup_stats --all)")

    def handle(self, *args, learners: int, events: int, structures: int | None, seed: int, skip_rollups: bool = False,
               days: int = 730, **options) -> None:
        if learners < 1 or events < 0 or (structures is not None and structures < 1):
            raise CommandError("--learners et --structures doivent être positifs, --events au moins 0.")
        try:
            report = generate_network(learners=learners, events=events, structures=structures, seed=seed,
                                      out=self.stdout.write, rollups=not skip_rollups,
                                      days=days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        out = self.stdout.write
        out("")
        out("Créé : " + ", ".join(f"{table} {count:,}".replace(",", " ")
                                  for table, count in sorted(report.counts.items())))
        out("")
        out(f"Pilotage ({settings.SITE_URL}/connexion/equipe/), mot de passe pour toutes ces personnes "
            f"(affiché une seule fois) : {report.staff_password}")
        for email, label in report.sign_ins:
            out(f"  {email:<48} {label}")
        out(f"Apprenants : code secret commun {report.learner_pin}, par exemple "
            + ", ".join(format_code(code) for code in report.sample_codes))
