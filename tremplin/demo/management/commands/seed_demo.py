from django.conf import settings
from django.core.management.base import BaseCommand

from tremplin.accounts.codes import format_code
from tremplin.demo.coaching import build_demo_coaching
from tremplin.demo.diagnostic import build_demo_diagnostic
from tremplin.demo.generator import rollups_all
from tremplin.demo.network import STAFF_PASSWORD, build_demo_network
from tremplin.demo.places import build_demo_places
from tremplin.demo.quiet import build_quiet_learner
from tremplin.demo.referrals import build_demo_referrals
from tremplin.demo.simulators import build_demo_simulators
from tremplin.demo.territories import build_demo_territories
from tremplin.demo.trainer_enrolment import seed_trainer_enrolment_demo


class Command(BaseCommand):
    help = ("Crée le réseau de démonstration (4 structures, 68 apprenants, territoires, équipe nationale, "
            "coordination et financeur). Sans doublon.")

    def handle(self, *args, **options):
        report = build_demo_network()
        report.created += build_demo_coaching()
        report.created += build_demo_diagnostic()
        report.created += build_demo_simulators()
        report.created += build_demo_places()  # the Angers hub's places; each structure's public profile
        referrals_created, (prescriber, partner) = build_demo_referrals()  # a partner agency, two referrals
        report.created += referrals_created
        seed_trainer_enrolment_demo()  # Yanis in both structures, a pending invitation, a workshop sign-up link
        territories_created, network_people = build_demo_territories()  # a region, a hub, the people above
        report.created += territories_created
        report.created += build_quiet_learner()  # not seen for three years: what retention would erase
        rollups_all()  # the figures of /pilotage/ and /observatoire/, from everything above
        out = self.stdout
        out.write(self.style.SUCCESS(f"Réseau de démonstration prêt ({report.created} éléments créés)."))
        out.write("")
        out.write(f"Ouvrez {settings.SITE_URL}")
        out.write("")
        out.write("Formateurs — page « Connexion de l'équipe » (/connexion/equipe/) :")
        for email, org in report.staff:
            out.write(f"  {email:<36} mot de passe : {STAFF_PASSWORD}   ({org})")
        out.write(f"  {prescriber:<36} mot de passe : {STAFF_PASSWORD}   ({partner} : oriente des personnes)")
        if network_people:
            out.write("")
            out.write("Pilotage du réseau (/pilotage/) — même page « Connexion de l'équipe » :")
            for email, label in network_people:
                out.write(f"  {email:<36} mot de passe : {STAFF_PASSWORD}   ({label})")
        out.write("")
        out.write("Apprenants — page « Se connecter » (/connexion/), code + code secret :")
        shown = {}
        for name, code, pin, token, org in report.learners:
            if shown.get(org, 0) >= 3:
                continue
            shown[org] = shown.get(org, 0) + 1
            out.write(f"  {name:<10} code {format_code(code)}  code secret {pin}   ({org})")
            out.write(f"             carte QR : {settings.SITE_URL}/carte/{token}/")
        out.write("")
        out.write(f"Inscription en atelier (sans carte) : {settings.SITE_URL}/rejoindre/atelier-demo-angers/")
        out.write(f"Apprendre sans compte : {settings.SITE_URL}/ puis « Commencer maintenant »")
        out.write("")
