"""A referral end to end on a phone-sized screen (issue 12's « done when »): a social worker refers a person,
the structure accepts and enrols them, the person signs in, the social worker sees « Venue à un atelier »."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tremplin.coaching.models import Attendance, Referral, Workshop
from tremplin.organisations.enums import MembershipRole, OrganisationType

from ..factories import MembershipFactory, OrganisationFactory
from .steps import click, go, sign_in_as_staff, sign_in_with_code


@pytest.fixture
def people(transactional_db, content):
    partner = OrganisationFactory(name="CCAS de Trélazé", type=OrganisationType.CCAS)
    structure = OrganisationFactory(name="Espace numérique Belle-Beille")
    workshop = Workshop.objects.create(organisation=structure, title="Premiers pas sur le téléphone", theme="email",
                                       date=timezone.localdate() + dt.timedelta(days=3), start_time=dt.time(14))
    return {
        "social_worker": MembershipFactory(organisation=partner, role=MembershipRole.PRESCRIBER).user,
        "trainer": MembershipFactory(organisation=structure, role=MembershipRole.ADMIN).user,
        "workshop": workshop,
    }


def test_a_social_worker_refers_a_person_who_is_enrolled_signs_in_and_comes_to_a_workshop(page, live_server, people):
    base = live_server.url
    sign_in_as_staff(page, base, people["social_worker"].email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes orientations")
    click(page, "Orienter une personne", role="link")
    page.get_by_label("Structure qui va aider la personne").select_option(label="Espace numérique Belle-Beille (Angers)")
    page.get_by_label("Prénom de la personne").fill("Fatou")
    page.get_by_label("Aide aux démarches administratives").check()
    page.get_by_label("Dans la semaine").check()
    page.get_by_label(re.compile("La personne est d'accord")).check()
    click(page, "Envoyer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fatou, une structure va vous aider")
    reference = Referral.objects.get().reference
    expect(page.get_by_text(reference)).to_be_visible()
    click(page, "Se déconnecter")

    sign_in_as_staff(page, base, people["trainer"].email)
    click(page, "Orientations reçues", role="link")
    click(page, "Fatou", role="link")
    click(page, "Accepter")
    click(page, "Inscrire (code et carte)")
    code = page.locator("strong").filter(has_text=re.compile(r"^[A-Z0-9]{3}-[A-Z0-9]{3}$")).first.inner_text()
    pin = page.locator("strong").filter(has_text=re.compile(r"^\d{4}$")).first.inner_text()
    go(page, base + f"/espace-formateur/orientations/{Referral.objects.get().pk}/")
    page.get_by_label("Atelier").select_option(value=str(people["workshop"].pk))
    click(page, "Inviter")
    click(page, "Se déconnecter")

    sign_in_with_code(page, base, code, pin)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Fatou !")
    click(page, "Se déconnecter")

    Attendance.objects.create(workshop=people["workshop"], learner=Referral.objects.get().learner)  # taken there
    sign_in_as_staff(page, base, people["social_worker"].email)
    row = page.get_by_role("row", name=re.compile("Fatou"))
    expect(row).to_contain_text("Venue à un atelier")
    expect(row).not_to_contain_text(code)
    # The list fits the phone: a wide table scrolls inside its frame, the page never scrolls sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
