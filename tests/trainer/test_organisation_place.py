"""A structure is a place: its admin edits the public profile in the standard's words; it is exported (issue 12)."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tremplin.audit.models import AuditEntry
from tremplin.organisations.enums import MembershipRole
from tremplin.organisations.models import Place

from ..factories import MembershipFactory, OrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db
URL = "/espace-formateur/structure/lieu/"

PROFILE = {
    "nom": "Les Clés du Numérique", "adresse": "12 rue Plantagenêt", "code_postal": "49000",
    "telephone": "02 41 12 34 56", "courriels": "accueil@cles.example", "site_web": "https://cles.example",
    "horaires": "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00",
    "services": ["Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien"],
    "prise_en_charge_specifique": ["Handicaps moteurs"], "frais_a_charge": ["Gratuit"],
    "modalites_acces": ["Se présenter", "Téléphoner"], "latitude": "47.4712", "longitude": "-0.5518",
}


def staff_of(org, role):
    return MembershipFactory(organisation=org, role=role, user=StaffFactory()).user


def test_the_url_is_the_one_the_screens_link_to():
    assert reverse("trainer:organisation_place") == URL


def test_an_admin_publishes_the_structure_s_profile_in_the_standard_s_words_and_it_is_exported(client):
    org = OrganisationFactory(name="Les Clés du Numérique", siret="44306184100047")
    admin = staff_of(org, MembershipRole.ADMIN)
    client.force_login(admin)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Aide aux démarches administratives" in page.content.decode()

    response = client.post(URL, PROFILE)
    assert response.status_code == 302
    org.refresh_from_db()
    place = org.place
    assert place.telephone == "+33241123456"
    assert place.services == PROFILE["services"]
    assert place.pivot == "44306184100047" and place.code_insee == org.commune.code
    assert AuditEntry.objects.filter(action="organisation.place_create", actor=admin,
                                     organisation_id=org.pk).count() == 1

    out = io.StringIO()
    call_command("export_places", stdout=out)
    [row] = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["nom"] == "Les Clés du Numérique" and row["source"] == "Tremplin"
    assert row["services"] == "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien"
    assert row["horaires"] == PROFILE["horaires"] and row["frais_a_charge"] == "Gratuit"

    # a second save updates the same place
    client.post(URL, PROFILE | {"horaires": "Tu 14:00-18:00"})
    assert Place.objects.count() == 1
    assert Place.objects.get().horaires == "Tu 14:00-18:00"
    assert AuditEntry.objects.filter(action="organisation.place_update").count() == 1


def test_values_the_standard_does_not_know_and_hours_we_cannot_read_are_refused_in_french(client):
    org = OrganisationFactory()
    client.force_login(staff_of(org, MembershipRole.ADMIN))
    response = client.post(URL, PROFILE | {"services": ["Coiffure"], "horaires": "le matin",
                                           "telephone": "12", "latitude": "0", "longitude": "0"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Ces horaires ne sont pas compris" in text
    assert "Écrivez un numéro français à 10 chiffres" in text
    assert "Ces coordonnées ne sont pas en France." in text
    assert "Coiffure n’en fait pas partie" in text
    assert Place.objects.count() == 0


def test_a_trainer_who_is_not_admin_cannot_open_the_profile(client):
    org = OrganisationFactory()
    client.force_login(staff_of(org, MembershipRole.TRAINER))
    assert client.get(URL).status_code == 403
    assert client.post(URL, PROFILE).status_code == 403
    assert Place.objects.count() == 0


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_an_admin_edits_only_the_profile_of_the_structure_they_act_for(client):
    ours, theirs = OrganisationFactory(name="Nous"), OrganisationFactory(name="Eux")
    client.force_login(staff_of(ours, MembershipRole.ADMIN))
    client.post(URL, PROFILE | {"nom": "Chez nous"})
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.place.nom == "Chez nous" and theirs.place is None
