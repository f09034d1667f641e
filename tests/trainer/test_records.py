import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.audit.models import AuditEntry
from tremplin.coaching.exports import ACCOMPANIMENT_COLUMNS
from tremplin.coaching.models import Accompaniment

from ..conftest import page_text
from ..factories import CommuneFactory

pytestmark = pytest.mark.django_db


def defaults(**overrides):
    """What the phone form sends when the trainer only ticks a theme and submits."""
    data = {"type": "individuel", "date": timezone.localdate().isoformat(), "duree": "30",
            "type_lieu": "lieu_activite", "thematiques": ["email"], "beneficiaire_genre": "non_communique",
            "beneficiaire_tranche_age": "non_communique", "beneficiaire_statut_social": "non_communique"}
    data.update(overrides)
    return data


def test_the_form_comes_with_sensible_defaults(trainer_client):
    text = trainer_client.get(reverse("trainer:record_create")).content.decode()
    assert 'value="individuel" ' in text and 'value="30" ' in text
    assert f'value="{timezone.localdate().isoformat()}"' in text
    assert "Prévention en sécurité numérique" in page_text(trainer_client.get(reverse("trainer:record_create")))


def test_a_quick_individual_record_takes_a_theme_and_a_submit(trainer_client, side):
    response = trainer_client.post(reverse("trainer:record_create"), defaults(
        materiel=["telephone"], autonomie="autonome", learner=str(side.learner.pk)))
    record = Accompaniment.objects.exclude(pk=side.accompaniment.pk).get()
    assert response["Location"] == reverse("trainer:record_detail", args=[record.pk])
    assert (record.type, record.duree, record.thematiques, record.learner) == ("individuel", 30, ["email"],
                                                                             side.learner)
    assert "E-mail" in page_text(trainer_client.get(response["Location"]))


def test_a_custom_duration_and_a_home_visit_with_a_commune(trainer_client):
    CommuneFactory()
    trainer_client.post(reverse("trainer:record_create"), defaults(duree="autre", duree_autre="75",
                                                                   type_lieu="domicile", lieu_commune="49007"))
    record = Accompaniment.objects.get(duree=75)
    assert record.lieu_commune_id == "49007"


def test_a_collective_record_with_autonomy_is_refused_in_french(trainer_client):
    response = trainer_client.post(reverse("trainer:record_create"), defaults(
        type="collectif", autonomie="autonome", titre_atelier="Découvrir l'e-mail", niveau_atelier="debutant",
        accompagnements="8"))
    assert response.status_code == 400
    assert "L'autonomie ne se renseigne que pour un accompagnement individuel." in page_text(response)


def test_missing_commune_missing_theme_and_bad_values_give_french_messages(trainer_client):
    response = trainer_client.post(reverse("trainer:record_create"), defaults(
        type_lieu="a_distance", thematiques=[], duree="autre", date="2026-13-45", lieu_commune=""))
    assert response.status_code == 400
    text = page_text(response)
    assert "Choisissez au moins une thématique." in text
    assert "Cette date n'est pas valide" in text
    assert "Indiquez la durée en minutes." in text
    unknown = trainer_client.post(reverse("trainer:record_create"), defaults(type_lieu="domicile",
                                                                              lieu_commune="99999"))
    assert unknown.status_code == 400 and "aucune commune" in page_text(unknown)
    missing = trainer_client.post(reverse("trainer:record_create"), defaults(type_lieu="domicile"))
    assert missing.status_code == 400 and "Indiquez la commune" in page_text(missing)
    future = trainer_client.post(reverse("trainer:record_create"), defaults(
        date=(timezone.localdate() + dt.timedelta(days=3)).isoformat()))
    assert future.status_code == 400 and "futur" in page_text(future)
    assert Accompaniment.objects.count() == 1  # only the one built by the fixture


def test_a_record_made_from_a_workshop_is_prefilled(trainer_client, side):
    text = trainer_client.get(reverse("trainer:record_create"), {"atelier": side.workshop.pk}).content.decode()
    assert 'value="collectif" id="id_type_1" required checked' in text
    assert 'name="titre_atelier" value="Atelier A"' in text


def test_the_export_follows_the_coop_vocabulary_and_is_audited(trainer_client, side):
    trainer_client.post(reverse("trainer:record_create"), defaults(
        type="collectif", titre_atelier="=HYPERLINK(1)", niveau_atelier="intermediaire", accompagnements="7",
        thematiques=["email", "securite_numerique"], materiel=["ordinateur", "tablette"]))
    response = trainer_client.get(reverse("trainer:record_export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == ACCOMPANIMENT_COLUMNS
    collective = next(r for r in rows if r["type"] == "collectif")
    assert collective["thematiques"] == "email|securite_numerique"
    assert collective["materiel"] == "ordinateur|tablette"
    assert collective["niveau_atelier"] == "intermediaire" and collective["accompagnements"] == "7"
    assert collective["titre_atelier"] == "'=HYPERLINK(1)"  # no formula in a spreadsheet
    assert collective["autonomie"] == "" and collective["oriente_vers_structure"] == ""
    individual = next(r for r in rows if r["type"] == "individuel")
    assert individual["type_lieu"] == "lieu_activite" and individual["structure_id"] == str(side.organisation.pk)
    assert individual["beneficiaire_anonyme"] == "false" and individual["oriente_vers_structure"] == "false"
    assert AuditEntry.objects.filter(action="accompaniments.export", detail__rows=2).count() == 1


def test_the_list_filters_by_period(trainer_client, side):
    old = timezone.localdate() - dt.timedelta(days=40)
    Accompaniment.objects.filter(pk=side.accompaniment.pk).update(date=old)
    text = page_text(trainer_client.get(reverse("trainer:record_list"),
                                        {"du": (old + dt.timedelta(days=1)).isoformat()}))
    assert "Aucun compte-rendu sur cette période." in text
    assert "1 compte-rendu." in page_text(trainer_client.get(reverse("trainer:record_list"), {"du": "pas une date"}))
