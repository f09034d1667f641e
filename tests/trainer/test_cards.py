import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import page_text
from tremplin.accounts.models import User
from tremplin.audit.models import AuditEntry
from tremplin.trainer.cards import SESSION_KEY

from .enrolment_helpers import learner_in, trainer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_and_trainer(client):
    org, trainer = trainer_of()
    client.force_login(trainer)
    return org, trainer


@pytest.fixture
def page_counts(monkeypatch):
    """Number of A4 pages of each PDF of cards rendered (the PDF itself is compressed)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    counts = []

    def render(template, context, request=None):
        document = HTML(string=render_to_string(template, context, request=request)).render()
        counts.append(len(document.pages))
        return document.write_pdf()

    monkeypatch.setattr("tremplin.trainer.cards.render_pdf", render)
    return counts


def pending_pins(client, org):
    return client.session[SESSION_KEY][str(org.pk)]["pins"]


def test_the_card_printed_after_enrolment_carries_the_pin_just_generated(client, org_and_trainer):
    org, _ = org_and_trainer
    response = client.post(reverse("trainer:learner_enrol"), {"first_name": "Samia"})
    learner, pin = response.context["learner"], response.context["pin"]
    pdf = client.get(reverse("trainer:cards_pdf"), {"apprenant": learner.pk})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pending_pins(client, org)[str(learner.pk)] == pin
    learner.refresh_from_db()
    assert learner.check_password(pin)
    assert AuditEntry.objects.filter(action="learners.cards_print").exists()


def test_imported_learners_get_their_pin_when_their_cards_are_printed_eight_a_page(client, org_and_trainer,
                                                                                  page_counts):
    org, _ = org_and_trainer
    csv = "Prénom\n" + "\n".join(f"Personne{i}" for i in range(10))
    response = client.post(reverse("trainer:import_upload"), {"file": SimpleUploadedFile("l.csv", csv.encode())})
    client.post(response["Location"])
    learners = list(User.objects.filter(first_name__startswith="Personne"))
    assert not any(u.has_usable_password() for u in learners)
    assert "10 cartes attendent d'être imprimées." in page_text(client.get(reverse("trainer:cards")))
    pdf = client.get(reverse("trainer:cards_pdf"), {"lot": 1})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert page_counts == [2]  # 8 + 2 cards
    pins = pending_pins(client, org)
    for learner in learners:
        learner.refresh_from_db()
        assert learner.check_password(pins[str(learner.pk)])
    # Printing again gives the same PINs (they are in the session until the trainer says it is done).
    client.get(reverse("trainer:cards_pdf"), {"lot": 1})
    assert pending_pins(client, org) == pins
    client.post(reverse("trainer:cards_forget"))
    assert client.get(reverse("trainer:cards_pdf"), {"lot": 1}).status_code == 404


def test_no_pin_is_ever_stored_in_clear_in_a_model(client, org_and_trainer):
    org, _ = org_and_trainer
    response = client.post(reverse("trainer:learner_enrol"), {"first_name": "Samia"})
    pin = response.context["pin"]
    from tremplin.organisations.models import Enrolment

    enrolment = Enrolment.objects.get(learner=response.context["learner"])
    assert pin not in str(enrolment.__dict__) and pin not in response.context["learner"].password


def test_reprinting_cards_of_existing_learners_asks_confirmation_and_resets_their_pin(client, org_and_trainer):
    org, _ = org_and_trainer
    learner = learner_in(org, first_name="Monique")
    old_password, old_token = learner.password, learner.card_token
    page = page_text(client.get(reverse("trainer:cards_reprint")))
    assert "chaque personne choisie reçoit un nouveau code secret" in page
    response = client.post(reverse("trainer:cards_reprint"), {"learners": [learner.pk]})
    assert response.status_code == 400 and "Cochez la case pour confirmer." in page_text(response)
    learner.refresh_from_db()
    assert learner.password == old_password
    response = client.post(reverse("trainer:cards_reprint"), {"learners": [learner.pk], "confirm": "on"})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.card_token != old_token
    assert learner.check_password(pending_pins(client, org)[str(learner.pk)])
    assert client.get(reverse("trainer:cards_pdf")).status_code == 200


def test_a_learner_of_another_organisation_cannot_be_reprinted(client, org_and_trainer):
    from tests.factories import OrganisationFactory

    stranger = learner_in(OrganisationFactory(), first_name="Oleksandr")
    old_password = stranger.password
    client.post(reverse("trainer:cards_reprint"), {"learners": [stranger.pk], "confirm": "on"})
    stranger.refresh_from_db()
    assert stranger.password == old_password


def test_the_qr_code_points_to_the_card_sign_in_page(client, org_and_trainer, settings):
    from tremplin.trainer.cards import card

    org, _ = org_and_trainer
    learner = learner_in(org, first_name="Monique")
    settings.SITE_URL = "https://tremplin.example"
    data = card(learner, "1234", org)
    assert data["code"] == learner.login_code_display and re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", data["code"])
    assert data["qr"].startswith("data:image/svg+xml")
