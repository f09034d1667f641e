"""Exports for funders: CSV and XLSX of every table and a one-page PDF report, read back cell by cell and line by
line, and compared with what the screen shows; each export is written in the audit journal."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tremplin.audit.models import AuditEntry

from ..coaching.world import built_once
from ..conftest import page_text
from ..pdf import pdf_page_count, pdf_text
from .world import network_with_figures


@pytest.fixture(scope="module")
def net(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, network_with_figures)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def _xlsx_rows(response) -> list[list]:
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell is a formula"
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_indicators_csv_and_xlsx_carry_the_figures_of_the_screen(net, db):
    world, expected = net
    client = _client(world.funder)
    url = reverse("network:home_export", args=["csv"])
    screen = page_text(client.get(reverse("network:home")))
    csv_rows = _csv_rows(client.get(url, {"tableau": "indicateurs"}))
    xlsx_rows = _xlsx_rows(client.get(reverse("network:home_export", args=["xlsx"]), {"tableau": "indicateurs"}))
    assert csv_rows[0] == [f"{world.hub.name} — {csv_rows[1][1]}"]
    by_label = {row[0]: row for row in csv_rows[2:]}
    reached = by_label["Personnes touchées"]
    assert reached[1] == str(expected[("hub", "people_reached", False)])
    assert reached[2] == str(expected[("hub", "people_reached", True)])
    assert reached[3] == str(expected[("hub", "people_reached", False)] - expected[("hub", "people_reached", True)])
    assert reached[1] in screen and reached[2] in screen
    xlsx_by_label = {row[0]: row for row in xlsx_rows[2:]}
    assert xlsx_by_label["Personnes touchées"][1] == expected[("hub", "people_reached", False)]  # a number
    assert [str(v) for v in xlsx_by_label["Personnes touchées"][:3]] == reached[:3]
    assert len(xlsx_rows) == len(csv_rows)


def test_the_children_table_exports_the_rows_of_the_screen(net, db):
    world, expected = net
    client = _client(world.coordinator)
    rows = _csv_rows(client.get(reverse("network:home_export", args=["csv"]), {"tableau": "detail"}))
    assert rows[1][0] == "Département"
    names = {row[0]: row for row in rows[2:]}
    assert set(names) == {world.d1.name, world.d2.name}
    assert names[world.d1.name][1] == str(expected[("d1", "people_reached", False)])
    xlsx = _xlsx_rows(client.get(reverse("network:home_export", args=["xlsx"]), {"tableau": "detail"}))
    assert {row[0] for row in xlsx[2:]} == set(names)


def test_a_formula_in_a_structure_name_is_text_in_both_exports(net, db):
    world, _expected = net
    world.alpha.name = '=HYPERLINK("http://x";"y")'
    world.alpha.save(update_fields=["name"])
    client = _client(world.coordinator)
    url = reverse("network:department_export", args=[world.d1.code, "csv"])
    rows = _csv_rows(client.get(url, {"tableau": "detail"}))
    assert rows[2][0] == "'" + world.alpha.name
    xlsx = _xlsx_rows(client.get(reverse("network:department_export", args=[world.d1.code, "xlsx"]),
                                 {"tableau": "detail"}))
    assert xlsx[2][0] == "'" + world.alpha.name


def test_the_pdf_report_is_one_page_with_the_figures_of_the_screen_and_is_recorded(net, db):
    world, expected = net
    client = _client(world.funder)
    before = AuditEntry.objects.filter(actor=world.funder, action="network.export_pdf").count()
    response = client.get(reverse("network:home_export", args=["pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert pdf_page_count(response) == 1
    text = pdf_text(response)
    for key in (("hub", "people_reached", False), ("hub", "people_reached", True), ("d1", "people_reached", False),
                ("d2", "people_new", False), ("hub", "active_trainers", False)):
        assert str(expected[key]) in text, key
    assert world.hub.name in text and "75 % (6 sur 8)" in text
    assert "Personnes différentes qui ont fait au moins une activité" in text
    assert AuditEntry.objects.filter(actor=world.funder, action="network.export_pdf").count() == before + 1


def test_the_same_report_is_drawn_once_and_a_changed_figure_gives_a_new_one(net, db, monkeypatch):
    from tremplin.lib import pdf
    from tremplin.stats.models import PeriodFigure

    world, expected = net
    drawn = []
    real = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, **kw: drawn.append(html) or real(html, **kw))
    client, url = _client(world.funder), reverse("network:home_export", args=["pdf"])
    first, again = client.get(url), client.get(url)
    assert len(drawn) == 1 and first.content == again.content  # WeasyPrint ran once for the two downloads
    reached = expected[("hub", "people_reached", False)]
    PeriodFigure.objects.filter(level="territory", code=str(world.hub.pk), metric="people_reached",
                                key="", value=reached).update(value=reached + 1000)
    changed = client.get(url)
    assert len(drawn) == 2 and str(reached + 1000) in pdf_text(changed)


def test_a_report_not_made_yet_is_asked_of_the_worker_once_and_served_once_the_worker_made_it(net, db, settings,
                                                                                              monkeypatch):
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The real worker, run inside this test's transaction: its connection housekeeping (closing connections that
    # are too old, between tasks) would close the test's own connection on PostgreSQL.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    settings.DOCUMENTS_TASK_BACKEND = "database"  # the worker of production, not the tests' immediate one
    world, expected = net
    client, url = _client(world.funder), reverse("network:home_export", args=["pdf"])
    recorded = AuditEntry.objects.filter(actor=world.funder, action="network.export_pdf")
    before, queued = recorded.count(), DBTaskResult.objects.count()

    waiting = client.get(url)
    assert waiting.status_code == 202 and waiting["Content-Type"].startswith("text/html")
    assert waiting["Retry-After"] == "3"
    text = page_text(waiting)
    assert "Votre rapport est en préparation" in text and world.hub.name in text
    assert client.get(url).status_code == 202  # asked again (a double click, the page's link): still one rendering
    assert DBTaskResult.objects.count() == queued + 1
    assert recorded.count() == before  # nothing was downloaded yet

    status_url = waiting.context["status_url"]
    assert client.get(status_url).status_code == 202
    call_command("db_worker", "--backend", "database", "--queue-name", "documents", "--batch", "--no-startup-delay", "--no-reload")
    assert client.get(status_url).status_code == 204
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert str(expected[("hub", "people_reached", False)]) in pdf_text(served)
    assert recorded.count() == before + 1
    # Another territory's person asking the status of this report learns nothing more than « ready ».
    assert _client(world.coordinator_d3).get(status_url).status_code == 204
    assert client.get(status_url.replace(status_url.split("/")[-2], "f" * 64)).status_code == 404
    assert client.get(status_url.replace(status_url.split("/")[-2], "\x00zz")).status_code == 404


def test_a_pdf_of_a_period_without_data_says_so(net, db):
    world, _expected = net
    response = _client(world.admin).get(reverse("network:region_export", args=[world.r2.code, "pdf"]),
                                        {"periode": "month", "debut": "2012-05"})
    text = pdf_text(response)
    assert "Aucune donnée pour cette période" in text and "mai 2012" in text
    assert pdf_page_count(response) == 1


@pytest.mark.parametrize(("fmt", "table"), [("doc", "indicateurs"), ("csv", "\x00"), ("csv", "x" * 3000),
                                            ("xlsx", "inconnu")])
def test_an_unknown_format_or_table_is_a_404(net, db, fmt, table):
    world, _expected = net
    response = _client(world.admin).get(f"/pilotage/export.{fmt}", {"tableau": table})
    assert response.status_code == 404


def test_a_structure_page_has_no_children_table_to_export(net, db):
    world, _expected = net
    response = _client(world.admin).get(reverse("network:structure_export", args=[world.alpha.pk, "csv"]),
                                        {"tableau": "detail"})
    assert response.status_code == 404


def test_the_breakdowns_are_tables_of_the_screen_exported_like_the_others(net, db):
    world, expected = net
    client = _client(world.coordinator)
    url = reverse("network:structure", args=[world.alpha.pk])
    screen = page_text(client.get(url))
    assert "Progression par compétence" in screen and "Rien de compté pour cette période." in screen
    rows = _csv_rows(client.get(reverse("network:structure_export", args=[world.alpha.pk, "csv"]),
                                {"tableau": "competences"}))
    assert rows[1][0] == "Compétence" and rows[2] == ["email", "8", "6", "75 %"]
    tracks = _xlsx_rows(client.get(reverse("network:structure_export", args=[world.alpha.pk, "xlsx"]),
                                   {"tableau": "parcours"}))
    assert tracks[2] == ["Autre", expected[("alpha", "module_completed", False)]]  # a module of no known track
