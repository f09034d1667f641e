"""« Trouver de l'aide près de chez moi »: search by commune or postcode, nearest first, filters, page weight."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tremplin.organisations.models import Place
from tremplin.organisations.opening_hours import describe, opens_on_saturday
from tremplin.organisations.places import import_places
from tremplin.organisations.places_search import haversine_km

from ..factories import CommuneFactory, DepartmentFactory, RegionFactory

pytestmark = pytest.mark.django_db

URL = "/trouver-de-l-aide/"
EPERNAY_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "lieux" / "epernay.csv"
HTML_BUDGET = 14 * 1024
FIRST_VISIT_BUDGET = 10 * 1024  # the learner budget for a first visit (HTML + CSS, compressed)


@pytest.fixture
def marne():
    department = DepartmentFactory(code="51", name="Marne", region=RegionFactory(code="44", name="Grand Est"))
    epernay = CommuneFactory(code="51230", name="Épernay", department=department, postcodes=["51200"])
    CommuneFactory(code="51454", name="Reims", department=department, postcodes=["51100"])
    # Two communes share 51530 (as in the COG): the page must ask which one.
    CommuneFactory(code="51390", name="Moussy", department=department, postcodes=["51530"])
    CommuneFactory(code="51342", name="Mancy", department=department, postcodes=["51530"])
    CommuneFactory(code="51499", name="Saint-Mard-lès-Rouffy", department=department, postcodes=["51130"])
    import_places(path=EPERNAY_FILE)
    return epernay


def wire_size_of_static(url: str) -> int:
    """What whitenoise serves: the gzip variant collectstatic writes (as in tests/learner/test_page_weight.py)."""
    with open(finders.find(url.removeprefix(settings.STATIC_URL)), "rb") as f:
        return len(gzip.compress(f.read(), 9))


def first_visit(client, url):
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    return html, len(response.content), sum(wire_size_of_static(a) for a in assets), assets


def distances(html: str) -> list[float]:
    return [float(km.replace(",", ".")) for km in re.findall(r"à ([\d,]+) km", html)]


def test_a_person_finds_the_nearest_places_from_a_postcode_with_distance_phone_and_hours(client, marne):
    html = client.get(URL, {"commune": "51200"}).content.decode()
    assert "Épernay et alentours" in html
    km = distances(html)
    assert len(km) == 20 and km == sorted(km)  # a page of 20, nearest first
    assert 'href="tel:+33326533780"' in html and "Appeler le 03 26 53 37 80" in html
    assert "Médiathèque Simone-Veil" in html
    assert "Plus loin" in html  # 36 places: a second page
    second = client.get(URL, {"code": "51230", "page": "2"}).content.decode()
    assert distances(second)[0] >= km[-1]
    assert not set(re.findall(r"/lieu/([0-9a-f-]{36})/", html)) & set(re.findall(r"/lieu/([0-9a-f-]{36})/", second))


def test_a_commune_name_works_too_and_an_unknown_one_is_explained_in_french(client, marne):
    assert "Médiathèque Simone-Veil" in client.get(URL, {"commune": "Épernay"}).content.decode()
    assert "Épernay et alentours" in client.get(URL, {"commune": "epernay"}).content.decode()  # typed on a phone
    assert "Saint-Mard-lès-Rouffy et alentours" in client.get(URL, {"commune": "saint mard les rouffy"}).content.decode()
    response = client.get(URL, {"commune": "Trifouillis"})
    assert response.status_code == 400
    assert "Nous ne trouvons pas cette commune" in response.content.decode()


def test_a_postcode_shared_by_several_communes_offers_the_choice(client, marne):
    html = client.get(URL, {"commune": "51530"}).content.decode()
    assert "Plusieurs communes correspondent" in html
    assert "?code=51342" in html and "?code=51390" in html
    chosen = client.get(URL, {"code": "51390", "commune": "51530"}).content.decode()
    assert "Moussy et alentours" in chosen and distances(chosen)


def test_filters_keep_only_the_places_that_match(client, marne):
    html = client.get(URL, {"commune": "51200", "besoin": ["samedi", "gratuit"]}).content.decode()
    names = re.findall(r'/lieu/[^"]+">([^<]+)</a>', html)
    assert names
    for name in names:
        place = Place.objects.get(nom=name.replace("&#x27;", "'"))
        assert opens_on_saturday(place.horaires)
        assert {"Gratuit", "Gratuit sous condition"} & set(place.frais_a_charge)
    everything = re.findall(r'/lieu/[^"]+">([^<]+)</a>', client.get(URL, {"commune": "51200"}).content.decode())
    assert len(names) < len(everything)


def test_a_commune_without_known_places_measures_from_its_department_and_says_so(client, marne):
    html = client.get(URL, {"code": "51454"}).content.decode()  # Reims has 3 places: measured from them
    assert "approximatives" not in html
    Place.objects.filter(code_insee="51454").delete()
    html = client.get(URL, {"code": "51454"}).content.decode()
    assert "approximatives" in html and distances(html)


def test_each_place_has_a_printable_card(client, marne):
    place = Place.objects.get(nom="Médiathèque Simone-Veil")
    html = client.get(f"{URL}lieu/{place.pk}/").content.decode()
    assert "Médiathèque Simone-Veil" in html and "Imprimer" in html
    assert "@media print" in Path(finders.find("css/places.css")).read_text()
    assert client.get(f"{URL}lieu/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_page_fits_the_learner_budget_without_web_fonts(client, marne, capsys):
    for query in ("", "?commune=51200", "?commune=51200&page=2", "?commune=51530"):
        html, html_wire, assets_wire, assets = first_visit(client, URL + query)
        assert len(html.encode()) <= HTML_BUDGET, query
        assert html_wire + assets_wire <= FIRST_VISIT_BUDGET, query
        assert not re.search(r"@font-face|fonts\.googleapis", html)
        assert not re.search(r"<script", html)  # works without JavaScript: there is none
        with capsys.disabled():
            print(f"\n[page weight] {URL}{query}: HTML {len(html.encode())} B raw / {html_wire} B gzip; "
                  f"CSS {assets_wire} B gzip ({', '.join(assets)}); first visit {html_wire + assets_wire} B")


def test_hours_are_said_in_plain_french_and_saturday_is_understood():
    assert describe("Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00") == [
        "Du lundi au vendredi : 9 h – 12 h, 14 h – 17 h 30", "Samedi : 9 h – 12 h"]
    assert describe("Tu,Th 14:00-18:00") == ["Mardi, jeudi : 14 h – 18 h"]
    assert describe("Tu 13:30-19:00:10:00-12:00") is None  # not understood: shown as published
    assert opens_on_saturday("Mo-Sa 08:30-20:00")
    assert not opens_on_saturday("Mo-Fr 09:00-17:00")
    assert not opens_on_saturday("Mo-Sa 09:00-17:00; Sa off")
    assert opens_on_saturday("24/7")


def test_distances_are_great_circle_kilometres():
    assert haversine_km(48.8566, 2.3522, 45.7640, 4.8357) == pytest.approx(392, abs=2)  # Paris – Lyon


def test_a_corsican_postcode_finds_its_commune_in_2a_or_2b(client):
    corse_du_sud = DepartmentFactory(code="2A", name="Corse-du-Sud", region=RegionFactory(code="94", name="Corse"))
    CommuneFactory(code="2A004", name="Ajaccio", department=corse_du_sud, postcodes=["20000", "20090"])
    assert "Ajaccio et alentours" in client.get(URL, {"commune": "20090"}).content.decode()
