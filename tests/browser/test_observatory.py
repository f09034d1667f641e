"""On a phone, without an account: a visitor opens the observatory from the home page, opens a department from the
table of departments, and downloads the open data, where no figure is under 10."""

import csv
import io

from playwright.sync_api import expect

from ..public.observatory_world import THIS_YEAR, small_world
from .steps import click, go


def test_an_anonymous_visitor_opens_the_observatory_a_department_and_downloads_the_open_data(page, live_server):
    small_world()
    base = live_server.url
    go(page, f"{base}/")
    click(page, "L'observatoire : les chiffres de Tremplin", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("L'observatoire de Tremplin")
    expect(page.get_by_role("group", name=f"Personnes touchées en {THIS_YEAR}, par département")).to_be_visible()
    expect(page.get_by_role("link", name="Haute-Marne : < 10 personnes touchées")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # the wide tables scroll inside

    click(page, "Marne (51)", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Marne (51), en {THIS_YEAR}")
    expect(page.get_by_text("Personnes touchées").first).to_be_visible()

    click(page, "← L'observatoire : la France", role="link")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger les données (CSV)").click()
    path = download_info.value.path()
    rows = list(csv.DictReader(io.StringIO(open(path, encoding="utf-8-sig").read()), delimiter=";"))
    assert rows and all(r["valeur"] == "" or int(r["valeur"]) >= 10 for r in rows)
    click(page, "Description du fichier", role="link")
    expect(page.get_by_text("Licence Ouverte / Open Licence version 2.0 (Etalab)").first).to_be_visible()
