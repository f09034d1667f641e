import re

import pytest
from playwright.sync_api import expect

from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory
from tests.pdf import pdf_pages
from tremplin.organisations.enums import MembershipRole

from .steps import click, go, sign_in_as_staff

TEN = "Prénom;Nom;Année de naissance\n\n" + "\n".join(f"Élève{i};Martin;{1960 + i}" for i in range(10)) + "\n"


@pytest.fixture
def claire(transactional_db):
    org = OrganisationFactory(name="Les Clés du Numérique")
    user = StaffFactory(first_name="Claire", email="claire@exemple.fr")
    MembershipFactory(user=user, organisation=org, role=MembershipRole.ADMIN)
    return user


def cards_pdf_pages(page, base, href) -> list[str]:
    """The text of each page of the cards PDF behind the link."""
    pdf = page.request.get(base + href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    return pdf_pages(pdf)


def test_a_trainer_enrols_a_learner_prints_cards_imports_ten_and_the_learner_signs_in(page, live_server, claire,
                                                                                     tmp_path):
    base = live_server.url
    sign_in_as_staff(page, base, "claire@exemple.fr")
    click(page, "Apprenants", role="link")
    click(page, "Inscrire une personne", role="link")
    page.get_by_label("Prénom").fill("Samia")
    page.get_by_label("Année de naissance (facultatif)").fill("1990")
    click(page, "Inscrire")
    expect(page.get_by_role("heading", level=1)).to_have_text("Samia est inscrit·e")
    code = page.locator("strong.code").nth(0).inner_text()
    pin = page.locator("strong.code").nth(1).inner_text()
    assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", code) and re.fullmatch(r"\d{4}", pin)
    [card] = cards_pdf_pages(page, base, page.get_by_role("link", name="Imprimer sa carte (PDF)").get_attribute("href"))
    assert f"Votre code personnel {code} Votre code secret {pin}" in card and "Samia" in card

    # Import 10 people from a CSV: preview first, then confirm.
    csv_file = tmp_path / "groupe.csv"
    csv_file.write_bytes(TEN.encode("cp1252"))
    go(page, f"{base}/espace-formateur/apprenants/importer/")
    page.get_by_label("Fichier CSV ou Excel (.xlsx)").set_input_files(str(csv_file))
    click(page, "Voir l'aperçu")
    expect(page.get_by_text("10 personnes prêtes à inscrire, aucune erreur.")).to_be_visible()
    expect(page.get_by_role("cell", name="Élève3")).to_be_visible()
    click(page, "Inscrire les 10 personnes")
    expect(page.get_by_text("11 cartes attendent d'être imprimées.")).to_be_visible()
    sheets = cards_pdf_pages(page, base, page.get_by_role("link", name="Imprimer les cartes (PDF)").get_attribute("href"))
    assert len(sheets) == 2  # 8 + 3 cards
    everything = " ".join(sheets)
    assert f"Votre code personnel {code} Votre code secret {pin}" in everything  # Samia's PIN is kept until done
    assert all(f"Élève{i}" in everything for i in range(10))
    assert everything.count("Votre code secret") == 11
    click(page, "Apprenants", role="link")
    expect(page.get_by_text("11 personnes.")).to_be_visible()

    click(page, "Se déconnecter")
    go(page, f"{base}/connexion/")
    page.get_by_label("Votre code personnel").fill(code)
    page.get_by_label("Votre code secret (4 chiffres)").fill(pin)
    click(page, "Entrer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Samia !")


def test_a_learner_signs_up_on_a_phone_without_javascript_from_the_workshop_qr_code(page, nojs_page, live_server,
                                                                                   claire):
    base = live_server.url
    sign_in_as_staff(page, base, "claire@exemple.fr")
    go(page, f"{base}/espace-formateur/inscription-atelier/")
    page.get_by_label("Nom de l'atelier (facultatif)").fill("Atelier du mardi")
    click(page, "Créer le lien")
    expect(page.get_by_role("img", name="QR code du lien d’inscription")).to_be_visible()
    url = page.get_by_role("link", name=re.compile("rejoindre")).get_attribute("href")

    phone = nojs_page
    go(phone, url.replace("http://127.0.0.1:8000", base))
    phone.get_by_label("Votre prénom").fill("Karim")
    click(phone, "M'inscrire")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Bonjour Karim !")
    click(phone, "J'ai noté mes codes : continuer", role="link")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Bonjour Karim !")


def test_every_enrolment_and_organisation_screen_is_accessible_on_a_phone(page, live_server, claire):
    from django.core import mail

    from tests.factories import EnrolmentFactory, LearnerFactory

    org = claire.memberships.get().organisation
    MembershipFactory(user=claire, organisation=OrganisationFactory(name="CCAS de Mérignac"))
    for _ in range(2):
        EnrolmentFactory(learner=LearnerFactory(first_name="Karim", last_name="Ali", birth_year=2005),
                         organisation=org)
    base = live_server.url
    sign_in_as_staff(page, base, "claire@exemple.fr")
    for path in ["apprenants/", "apprenants/doublons/", "apprenants/cartes/", "apprenants/cartes/reimprimer/",
                 "inscription-atelier/", "structure/", "structure/modifier/", "apprenants/importer/"]:
        go(page, f"{base}/espace-formateur/{path}")
    go(page, f"{base}/espace-formateur/apprenants/")
    click(page, "Compte de Karim", role="link")
    click(page, "Créer un nouveau code secret")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau code secret pour Karim")
    go(page, f"{base}/espace-formateur/structure/")
    page.get_by_label("Adresse e-mail de la personne").fill("yanis@exemple.fr")
    click(page, "Envoyer l'invitation")
    expect(page.get_by_text("Invitation envoyée à yanis@exemple.fr.")).to_be_visible()
    page.get_by_label("Structure", exact=True).select_option(label="CCAS de Mérignac")
    click(page, "Changer")
    expect(page.get_by_text("Vous travaillez maintenant pour : CCAS de Mérignac.")).to_be_visible()
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    click(page, "Se déconnecter")
    go(page, base + "/invitation/" + link.rsplit("/invitation/", 1)[1])
    page.get_by_label("Prénom").fill("Yanis")
    page.get_by_label("Mot de passe", exact=True).fill("un mot de passe long")
    page.get_by_label("Mot de passe, encore une fois").fill("un mot de passe long")
    click(page, "Créer mon compte")
    expect(page).to_have_url(re.compile(r"/espace-formateur/$"))
    expect(page.get_by_label("Structure", exact=True)).to_have_count(0)  # Yanis belongs to one organisation
    expect(page.locator(".org-current")).to_have_text("Les Clés du Numérique")
