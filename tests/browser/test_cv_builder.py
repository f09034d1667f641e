"""On a phone: Karim builds his CV section by section, fixes his e-mail, downloads the PDF, and edits it later."""

import re

import pytest
from playwright.sync_api import expect

from tremplin.accounts.services import learner_create

from ..pdf import missing_phrases, pdf_page_count, pdf_text
from .steps import click, sign_in_with_code


@pytest.fixture
def karim(transactional_db, real_content):
    return learner_create(first_name="Karim", pin="4826").user


def fill(page, label, value):
    page.get_by_label(label, exact=True).fill(value)


def test_a_learner_builds_a_cv_fixes_the_email_downloads_it_and_edits_it_later(page, live_server, karim):
    base = live_server.url
    sign_in_with_code(page, base, karim.username, "4826")
    click(page, "Emploi", role="link")
    click(page, "Mon CV", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon CV")
    click(page, "Commencer mon CV", role="link")

    # 1. Contact, with an unserious address first
    expect(page.get_by_text("Partie 1 sur 7")).to_be_visible()
    fill(page, "Prénom", "Karim")
    fill(page, "Nom", "Benali")
    fill(page, "Téléphone", "06 12 34 56 78")
    fill(page, "Adresse e-mail", "bogoss93@gmail.com")
    fill(page, "Ville", "Lyon")
    click(page, "Enregistrer")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Votre adresse e-mail ne fait pas sérieux pour un employeur.")
    expect(alert).to_contain_text("karim.benali@gmail.com")
    fill(page, "Adresse e-mail", "karim.benali@gmail.com")
    click(page, "Enregistrer")
    expect(page.get_by_role("alert")).to_have_count(0)

    # 2. Target job
    expect(page.get_by_role("heading", level=1)).to_have_text("Le métier que vous cherchez")
    fill(page, "Le métier que vous cherchez", "Apprenti boulanger")
    click(page, "Enregistrer")

    # 3. Experiences: two added, one removed
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos expériences")
    for job, where in [("Bénévole", "Restos du cœur, Lyon"), ("Stage en cuisine", "Lycée hôtelier")]:
        fill(page, "Poste ou mission", job)
        fill(page, "Entreprise ou lieu", where)
        fill(page, "Dates", "juin 2026")
        fill(page, "Ce que vous avez fait", "Accueil des personnes, rangement des colis.")
        click(page, "Ajouter une expérience")
    click(page, "Supprimer : Stage en cuisine")
    expect(page.get_by_role("button", name="Supprimer : Stage en cuisine")).to_have_count(0)
    expect(page.get_by_role("button", name="Supprimer : Bénévole")).to_have_count(1)
    click(page, re.compile("Continuer"), role="link")

    # 4. Training, 5. skills, 6. languages and licence, 7. interests
    fill(page, "Formation ou classe", "Classe de 3e")
    fill(page, "École ou organisme", "Collège Jean Moulin, Lyon")
    fill(page, "Année", "2023")
    click(page, "Ajouter une formation")
    click(page, re.compile("Continuer"), role="link")
    fill(page, "Vos compétences", "Travail en équipe\nRespect des horaires\nPort de charges")
    click(page, "Enregistrer")
    fill(page, "Vos langues", "Français – courant\nArabe – courant")
    fill(page, "Permis de conduire", "Permis B")
    click(page, "Enregistrer")
    fill(page, "Vos loisirs", "Football en club")
    click(page, "Enregistrer")

    # Preview and PDF
    expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu de mon CV")
    cv = page.get_by_role("article", name="Aperçu du CV")
    for text in ("Karim Benali", "Apprenti boulanger", "karim.benali@gmail.com", "Bénévole", "Classe de 3e",
                 "Port de charges", "Permis B", "Football en club"):
        expect(cv).to_contain_text(text)
    expect(page.get_by_text("Votre CV a l'essentiel")).to_be_visible()
    href = page.get_by_role("link", name="Télécharger mon CV (PDF)").get_attribute("href")
    pdf = page.request.get(base + href)
    assert pdf.headers["content-type"] == "application/pdf" and pdf_page_count(pdf) == 1
    assert not missing_phrases(pdf_text(pdf), ["Karim Benali", "Apprenti boulanger", "karim.benali@gmail.com",
                                               "Bénévole", "Classe de 3e", "Port de charges", "Permis B",
                                               "Football en club"])
    assert 'filename="CV-karim-benali.pdf"' in pdf.headers["content-disposition"]

    # Later: sign out, come back, change the target job
    click(page, "Se déconnecter")
    sign_in_with_code(page, base, karim.username, "4826")
    click(page, "Emploi", role="link")
    click(page, "Mon CV", role="link")
    expect(page.get_by_text("Rempli", exact=True)).to_have_count(7)
    click(page, "2. Le métier que vous cherchez", role="link")
    expect(page.get_by_label("Le métier que vous cherchez", exact=True)).to_have_value("Apprenti boulanger")
    fill(page, "Le métier que vous cherchez", "Commis de cuisine")
    click(page, "Enregistrer")
    page.get_by_text("Aperçu de mon CV").click()
    expect(page.get_by_role("article", name="Aperçu du CV")).to_contain_text("Commis de cuisine")
