"""No spreadsheet the product writes can run a formula, whatever people typed (issue 10, security 1).

The test finds every export URL from the URL resolver, so a new export is checked the day it is added.
"""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tremplin.lib.spreadsheet import csv_response, csv_text, safe_cell
from tremplin.organisations.models import SignupLink

from .coaching.world import build_side
from .factories import EnrolmentFactory, LearnerFactory

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "Lou;=1+1", "Lou,@SUM(A1)"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+([.,]\d+)?")


def export_urls() -> list[tuple[str, str]]:
    """(name, route) of every URL whose name ends in ``_export`` or whose path ends in .csv / .xlsx."""
    found = []

    def walk(patterns, prefix, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if (p.name or "").endswith("_export") or route.endswith((".csv", ".xlsx")):
                    found.append((f"{namespace}{p.name}", route))

    walk(get_resolver().url_patterns, "", "")
    return found


def cells_of(response) -> list[str]:
    """Every cell, as a spreadsheet might split the file: with its own delimiter and with the others."""
    content_type = response["Content-Type"]
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content))
        cells = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"formula in {sheet.title}!{cell.coordinate}"
                    cells.append("" if cell.value is None else str(cell.value))
        return cells
    assert content_type.startswith("text/csv"), content_type
    text = response.content.decode("utf-8-sig")
    cells = []
    for delimiter in (";", ",", "\t"):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            cells.extend(row)
    return cells


@pytest.fixture
def poisoned(content):
    """An organisation whose learners, group and records carry formulas, typed where an attacker can type."""
    side = build_side("A")
    trainer = Client()
    trainer.force_login(side.trainer)
    side.admin_client = Client()
    side.admin_client.force_login(side.admin)
    # A manager's name is typed by the person at their invitation; the structure's log writes it.
    side.admin.first_name = PAYLOADS[0]
    side.admin.save(update_fields=["first_name"])
    assert side.admin_client.get(reverse("trainer:learners_export")).status_code == 200  # one log entry by them
    # The trainer opens a sign-up link for a workshop room; anyone in the room (or who got the link) uses it.
    assert trainer.post(reverse("trainer:signup_links"), {"label": "Atelier", "hours": 24}).status_code == 302
    token = SignupLink.objects.get(organisation=side.organisation).token
    for payload in PAYLOADS:
        response = Client().post(reverse("join:signup", args=[token]), {"first_name": payload})
        assert response.status_code == 200, payload
    # Forms strip a leading tab or CR; an import or a future form might not: store them raw too.
    for payload in PAYLOADS:
        EnrolmentFactory(organisation=side.organisation,
                         learner=LearnerFactory(first_name=payload, last_name=payload))
        trainer.post(reverse("trainer:learner_enrol"), {"first_name": "Lou", "last_name": payload,
                                                        "confirm_duplicate": "on"})
    learners = [e.learner for e in side.organisation.enrolments.select_related("learner")]
    assert trainer.post(reverse("trainer:group_create"), {
        "name": "=1+1", "members": [str(u.pk) for u in learners]}).status_code == 302
    for payload in PAYLOADS:
        assert trainer.post(reverse("trainer:record_create"), {
            "type": "collectif", "date": timezone.localdate().isoformat(), "duree": "30",
            "type_lieu": "lieu_activite", "thematiques": ["email"], "titre_atelier": payload,
            "niveau_atelier": "debutant", "accompagnements": "5", "beneficiaire_genre": "non_communique",
            "beneficiaire_tranche_age": "non_communique", "beneficiaire_statut_social": "non_communique",
        }).status_code == 302, payload
    return side, trainer


def test_the_product_has_export_urls_and_this_test_finds_them():
    names = {name for name, _route in export_urls()}
    assert {"trainer:learners_export", "trainer:followup_export", "trainer:record_export"} <= names


# Public statistics hold no text a person typed (counts, INSEE names, catalogue labels): no attacker's value can
# reach them; tests/public/test_observatory.py reads them back for formula characters.
NO_TYPED_TEXT = {"public:observatory_csv", "public:observatory_department_csv"}
# The network's exports (figures per area, structure names typed by coordinators) are read back cell by cell,
# with a structure named « =HYPERLINK(…) », in tests/network/test_exports.py for every level.
NETWORK = "network:"
# Exports only a structure's manager may download (the structure's audit log).
ADMIN_ONLY = {"trainer:journal_export"}


def test_no_cell_of_any_export_starts_with_a_formula_character(poisoned):
    _side, trainer = poisoned
    runnable, unpoisoned = {}, []
    for name, route in export_urls():
        if name in NO_TYPED_TEXT or name.startswith(NETWORK):
            continue
        response = (_side.admin_client if name in ADMIN_ONLY else trainer).get(reverse(name))
        assert response.status_code == 200, (name, route)
        cells = cells_of(response)
        bad = [c for c in cells if c.startswith(DANGEROUS) and not PLAIN_NUMBER.fullmatch(c)]
        if bad:
            runnable[f"{name} ({route})"] = sorted(set(bad))[:6]
        if not any(c.startswith("'") and c[1:2] in DANGEROUS for c in cells):
            unpoisoned.append(name)  # no attacker's value reached it: the check above proves nothing there
    assert not runnable, f"cells a spreadsheet would run: {runnable}"
    assert not unpoisoned


def test_the_attackers_name_stays_readable_behind_one_quote(poisoned):
    _side, trainer = poisoned
    text = trainer.get(reverse("trainer:learners_export")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    first_names = {row[0] for row in rows[1:]}
    assert "'=HYPERLINK(\"http://x\",\"y\")" in first_names
    assert "'-2+3" in first_names and "'\tcmd" in first_names


def test_numbers_stay_numbers_and_typed_text_gets_the_quote():
    assert safe_cell(-5) == -5 and safe_cell(Decimal("-2.5")) == Decimal("-2.5") and safe_cell(1.5) == 1.5
    assert safe_cell("-5") == "'-5"  # typed text: a phone number, a name
    assert safe_cell("+33 6 12 34 56 78") == "'+33 6 12 34 56 78"
    assert safe_cell("Jean-Pierre") == "Jean-Pierre" and safe_cell(None) == "" and safe_cell(True) == "True"
    assert csv_text([[-5, "-5"]]) == "-5;'-5\r\n"


def test_a_formula_hidden_after_a_separator_is_neutralised_too():
    # A French Excel splits a comma-separated file on semicolons: « a;=1+1 » would become a cell « =1+1 ».
    assert safe_cell("a;=1+1") == "a;'=1+1"
    assert safe_cell("a,@SUM(A1)") == "a,'@SUM(A1)"
    assert safe_cell("Paris, -5 °C") == "Paris, -5 °C"


def test_a_csv_download_has_the_bom_semicolons_and_safe_cells():
    response, writer = csv_response("liste.csv")
    writer.writerow(["Prénom", "=1+1", -3])
    assert response["Content-Disposition"] == 'attachment; filename="liste.csv"'
    assert response.content.decode("utf-8") == "\ufeffPrénom;'=1+1;-3\r\n"
