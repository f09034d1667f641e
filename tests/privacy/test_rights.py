"""« Mon compte » and the trainer's side: what is kept, a copy for the person, erasure on their behalf, the log."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tremplin.audit.models import AuditEntry
from tremplin.coaching.services import note_add
from tremplin.organisations.enums import NetworkRole
from tremplin.organisations.models import NetworkMembership

from ..conftest import page_text
from ..factories import EnrolmentFactory, OrganisationFactory, StaffFactory
from .world import rich_side

pytestmark = pytest.mark.django_db


def test_a_learner_reads_on_mon_compte_what_is_kept_and_which_structures_see_it_on_a_light_page(client, content):
    side = rich_side(marked=False)
    client.force_login(side.learner)

    response = client.get(reverse("learner:account"))

    text = page_text(response)
    assert response.status_code == 200 and len(response.content) <= 14 * 1024
    assert f"{side.organisation.name} (" in text
    assert "1 module commencé" in text
    assert "Demander l'effacement" in text and "Vos données : ce qu'il faut savoir" in text


def test_the_downloaded_data_holds_the_persons_notes_and_nothing_about_anybody_else(client, content):
    side = rich_side(marked=True)
    note_add(organisation=side.organisation, learner=side.twin, author=side.trainer, text="Note sur Jumeau seul.")
    client.force_login(side.learner)

    data = json.loads(client.get(reverse("learner:account_json")).content)

    text = json.dumps(data, ensure_ascii=False)
    assert data["account"]["first_name"] == side.learner.first_name
    assert side.note.text in text  # what the structure wrote about the person is theirs to read
    assert "Jumeau" not in text and side.trainer.first_name not in text  # nobody else, no author
    assert data["structures"][0]["name"] == side.organisation.name
    assert AuditEntry.objects.filter(action="learner.data_export", actor=side.learner).count() == 1


def test_the_learner_downloads_a_readable_pdf_of_their_data(client, content):
    side = rich_side(marked=False)
    client.force_login(side.learner)

    response = client.get(reverse("learner:account_pdf"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_erasure_asks_for_a_confirmation_in_french_and_erases_nothing_without_it(client, content):
    side = rich_side(marked=False)
    client.force_login(side.learner)

    response = client.post(reverse("learner:account_erase"), {})

    assert response.status_code == 400 and "Cochez la case" in page_text(response)
    side.learner.refresh_from_db()
    assert side.learner.is_active and not AuditEntry.objects.filter(action="learner.erase").exists()


def test_a_trainer_erases_a_person_on_their_behalf_and_sees_the_request_done(client, content):
    side = rich_side(marked=False)
    client.force_login(side.trainer)
    assert client.get(reverse("trainer:learner_data", args=[side.learner.pk])).status_code == 200

    response = client.post(reverse("trainer:learner_erase", args=[side.learner.pk]),
                           {"confirm": "oui", "everywhere": "oui"}, follow=True)

    text = page_text(response)
    entry = AuditEntry.objects.get(action="learner.erase")
    assert entry.actor == side.trainer and entry.detail["requested_by"] == "trainer"
    assert "C'est fait" in text and entry.detail["reference"] in text and "tout, partout" in text
    again = client.post(reverse("trainer:learner_erase", args=[side.learner.pk]),
                        {"confirm": "oui", "everywhere": "oui"}, follow=True)
    assert "C'était déjà fait" in page_text(again)
    assert AuditEntry.objects.filter(action="learner.erase").count() == 1


def test_the_trainer_of_a_shared_learner_erases_only_what_their_structure_keeps(client, content):
    side = rich_side(marked=False)
    elsewhere = OrganisationFactory(name="CCAS voisin")
    EnrolmentFactory(organisation=elsewhere, learner=side.learner)
    client.force_login(side.trainer)

    client.post(reverse("trainer:learner_erase", args=[side.learner.pk]), {"confirm": "oui", "everywhere": "non"})

    side.learner.refresh_from_db()
    assert side.learner.is_active
    assert list(side.learner.enrolments.values_list("organisation__name", flat=True)) == ["CCAS voisin"]
    assert client.get(reverse("trainer:learner_account", args=[side.learner.pk])).status_code == 404


def test_a_structure_admin_reads_filters_and_exports_the_log_of_their_structure(client, content):
    side = rich_side(marked=False)
    client.force_login(side.trainer)
    client.get(reverse("trainer:learner_account", args=[side.learner.pk]))  # a file opened
    client.force_login(side.admin)

    page = client.get(reverse("trainer:journal"), {"action": "learner.view", "du": "2000-01-01"})
    other = client.get(reverse("trainer:journal"), {"action": "learner.pin_reset"})
    export = client.get(reverse("trainer:journal_export"), {"action": "learner.view"})

    assert page.status_code == 200 and "<td>Fiche d'un apprenant ouverte</td>" in page_text(page)
    assert side.trainer.first_name in page_text(page) and side.learner.first_name in page_text(page)
    assert "<td>Fiche d'un apprenant ouverte</td>" not in page_text(other)
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Date;Action") and len(lines) == 2 and side.trainer.first_name in lines[1]


def test_the_log_stays_closed_to_trainers_who_are_not_admin_and_to_the_network(client, content):
    side = rich_side(marked=False)
    national = StaffFactory(first_name="Équipe nationale")
    NetworkMembership.objects.create(user=national, role=NetworkRole.NETWORK_ADMIN, territory=None)

    for user in (side.trainer, national):
        client.force_login(user)
        assert client.get(reverse("trainer:journal")).status_code == 403
        assert client.get(reverse("trainer:journal_export")).status_code == 403


def test_a_bad_date_in_the_logs_filter_is_ignored_not_a_server_error(client, content):
    side = rich_side(marked=False)
    client.force_login(side.admin)

    response = client.get(reverse("trainer:journal"), {"du": "32/13/2026\x00", "action": "=cmd", "page": "x"})

    assert response.status_code == 200
