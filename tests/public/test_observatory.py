"""L'observatoire, as an anonymous visitor reads it: figures with their definitions, departments, years, open data."""

import csv
import gzip
import html
import io
import random
import re
import time

import pytest
from django.core.cache import cache

from tremplin.lib.france_map import OVERSEAS
from tremplin.lib.france_map_paths import PATHS
from tremplin.organisations.models import Department
from tremplin.stats.models import PeriodFigure
from tremplin.stats.publication import publication

from ..factories import EnrolmentFactory, LearnerFactory, RegionFactory
from ..learner.test_page_weight import wire_size_of_static
from .observatory_world import LAST_YEAR, THIS_YEAR, put, put_area, small_world

pytestmark = pytest.mark.django_db
URL = "/observatoire/"
WIRE_BUDGET = 30 * 1024


@pytest.fixture
def world():
    small_world()


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def read_csv(response) -> list[dict]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_public_home_page_links_to_the_observatory(client, world):
    home = client.get("/")
    assert f'href="{URL}"' in home.content.decode()
    assert client.get(URL).status_code == 200


def test_an_anonymous_visitor_reads_the_national_figures_each_with_its_definition(client, world):
    page = text_of(client.get(URL))
    assert f"France, en {THIS_YEAR}" in page
    assert "120 Personnes touchées" in page
    assert "Personnes différentes qui ont fait au moins une activité" in page  # the definition beside it
    assert "122 personnes touchées depuis le début, pour un objectif d'un million" in page
    assert "Structures actives" in page and "Aidants actifs" in page and "Ateliers" in page
    assert "Modules terminés, par parcours" in page and "Trouver un emploi" in page
    assert "Santé" in page  # accompaniments by Coop theme, with the Coop's words
    assert "Licence Ouverte" in page


def test_a_department_under_10_people_reads_less_than_10_everywhere(client, world):
    national = client.get(URL).content.decode()
    row = re.search(r"Haute-Marne \(52\)</a></th>(.*?)</tr>", national).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row)[0] == "&lt; 10"
    assert 'aria-label="Haute-Marne : &lt; 10 personnes touchées"' in national
    page = text_of(client.get(f"{URL}52/"))
    assert f"Haute-Marne (52), en {THIS_YEAR}" in page
    assert "< 10 Personnes touchées" in page
    assert not re.search(r"\b[1-9] (Personnes|Nouvelles|Structures|Aidants|Ateliers|Présences|Modules|Simulateurs|"
                         r"Accompagnements)", page)


def test_the_national_figures_never_let_one_subtract_a_small_department(client, world):
    """France 120 = 60 + 3 + 40 + 15 + 2: with the Marne, Aube and Ardennes published, Haute-Marne's 3 comes
    back by subtraction; another department is masked instead."""
    page = client.get(URL).content.decode()
    cells = {name: re.findall(r'<td class="num">([^<]*)</td>', re.search(rf"{name} \(\d+\)</a></th>(.*?)</tr>",
                                                                       page).group(1))[0]
             for name in ("Marne", "Haute-Marne", "Aube", "Ardennes")}
    assert cells["Haute-Marne"] == "&lt; 10"
    assert sum(1 for v in cells.values() if v == "masqué") >= 1, cells


def test_the_year_can_be_chosen_and_a_bad_year_shows_the_current_one(client, world):
    last = text_of(client.get(URL, {"annee": str(LAST_YEAR)}))
    assert f"France, en {LAST_YEAR}" in last and "< 10 Personnes touchées" in last
    for bad in ("1990", "abcd", "2026\x00", "9" * 500, ""):
        response = client.get(URL, {"annee": bad})
        assert response.status_code == 200
        assert f"France, en {THIS_YEAR}" in text_of(response)


def test_an_unknown_or_forged_department_code_is_a_404(client, world):
    for path in ("99/", "2C/", "51%00/", "%00/", "x" * 3000 + "/", "..%2F51/", "51 /", "99/donnees.csv",
                 "%00/donnees.csv", "5" * 999 + "/donnees.csv"):
        response = client.get(URL + path)
        assert response.status_code == 404, path
    assert client.get(f"{URL}51/").status_code == 200


def test_the_open_data_reads_back_without_a_cell_under_10_nor_a_formula(client, world):
    response = client.get(f"{URL}donnees.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows and set(rows[0]) == {"annee", "zone", "code_departement", "departement", "indicateur",
                                     "libelle_indicateur", "detail", "libelle_detail", "valeur", "statut"}
    for row in rows:
        assert row["statut"] in {"publié", "inférieur à 10", "masqué"}
        if row["statut"] == "publié":
            assert int(row["valeur"]) >= 10, row
        else:
            assert row["valeur"] == "", row
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    people = {(r["annee"], r["code_departement"]): r for r in rows if r["indicateur"] == "people_reached"}
    assert people[(str(THIS_YEAR), "")]["valeur"] == "120"
    assert people[(str(THIS_YEAR), "52")]["statut"] == "inférieur à 10"
    assert people[("depuis le début", "")]["valeur"] == "122"
    department = read_csv(client.get(f"{URL}52/donnees.csv"))
    assert department and {r["code_departement"] for r in department} == {"52"}
    assert all(r["valeur"] == "" or int(r["valeur"]) >= 10 for r in department)


def test_the_open_data_is_built_once_per_state_of_the_figures(client, world, monkeypatch):
    from tremplin.public import views_observatory

    built = []
    real = views_observatory._csv_bytes
    monkeypatch.setattr(views_observatory, "_csv_bytes", lambda pub, **kw: built.append(kw) or real(pub, **kw))
    first, again = client.get(f"{URL}donnees.csv"), client.get(f"{URL}donnees.csv")
    assert first.content == again.content and len(built) == 1  # the second download is the cached file
    # The next rollup rewrites a figure (rollups delete and insert rows): the file follows.
    PeriodFigure.objects.filter(period="year", level="national", metric="people_reached", key="",
                                start__year=THIS_YEAR).delete()
    put(THIS_YEAR, "", "people_reached", 135)
    assert ("135" in {r["valeur"] for r in read_csv(client.get(f"{URL}donnees.csv"))}) and len(built) == 2


def test_the_open_data_page_states_the_licence(client, world):
    page = text_of(client.get(f"{URL}donnees/"))
    assert "Licence Ouverte / Open Licence version 2.0 (Etalab)" in page
    assert "toujours 10 ou plus" in page


def test_no_personal_data_appears_on_any_observatory_page_or_file(client, world):
    learner = LearnerFactory(first_name="Zéphirine", last_name="Quintal-Observatoire")
    EnrolmentFactory(learner=learner)
    everything = "".join(client.get(URL + path).content.decode("utf-8-sig") for path in
                         ("", "51/", "52/", "donnees/", "donnees.csv", "51/donnees.csv"))
    for personal in (learner.first_name, learner.last_name, learner.username, str(learner.pk)):
        assert personal not in everything
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w+", everything)  # no e-mail address


def test_with_no_figures_at_all_the_observatory_says_so(client):
    cache.clear()
    response = client.get(URL)
    assert response.status_code == 200
    assert "Pas encore de chiffre publié" in text_of(response)
    assert read_csv(client.get(f"{URL}donnees.csv"))[0]["statut"] == "inférieur à 10"


@pytest.fixture
def all_departments():
    """Every department of the map with figures, 30 Coop themes: the size of the real observatory."""
    cache.clear()
    region = RegionFactory(code="11", name="Île-de-France")
    rng = random.Random(7)
    codes = [*PATHS, *OVERSEAS]
    themes = ["sante", "email", "logement", "argent_impots", "travail_formation", "justice", "associations",
              "bureautique", "navigation_sur_internet", "insertion_professionnelle"] * 3
    national: dict[str, int] = {}
    batch: list = []
    Department.objects.bulk_create([Department(code=code, name=f"Département {code}", region=region)
                                    for code in codes])
    for code in codes:
        reached = rng.choice([0, 3, 8, 40, 300, 5000, 42000])
        metrics = {"people_reached": reached, "people_new": reached * 4 // 5,
                   "active_structures": max(1, reached // 400), "workshop": reached // 7,
                   "attendance": reached // 2, "accompaniment_total": reached // 3}
        put_area(THIS_YEAR, code, batch, **metrics)
        for metric, value in metrics.items():
            national[metric] = national.get(metric, 0) + value
        for offset, theme in enumerate(themes[:30]):
            value = (reached * (offset + 1)) // 97
            put(THIS_YEAR, code, "accompaniment", value, key=f"{theme}-{offset}", batch=batch)
            national[f"t{offset}"] = national.get(f"t{offset}", 0) + value
    put_area(THIS_YEAR, "", batch, **{k: v + 50 for k, v in national.items() if not k.startswith("t")})
    for offset, theme in enumerate(themes[:30]):
        put(THIS_YEAR, "", "accompaniment", national[f"t{offset}"], key=f"{theme}-{offset}", batch=batch)
    put("all", "", "people_reached", national["people_new"] + 50, batch=batch)
    PeriodFigure.objects.bulk_create(batch, batch_size=500)


def test_the_observatory_with_every_department_fits_30_kb_on_the_wire(client, all_departments, capsys):
    started = time.perf_counter()
    publication()
    computed = time.perf_counter() - started
    for url in (URL, f"{URL}75/", f"{URL}donnees/"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
        html = gzip.decompress(response.content).decode()
        assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
        wire = len(response.content) + sum(wire_size_of_static(a) for a in assets)
        with capsys.disabled():
            print(f"\n[observatory weight] {url}: HTML {len(html.encode())} B raw, first visit {wire} B on the wire"
                  f" (disclosure control of {len(PATHS) + len(OVERSEAS)} departments: {computed:.2f} s)")
        assert wire <= WIRE_BUDGET, url
    assert html.count("<path") == 0  # the data page has no map
    national = client.get(URL).content.decode()
    assert national.count("<path") == len(PATHS) + len(OVERSEAS)
    assert computed < 20


def test_the_observatory_reads_the_real_rollups_of_a_small_network(client):
    """From learning events to the public page: four people, so every figure reads « < 10 », and no name shows."""
    import datetime as dt

    from tremplin.stats.rollup import all_rollup

    from ..stats.world import build_world, event, record

    cache.clear()
    world = build_world()
    day = dt.date(THIS_YEAR, 1, 15)
    for learner in (world.only_angers, world.angers_and_saumur, world.angers_and_merignac, world.autonomous):
        event(learner, day)
    record(world.angers, day, by=world.trainer, themes=["sante"])
    all_rollup()
    page = text_of(client.get(URL, {"annee": str(THIS_YEAR)}))
    assert "< 10 personnes touchées depuis le début" in page
    assert "< 10 Personnes touchées" in page
    assert "Maine-et-Loire (49)" in page and "Gironde (33)" in page
    assert client.get(f"{URL}49/").status_code == 200
    rows = read_csv(client.get(f"{URL}donnees.csv"))
    assert rows and all(r["valeur"] == "" for r in rows)
    everything = page + str(rows)
    for person in (world.only_angers, world.autonomous, world.trainer):
        for personal in (person.username, person.first_name, person.last_name, person.email, str(person.pk)):
            assert not personal or personal not in everything, personal


def test_the_publication_is_made_again_after_each_rollup_and_its_key_never_counts_the_figures(world, monkeypatch):
    """The key of the observatory's copy moves with every rollup, even one that only removes figures (a count of
    the rows would, but at a million learners it scans millions of rows on every page)."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tremplin.stats import publication as published
    from tremplin.stats.models import RollupWatermark
    from tremplin.stats.periods import Period
    from tremplin.stats.rollup import FIGURES_WRITTEN, derive_period

    made = []
    real = published.compute_publication
    monkeypatch.setattr(published, "compute_publication", lambda: made.append(1) or real())
    publication()
    publication()
    assert len(made) == 1
    with CaptureQueriesContext(connection) as queries:
        published._version()
    assert len(queries) == 2 and not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    PeriodFigure.objects.filter(period="year").order_by("id").first().delete()  # removed, MAX(id) unchanged
    derive_period(Period("year", dt.date(LAST_YEAR, 1, 1)))  # a rollup of that year leaves its mark
    assert RollupWatermark.objects.filter(name=FIGURES_WRITTEN).exists()
    publication()
    assert len(made) == 2
    RollupWatermark.objects.filter(name=FIGURES_WRITTEN).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    publication()  # any other mark: another copy
    assert len(made) == 3
