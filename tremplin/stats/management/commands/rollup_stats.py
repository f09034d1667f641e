"""``manage.py rollup_stats [--day D | --from D --to D | --all | --since-last-run] [--enqueue]``."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tremplin.stats import rollup


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("« %(value)s » n'est pas une date au format AAAA-MM-JJ.") % {"value": value}) from None


class Command(BaseCommand):
    help = "Recalcule les statistiques (agrégats par jour et chiffres par période) à partir des données."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--day", help="un jour, AAAA-MM-JJ")
        parser.add_argument("--from", dest="first", help="premier jour, AAAA-MM-JJ (avec --to)")
        parser.add_argument("--to", dest="last", help="dernier jour, AAAA-MM-JJ (avec --from)")
        parser.add_argument("--all", action="store_true", help="tout, depuis le premier jour")
        parser.add_argument("--since-last-run", action="store_true",
                            help="les jours touchés depuis le dernier passage (par défaut)")
        parser.add_argument("--enqueue", action="store_true",
                            help="confier le calcul au worker (db_worker) au lieu de le faire ici")

    def handle(self, *args, day=None, first=None, last=None, all=False, since_last_run=False, enqueue=False,
               **options) -> None:
        chosen = sum(bool(x) for x in (day, first or last, all, since_last_run))
        if chosen > 1:
            raise CommandError(_("Choisissez une seule option parmi --day, --from/--to, --all et --since-last-run."))
        if (first is None) != (last is None):
            raise CommandError(_("--from et --to vont ensemble."))
        if day:
            days = [_date(day)]
        elif first:
            a, b = sorted((_date(first), _date(last)))
            if (b - a).days > 366 * 30:
                raise CommandError(_("Cette période est trop longue : utilisez --all."))
            days = [a + dt.timedelta(days=n) for n in range((b - a).days + 1)]
        else:
            days = None
        if enqueue:
            from tremplin.stats import tasks

            requeued = tasks.abandoned_requeue()
            if days is not None:
                tasks.rollup_days.enqueue([d.isoformat() for d in days])
            else:
                tasks.since_last_run_schedule()
            self.stdout.write(_("Calcul des statistiques confié au worker (%(n)s tâche(s) abandonnée(s) remise(s) "
                                "en file).") % {"n": requeued})
            return
        if days is not None:
            summary = rollup.days_rollup(days=days)
        elif all:
            summary = rollup.all_rollup()
            rollup.watermark_set()
        else:
            summary = rollup.since_last_run_rollup()
        self.stdout.write(_("Statistiques recalculées : %(days)s jour(s), %(activity)s ligne(s) d'activité, "
                            "%(tally)s compte(s), %(periods)s période(s), en %(seconds).1f s.")
                          % {"days": summary.days, "activity": summary.activity_rows, "tally": summary.tally_rows,
                             "periods": summary.periods, "seconds": summary.seconds})
