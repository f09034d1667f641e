import re

import pytest
from playwright.sync_api import expect

from tremplin.accounts.services import learner_create

from ..pdf import pdf_text
from .steps import click, go, sign_in_with_code


@pytest.fixture
def samia(transactional_db, content):
    return learner_create(first_name="Samia", pin="2580").user


def complete_module_with_a_wrong_then_a_right_answer(page):
    click(page, "Premiers pas", role="link")
    click(page, "Utiliser l'écran tactile", role="link")
    expect(page.get_by_text("Ce que vous allez apprendre")).to_be_visible()
    click(page, "Commencer", role="link")
    for _ in range(6):
        expect(page.locator("progress")).to_be_visible()
        click(page, re.compile("Suivant"))
    # Question 1: a wrong answer first, then the right one.
    page.get_by_label("J'appuie très fort pendant 10 secondes.").check()
    click(page, "Valider")
    expect(page.get_by_role("alert")).to_contain_text("Ce n'est pas la bonne réponse")
    click(page, "Réessayer", role="link")
    page.get_by_label("Je touche son dessin une fois.").check()
    click(page, "Valider")
    expect(page.get_by_role("alert")).to_contain_text("Bravo")
    click(page, re.compile("Suivant"))
    page.get_by_label("Je glisse le doigt vers le haut.").check()
    click(page, "Valider")
    click(page, re.compile("Suivant"))
    page.get_by_label("J'appuie sur la flèche « retour ».").check()
    page.get_by_label("Je reste calme, je ne casse rien.").check()
    click(page, "Valider")
    click(page, re.compile("Suivant"))
    page.get_by_label("J'appuie dans la case blanche.").select_option("1")
    page.get_by_label("Le clavier apparaît.").select_option("2")
    page.get_by_label("J'appuie sur les lettres une par une.").select_option("3")
    click(page, "Valider")
    expect(page.get_by_role("alert")).to_contain_text("Bravo")
    click(page, re.compile("Terminer"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bravo, vous avez terminé ce module !")
    expect(page.get_by_text("Bonnes réponses du premier coup : 3 sur 4.")).to_be_visible()


def test_a_learner_signs_in_completes_a_module_and_finds_it_again_through_the_qr_card(page, live_server, samia):
    sign_in_with_code(page, live_server.url, samia.username, "2580")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Samia !")
    complete_module_with_a_wrong_then_a_right_answer(page)

    href = page.get_by_role("link", name="Mon attestation (PDF)").get_attribute("href")
    pdf = page.request.get(live_server.url + href)
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Tremplin atteste que Samia a terminé le module « Utiliser l'écran tactile »" in pdf_text(pdf)

    click(page, "Se déconnecter")
    expect(page.get_by_text("Vous êtes déconnecté")).to_be_visible()

    go(page, f"{live_server.url}/carte/{samia.card_token}/")
    click(page, "Oui, c'est moi : entrer")
    click(page, "Premiers pas", role="link")
    expect(page.get_by_role("link", name=re.compile("Utiliser l'écran tactile"))).to_contain_text("Terminé")


def test_the_listen_button_appears_when_javascript_runs(page, live_server, samia):
    sign_in_with_code(page, live_server.url, samia.username, "2580")
    go(page, f"{live_server.url}/apprendre/module/ecran-tactile/etape/1/")
    expect(page.get_by_role("button", name="Écouter")).to_be_visible()


def test_the_same_journey_works_with_javascript_disabled(nojs_page, live_server, samia):
    page = nojs_page
    sign_in_with_code(page, live_server.url, samia.username, "2580")
    complete_module_with_a_wrong_then_a_right_answer(page)
    expect(page.get_by_role("button", name="Écouter")).to_have_count(0)
    click(page, "Se déconnecter")
    go(page, f"{live_server.url}/carte/{samia.card_token}/")
    click(page, "Oui, c'est moi : entrer")
    click(page, "Premiers pas", role="link")
    expect(page.get_by_role("link", name=re.compile("Utiliser l'écran tactile"))).to_contain_text("Terminé")


def test_five_wrong_pins_lock_the_account_with_a_kind_message(page, live_server, samia):
    go(page, f"{live_server.url}/connexion/")
    for _ in range(5):
        page.get_by_label("Votre code personnel").fill(samia.username)
        page.get_by_label("Votre code secret (4 chiffres)").fill("0000")
        click(page, "Entrer")
    expect(page.get_by_role("alert")).to_contain_text("bloqué pendant 15 minutes")
