"""Open access as a new user would try it on a phone-sized screen (issue 13's « done when »)."""

import re

import pytest
from playwright.sync_api import expect

from tremplin.accounts.device import COOKIE
from tremplin.organisations.models import Enrolment

from ..factories import MembershipFactory
from .conftest import PHONE
from .steps import click, go, sign_in_as_staff, sign_in_with_code


@pytest.fixture
def trainer(transactional_db, content, real_simulators):
    return MembershipFactory(user__first_name="Claire").user


def test_a_person_learns_alone_comes_back_keeps_a_code_and_a_trainer_follows_them(browser, page, live_server,
                                                                                 trainer):
    base = live_server.url
    go(page, base + "/")
    expect(page.get_by_role("link", name="Commencer maintenant")).to_be_visible()
    expect(page.get_by_role("link", name="Faire le point")).to_be_visible()
    click(page, re.compile("Commencer maintenant"), role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Apprendre pas à pas")
    click(page, "Premiers pas", role="link")
    click(page, "Utiliser l'écran tactile", role="link")
    click(page, "Commencer", role="link")
    for _ in range(3):  # half of the lesson, without an account
        click(page, re.compile("Suivant"))

    # A simulator too: start the CAF quarterly declaration in guided mode and do its first screen.
    go(page, base + "/apprendre/simulateurs/")
    page.get_by_role("link").filter(has_text=re.compile("trimestrielle", re.I)).first.click()
    page.wait_for_load_state("load")
    page.axe.check()
    click(page, re.compile("^Guidé"))
    expect(page.get_by_text("Entraînement — rien n'est envoyé")).to_be_visible()

    # The browser is closed: only the device's long-lived cookie stays. Coming back continues the lesson.
    device = [c for c in page.context.cookies() if c["name"] == COOKIE]
    assert device and device[0]["httpOnly"]
    again = browser.new_context(**PHONE)
    again.add_cookies(device)
    back = again.new_page()
    back.axe = page.axe.__class__(back)
    back.console_errors = []
    go(back, base + "/apprendre/")
    expect(back.get_by_role("heading", name="Reprendre où vous en étiez")).to_be_visible()
    click(back, "Reprendre", role="link")
    expect(back.get_by_role("heading", level=1)).to_contain_text("Utiliser l'écran tactile")

    # « Garder ma progression »: a code and a PIN on the spot, nothing else asked but a first name.
    click(back, "Garder ma progression", role="link")
    back.get_by_label("Votre prénom").fill("Awa")
    click(back, "Recevoir mes codes")
    card = back.locator("#carte")
    code = re.search(r"Mon code personnel : (\S+)", card.inner_text()).group(1)
    pin = re.search(r"Mon code secret : (\d{4})", card.inner_text()).group(1)
    back.axe.assert_all_checked()
    again.close()

    # The same code on another browser: everything is there.
    other = browser.new_context(**PHONE)
    elsewhere = other.new_page()
    elsewhere.axe = page.axe.__class__(elsewhere)
    sign_in_with_code(elsewhere, base, code, pin)
    expect(elsewhere.get_by_role("heading", level=1)).to_have_text("Bonjour Awa !")
    expect(elsewhere.get_by_role("heading", name="Reprendre où vous en étiez")).to_be_visible()
    go(elsewhere, base + "/apprendre/simulateurs/")
    expect(elsewhere.get_by_text(re.compile("trimestrielle", re.I)).last).to_be_visible()
    elsewhere.axe.assert_all_checked()
    other.close()

    # A trainer enrols the person with their code (the person types the PIN and agrees): the history comes too.
    page.context.clear_cookies()
    sign_in_as_staff(page, base, trainer.email)
    go(page, base + "/espace-formateur/apprenants/inscrire-avec-un-code/")
    page.get_by_label("Son code personnel").fill(code)
    page.get_by_label(re.compile("Son code secret")).fill(pin)
    page.get_by_label(re.compile("La personne est d'accord")).check()
    click(page, "Inscrire dans ma structure")
    expect(page.get_by_text("Awa est inscrit dans votre structure")).to_be_visible()
    assert Enrolment.objects.filter(learner__first_name="Awa").count() == 1
    go(page, base + "/espace-formateur/suivi/")
    click(page, "Awa", role="link")
    expect(page.get_by_text("Utiliser l'écran tactile")).to_be_visible()
