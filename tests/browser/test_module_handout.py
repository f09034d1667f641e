"""On a phone: a learner opens a real module and fetches its handout; a trainer opens « Contenus » and a guide."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, StaffFactory
from tests.pdf import missing_phrases, pdf_text
from tremplin.accounts.services import learner_create

from .steps import click, go, sign_in_with_code


@pytest.fixture
def real_curriculum(transactional_db, real_content):
    return real_content


def _pdf(page, base, link_name, *expected):
    """Download the PDF behind the link and check that its text says what is expected."""
    href = page.get_by_role("link", name=link_name).first.get_attribute("href")
    response = page.request.get(base + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert not missing_phrases(pdf_text(response), list(expected))


def test_a_learner_opens_a_real_module_on_the_phone_and_gets_its_handout(page, live_server, real_curriculum):
    monique = learner_create(first_name="Monique", pin="1357").user
    sign_in_with_code(page, live_server.url, monique.username, "1357")
    click(page, "Démarches en ligne", role="link")
    click(page, "Votre compte CAF sur caf.fr et sur l’application", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre compte CAF sur caf.fr et sur l’application")
    expect(page.get_by_text("Ce que vous allez apprendre")).to_be_visible()
    link = page.get_by_role("link", name="Fiche à imprimer (PDF)")
    expect(link).to_be_visible()
    _pdf(page, live_server.url, "Fiche à imprimer (PDF)", "Votre compte CAF sur caf.fr et sur l’application",
         "À retenir")
    click(page, "Commencer", role="link")
    expect(page.locator("progress")).to_be_visible()


def test_a_trainer_opens_the_content_catalogue_and_a_guide(page, live_server, real_curriculum):
    claire = StaffFactory(first_name="Claire", email="claire@exemple.fr")
    MembershipFactory(user=claire, organisation=OrganisationFactory(name="Les Clés du Numérique"))
    go(page, f"{live_server.url}/connexion/equipe/")
    page.get_by_label("Adresse e-mail").fill("claire@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    click(page, "Se connecter")
    click(page, "Contenus", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contenus")
    for track in ("Premiers pas", "Démarches en ligne", "Emploi"):
        expect(page.get_by_role("heading", level=2, name=track)).to_be_visible()
    _pdf(page, live_server.url, "Fiche apprenant PDF : Écrire votre curriculum vitae (CV)",
         "Écrire votre curriculum vitae (CV)", "À retenir")
    click(page, "Guide : Écrire votre curriculum vitae (CV)", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Guide formateur : Écrire votre curriculum vitae (CV)")
    for heading in ("Matériel", "Déroulé de l'atelier", "Difficultés fréquentes", "Questions que les personnes posent",
                    "Sources"):
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    _pdf(page, live_server.url, "Télécharger le guide (PDF)", "Guide formateur : Écrire votre curriculum vitae (CV)",
         "Déroulé de l'atelier", "À retenir")
