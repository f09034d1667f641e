"""Demo places: the real Angers hub file, and each demo structure's own public profile. Idempotent."""

from __future__ import annotations

from pathlib import Path

from tremplin.organisations.enums import MembershipRole
from tremplin.organisations.models import Membership, Organisation
from tremplin.organisations.places import import_places
from tremplin.organisations.services_places import organisation_place_save

ANGERS_FILE = Path(__file__).resolve().parent / "data" / "lieux-angers.csv"

PROFILES = {
    "Les Clés du Numérique": {
        "nom": "Les Clés du Numérique", "adresse": "12 rue Plantagenêt", "code_postal": "49100",
        "telephone": "+33241000000", "horaires": "Tu-Fr 09:30-12:30,14:00-17:30; Sa 09:30-12:30",
        "services": ["Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien",
                     "Insertion professionnelle via le numérique"],
        "frais_a_charge": ["Gratuit"], "prise_en_charge_specifique": ["Handicaps moteurs", "Illettrisme"],
        "modalites_acces": ["Se présenter", "Téléphoner"],
        "modalites_accompagnement": ["Accompagnement individuel", "Dans un atelier collectif"],
        "presentation_resume": "Ateliers et rendez-vous pour apprendre le numérique et faire ses démarches.",
        "latitude": 47.4717, "longitude": -0.5547},
    "CCAS de Mérignac": {
        "nom": "CCAS de Mérignac", "adresse": "60 avenue du Maréchal de Lattre de Tassigny", "code_postal": "33700",
        "telephone": "+33556000000", "horaires": "Mo-Fr 08:30-12:30,13:30-17:00",
        "services": ["Aide aux démarches administratives", "Accès internet et matériel informatique"],
        "frais_a_charge": ["Gratuit"], "publics_specifiquement_adresses": ["Seniors", "Familles et/ou enfants"],
        "modalites_acces": ["Téléphoner", "Prendre un RDV en ligne"],
        "modalites_accompagnement": ["Accompagnement individuel"],
        "latitude": 44.8386, "longitude": -0.6436},
}


def build_demo_places() -> int:
    """Import the Angers hub (a second run changes nothing) and give each demo structure its public profile."""
    report = import_places(path=ANGERS_FILE, hub="Angers")
    created = report.created + report.merged
    for org in Organisation.objects.filter(name__in=PROFILES, place__isnull=True):
        admin = Membership.objects.filter(organisation=org, role=MembershipRole.ADMIN).select_related("user").first()
        organisation_place_save(organisation=org, actor=admin.user if admin else None, values=PROFILES[org.name])
        created += 1
    return created
