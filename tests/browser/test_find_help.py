"""On a phone with JavaScript off: a person types their postcode and finds the nearest place open on Saturday."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tremplin.organisations.models import Place
from tremplin.organisations.opening_hours import opens_on_saturday
from tremplin.organisations.places import import_places

from ..factories import CommuneFactory, DepartmentFactory, RegionFactory
from .steps import click, go

EPERNAY_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "lieux" / "epernay.csv"


@pytest.fixture
def marne(transactional_db):
    department = DepartmentFactory(code="51", name="Marne", region=RegionFactory(code="44", name="Grand Est"))
    CommuneFactory(code="51230", name="Épernay", department=department, postcodes=["51200"])
    CommuneFactory(code="51390", name="Moussy", department=department, postcodes=["51530"])
    CommuneFactory(code="51342", name="Mancy", department=department, postcodes=["51530"])
    import_places(path=EPERNAY_FILE)


def test_a_person_finds_the_nearest_place_open_on_saturday_on_a_phone_without_javascript(nojs_page, live_server, marne):
    page, base = nojs_page, live_server.url
    go(page, f"{base}/trouver-de-l-aide/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trouver de l'aide près de chez moi")

    # A postcode shared by two communes: the page asks which one.
    page.get_by_label("Ma commune ou mon code postal").fill("51530")
    click(page, "Chercher")
    expect(page.get_by_role("heading", name="Plusieurs communes correspondent. Laquelle ?")).to_be_visible()
    click(page, "Moussy (51)", role="link")
    expect(page.get_by_role("heading", name="Moussy et alentours")).to_be_visible()

    page.get_by_label("Ma commune ou mon code postal").fill("51200")
    page.get_by_label("Ouvert le samedi").check()
    click(page, "Chercher")
    expect(page.get_by_role("heading", name="Épernay et alentours")).to_be_visible()
    first = page.locator("ol.places > li").first
    expect(first).to_contain_text("km")
    phone = first.get_by_role("link", name="Appeler le")
    expect(phone).to_have_attribute("href", "tel:+33326533780")
    # One column on a 360 px screen: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    name = first.get_by_role("heading", level=3).inner_text()
    assert opens_on_saturday(Place.objects.get(nom=name).horaires)
    click(page, name, role="link")
    expect(page.get_by_role("heading", level=3)).to_have_text(name)
    expect(page.get_by_text("choisissez « Imprimer » dans le menu de votre navigateur")).to_be_visible()
    click(page, "Retour à la liste des lieux", role="link")
    expect(page.get_by_label("Ouvert le samedi")).to_be_checked()
