import re

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import page_text
from tests.pdf import pdf_pages, pdf_qr_codes, pdf_text
from tremplin.accounts.models import User
from tremplin.audit.models import AuditEntry

from .enrolment_helpers import learner_in, trainer_of

pytestmark = pytest.mark.django_db

# One card as pypdf reads it (the first name, clipped to its box, comes out last).
CARD = re.compile(r"Tremplin · (?P<organisation>.+?) Votre code personnel (?P<code>[A-Z0-9]{3}-[A-Z0-9]{3})"
                  r" Votre code secret (?P<pin>\d{4}) Scannez le QR code, .+? Ne donnez pas votre code secret\."
                  r" (?P<name>\S+)")


@pytest.fixture
def org_and_trainer(client):
    org, trainer = trainer_of()
    client.force_login(trainer)
    return org, trainer


def cards_of(pdf) -> list[list[dict]]:
    """The cards of each page as printed: organisation, first name, code, PIN and the QR code's URL."""
    pages = []
    for text, qrs in zip(pdf_pages(pdf), pdf_qr_codes(pdf), strict=True):
        cards = [m.groupdict() for m in CARD.finditer(text)]
        assert len(cards) == len(qrs), (text, qrs)  # one QR code per card, in the same order
        pages.append([{**card, "qr": qr} for card, qr in zip(cards, qrs, strict=True)])
    return pages


def card_url(learner) -> str:
    return "http://127.0.0.1:8000" + reverse("accounts:card_login", args=[learner.card_token])


def test_the_card_printed_after_enrolment_carries_her_codes_and_a_qr_code_that_signs_her_in(client, org_and_trainer):
    org, _ = org_and_trainer
    response = client.post(reverse("trainer:learner_enrol"), {"first_name": "Samia"})
    learner, pin = response.context["learner"], response.context["pin"]
    pdf = client.get(reverse("trainer:cards_pdf"), {"apprenant": learner.pk})
    assert pdf["Content-Type"] == "application/pdf"
    learner.refresh_from_db()
    assert cards_of(pdf) == [[{"organisation": org.name, "name": "Samia", "code": learner.login_code_display,
                               "pin": pin, "qr": card_url(learner)}]]
    assert learner.check_password(pin)
    assert AuditEntry.objects.filter(action="learners.cards_print").exists()
    # Scanning the QR code on a phone opens her card page, and one tap signs her in.
    phone = Client()
    path = cards_of(pdf)[0][0]["qr"].removeprefix("http://127.0.0.1:8000")
    assert "Bonjour Samia" in page_text(phone.get(path))
    phone.post(path)
    assert phone.session["_auth_user_id"] == str(learner.pk)


def test_imported_learners_get_their_pin_when_their_cards_are_printed_eight_a_page(client, org_and_trainer):
    org, _ = org_and_trainer
    csv = "Prénom\n" + "\n".join(f"Personne{i}" for i in range(10))
    response = client.post(reverse("trainer:import_upload"), {"file": SimpleUploadedFile("l.csv", csv.encode())})
    client.post(response["Location"])
    learners = {u.first_name: u for u in User.objects.filter(first_name__startswith="Personne")}
    assert not any(u.has_usable_password() for u in learners.values())
    assert "10 cartes attendent d'être imprimées." in page_text(client.get(reverse("trainer:cards")))
    pdf = client.get(reverse("trainer:cards_pdf"), {"lot": 1})
    assert pdf.status_code == 200
    pages = cards_of(pdf)
    assert [len(page) for page in pages] == [8, 2]
    printed = {card["name"]: card for page in pages for card in page}
    assert sorted(printed) == sorted(learners)
    for name, card in printed.items():
        learner = learners[name]
        learner.refresh_from_db()
        assert card["code"] == learner.login_code_display and card["qr"] == card_url(learner), name
        assert learner.check_password(card["pin"]), name  # the PIN printed is the one that works
    # Printing again gives the same PINs (kept, encrypted, until the trainer says it is done).
    again = cards_of(client.get(reverse("trainer:cards_pdf"), {"lot": 1}))
    assert {c["name"]: c["pin"] for page in again for c in page} == {n: c["pin"] for n, c in printed.items()}
    client.post(reverse("trainer:cards_forget"))
    assert client.get(reverse("trainer:cards_pdf"), {"lot": 1}).status_code == 404


def test_cards_carry_nothing_of_a_person_not_waiting_for_a_card(client, org_and_trainer):
    from tests.factories import OrganisationFactory

    org, _ = org_and_trainer
    colleague = learner_in(org, first_name="Bernadette")  # same organisation, no card asked for
    stranger = learner_in(OrganisationFactory(name="Autre structure"), first_name="Oleksandr")
    client.post(reverse("trainer:learner_enrol"), {"first_name": "Samia"})
    # A forged id in the query string is not a way to print someone else's card.
    assert client.get(reverse("trainer:cards_pdf"), {"apprenant": stranger.pk}).status_code == 404
    text = pdf_text(client.get(reverse("trainer:cards_pdf")))
    assert "Samia" in text
    for other in (colleague, stranger):
        assert other.first_name not in text and other.login_code_display not in text
    assert "Autre structure" not in text


def session_values(value):
    """Every leaf of a decoded session, keys included."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from session_values(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from session_values(item)
    else:
        yield str(value)


def test_no_pin_is_stored_in_clear_in_the_session_or_any_table(client, org_and_trainer, monkeypatch):
    from django.apps import apps
    from django.db import models

    org, _ = org_and_trainer
    issued = []

    def new_pin():  # distinctive PINs, so that finding one is not a coincidence
        issued.append(f"{7300 + len(issued) * 13}")
        return issued[-1]

    monkeypatch.setattr("tremplin.accounts.services.new_pin", new_pin)
    samia = client.post(reverse("trainer:learner_enrol"), {"first_name": "Samia"}).context["learner"]
    client.post(reverse("trainer:learner_pin_reset", args=[samia.pk]))
    csv = "Prénom\n" + "\n".join(f"Personne{i}" for i in range(3))
    response = client.post(reverse("trainer:import_upload"), {"file": SimpleUploadedFile("l.csv", csv.encode())})
    client.post(response["Location"])
    client.post(reverse("trainer:cards_reprint"), {"learners": [samia.pk], "confirm": "on"})
    printed = [c["pin"] for page in cards_of(client.get(reverse("trainer:cards_pdf"))) for c in page]
    assert len(issued) == 6 and len(printed) == 4 and set(printed) <= set(issued)

    whole_pin = re.compile(r"(?<![0-9A-Za-z])(" + "|".join(issued) + r")(?![0-9A-Za-z])")
    sessions = [Session.objects.get(pk=client.session.session_key).get_decoded()]
    assert "cards_to_print" in sessions[0]  # the PINs still to print are in there, sealed
    for leaf in (leaf for session in sessions for leaf in session_values(session)):
        assert not whole_pin.search(leaf), leaf
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField | models.JSONField)]
        for row in model.objects.values_list(*fields) if fields else []:
            for value in row:
                assert not whole_pin.search(str(value)), (model.__name__, value)


def test_pins_kept_for_printing_survive_a_secret_key_rotation_with_fallback(client, org_and_trainer, settings):
    response = client.post(reverse("trainer:learner_enrol"), {"first_name": "Samia"})
    pin = response.context["pin"]
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-0123456789abcdefghijklmnopqrstuv"
    assert cards_of(client.get(reverse("trainer:cards_pdf")))[0][0]["pin"] == pin


def test_a_sealed_pin_opens_only_for_its_learner_and_organisation(rf, org_and_trainer):
    from tests.factories import OrganisationFactory
    from tremplin.trainer import cards

    org, _ = org_and_trainer
    request = rf.get("/")
    request.session = {}
    cards.pending_add(request, org, ids=["a", "b"], pins={"a": "1111", "b": "2222"})
    assert cards.pending(request, org) == {"ids": ["a", "b"], "pins": {"a": "1111", "b": "2222"}}
    sealed = request.session[cards.SESSION_KEY][str(org.pk)]["pins"]
    assert "1111" not in str(sealed) and "2222" not in str(sealed)
    # Swapped between learners, or moved to another organisation, a sealed PIN opens for nobody.
    sealed["a"], sealed["b"] = sealed["b"], sealed["a"]
    assert cards.pending(request, org)["pins"] == {}
    other = OrganisationFactory()
    request.session[cards.SESSION_KEY][str(other.pk)] = {"ids": ["a"], "pins": {"a": sealed["b"]}}
    assert cards.pending(request, other)["pins"] == {}


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
    [[card]] = cards_of(client.get(reverse("trainer:cards_pdf")))
    assert card["name"] == "Monique" and card["qr"] == card_url(learner)
    assert learner.check_password(card["pin"])
    assert Client().get(reverse("accounts:card_login", args=[old_token])).status_code == 404


def test_a_learner_of_another_organisation_cannot_be_reprinted(client, org_and_trainer):
    from tests.factories import OrganisationFactory

    stranger = learner_in(OrganisationFactory(), first_name="Oleksandr")
    old_password = stranger.password
    client.post(reverse("trainer:cards_reprint"), {"learners": [stranger.pk], "confirm": "on"})
    stranger.refresh_from_db()
    assert stranger.password == old_password


def test_the_card_code_is_the_learners_code_written_in_two_groups(org_and_trainer):
    from tremplin.trainer.cards import card

    org, _ = org_and_trainer
    learner = learner_in(org, first_name="Monique")
    data = card(learner, "1234", org)
    assert data["code"] == learner.login_code_display and re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", data["code"])
