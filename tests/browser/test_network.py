"""The network journey in a real browser, axe on every page: the national team creates a territory and invites a
coordinator; the coordinator accepts, sees their departments' figures and drills down to a structure; a funder
downloads the one-page PDF report and reads the same figures."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from tests.network.world import seed_figures
from tests.network_world import build_network
from tests.pdf import pdf_page_count, pdf_text

from .steps import click, go, sign_in_as_staff


@pytest.fixture
def network(transactional_db):
    world = build_network("5")
    return world, seed_figures(world)


def test_the_national_team_opens_a_territory_its_coordinator_drills_down_and_a_funder_reads_the_report(
        page, live_server, network, settings):
    world, expected = network
    base = live_server.url

    # The national team lands on the country's figures, creates a hub and invites its coordinator.
    sign_in_as_staff(page, base, world.admin.email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("France")
    expect(page.get_by_role("img", name=re.compile("Personnes touchées par région"))).to_be_visible()
    click(page, "Territoires", role="link")
    page.get_by_label("Nom du territoire").fill("Hub Loire")
    page.get_by_label("Hub territorial (plusieurs départements)").check()
    page.get_by_label(f"{world.d1.name} ({world.d1.code})").check()
    page.get_by_label(f"{world.d2.name} ({world.d2.code})").check()
    click(page, "Créer le territoire")
    expect(page.get_by_text("Le territoire « Hub Loire » est créé.")).to_be_visible()
    page.get_by_label("Adresse e-mail de la personne").fill("nadia.coord@exemple.fr")
    page.get_by_label("Rôle").select_option(label="Coordinateur de territoire")
    expect(page.get_by_label("Territoire", exact=True)).to_have_value(
        re.compile(r"[0-9a-f-]{36}"))  # the new territory, chosen already
    click(page, "Envoyer l'invitation")
    expect(page.get_by_role("cell", name="Hub Loire")).to_be_visible()
    click(page, "Se déconnecter")

    # The coordinator accepts from the e-mail, sees their departments and drills down to a structure.
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    go(page, link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Piloter Hub Loire")
    page.get_by_label("Prénom").fill("Nadia")
    page.get_by_label("Mot de passe", exact=True).fill("une phrase assez longue")
    page.get_by_label("Mot de passe, encore une fois").fill("une phrase assez longue")
    click(page, "Créer mon compte")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hub Loire")
    d1_reached = str(expected[("d1", "people_reached", False)])
    expect(page.get_by_role("row", name=re.compile(world.d1.name))).to_contain_text(d1_reached)
    click(page, world.d1.name, role="link")
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.d1.name)
    click(page, "Alpha", role="link")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alpha")
    expect(page.get_by_role("row", name=re.compile("^Personnes touchées"))).to_contain_text(
        str(expected[("alpha", "people_reached", False)]))
    click(page, "Se déconnecter")

    # A funder of the first hub downloads the PDF report: one page, the figures of the screen.
    sign_in_as_staff(page, base, world.funder.email)
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.hub.name)
    # The worker draws the report (the database task backend, as in production): the link first opens a page
    # that says it is on its way; the worker runs; the page says it is ready; the same link gives the PDF.
    settings.DOCUMENTS_TASK_BACKEND = "database"
    click(page, "Rapport PDF d'une page", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre rapport est en préparation")
    call_command("db_worker", "--backend", "database", "--queue-name", "documents", "--batch", "--no-startup-delay", "--no-reload")
    expect(page.get_by_role("status")).to_have_text(re.compile("Votre rapport est prêt"), timeout=10_000)
    href = page.get_by_role("link", name="Télécharger le rapport").get_attribute("href")
    pdf = page.request.get(base + href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf_page_count(pdf) == 1
    text = pdf_text(pdf)
    for key in (("hub", "people_reached", False), ("d1", "people_reached", False), ("d2", "people_reached", False)):
        assert str(expected[key]) in text, key
    click(page, "Retour au tableau de bord", role="link")
    expect(page.get_by_role("row", name=re.compile(world.d2.name))).to_contain_text(
        str(expected[("d2", "people_reached", False)]))
