"""A learner's rights as a new user would try them on a phone (issue 16's « done when »)."""

import json
import re

import pytest
from playwright.sync_api import expect

from tremplin.organisations.services import learner_enrol

from ..factories import MembershipFactory
from .conftest import Axe, with_axe
from .steps import click, go, sign_in_as_staff, sign_in_with_code


@pytest.fixture
def people(transactional_db, content):
    membership = MembershipFactory(user__first_name="Claire")
    new = learner_enrol(organisation=membership.organisation, created_by=membership.user, first_name="Awa",
                        last_name="Diallo", pin="2580")
    return membership, new.user


def test_a_learner_downloads_their_data_and_erases_it_and_the_trainer_sees_it_done(browser, page, live_server,
                                                                                  people):
    membership, learner = people
    base, code = live_server.url, learner.username
    sign_in_with_code(page, base, code, "2580")
    click(page, "Mon compte", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.get_by_text(membership.organisation.name)).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (fichier de données)").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["account"]["first_name"] == "Awa" and data["structures"][0]["name"] == membership.organisation.name
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (PDF, à lire)").click()
    assert open(download.value.path(), "rb").read(4) == b"%PDF"

    click(page, "Demander l'effacement", role="link")
    expect(page.get_by_text("Attention : on ne peut pas revenir en arrière.")).to_be_visible()
    page.get_by_label("Oui, je veux tout effacer.").check()
    click(page, "Effacer mes données")
    expect(page.get_by_role("heading", level=1)).to_have_text("C'est fait : vos données sont effacées.")
    reference = page.locator("strong.code").inner_text()
    assert re.fullmatch(r"E-[A-Z0-9]{4}-[A-Z0-9]{4}", reference)

    sign_in_with_code(page, base, code, "2580")  # the code no longer opens anything
    expect(page).to_have_url(re.compile("/connexion/"))
    expect(page.get_by_role("link", name="Mon compte")).to_have_count(0)

    trainer = with_axe(browser.new_context(viewport={"width": 1024, "height": 768}, locale="fr-FR")).new_page()
    trainer.axe = Axe(trainer)
    sign_in_as_staff(trainer, base, membership.user.email)
    go(trainer, base + "/espace-formateur/effacements/")
    row = trainer.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("la personne")
    expect(row).to_contain_text("Fait")
    expect(trainer.get_by_text("Awa")).to_have_count(0)
    trainer.axe.assert_all_checked()
    trainer.context.close()
