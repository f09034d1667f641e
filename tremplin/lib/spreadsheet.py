"""The one way the product writes spreadsheets (CSV today), safe from formula injection.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
Excel, LibreOffice and Google Sheets. Names come from the public workshop sign-up link, so a learner
could be called ``=HYPERLINK("http://x";"y")`` and the trainer who opens the export would run it.

The rule (OWASP's « CSV injection »), applied by :func:`safe_cell` to every cell we write:

- **Text** starting with one of those characters gets a single quote in front: ``'=HYPERLINK(…)``,
  ``'-2+3``, ``'+33 6 12 34 56 78``. Spreadsheets show it as text, with the quote visible when
  opened from a CSV file: still readable, never run.
- **Numbers** (``int``, ``float``, ``Decimal``) are written unchanged: ``-5`` written from an ``int``
  is the number −5, which no spreadsheet can run. Pass numbers as numbers to keep them numeric;
  anything typed by a person (a phone number, a name) is text and gets the quote.
- The same character right after a comma, a semicolon or a tab *inside* a text gets the quote too
  (``a;=1+1`` → ``a;'=1+1``): a French Excel splits a comma-separated file on semicolons (and an
  English one a semicolon-separated file on commas), so that text would otherwise become a cell of
  its own that starts with ``=``.

XLSX goes through :func:`xlsx_bytes` / :func:`xlsx_response` (openpyxl reads a string starting with ``=`` as a
formula, so the same :func:`safe_cell` applies to every cell, and numbers stay numbers).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from io import StringIO
from typing import Any

from django.http import HttpResponse

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
_AFTER_SEPARATOR = re.compile(r"([,;\t])([=+\-@])")
BOM = "\ufeff"  # Excel needs it to read UTF-8


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet may read it without running anything (see the module's rule)."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    text = _AFTER_SEPARATOR.sub(r"\1'\2", text)
    return "'" + text if text.startswith(DANGEROUS_STARTS) else text


class SafeWriter:
    """``csv.writer`` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, stream, *, delimiter: str = ";") -> None:
        self._writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream, *, delimiter: str = ";") -> SafeWriter:
    """A safe writer on any text stream (an ``HttpResponse``, a ``StringIO``, an open file)."""
    return SafeWriter(stream, delimiter=delimiter)


def csv_text(rows: Iterable[Iterable[Any]], *, delimiter: str = ";") -> str:
    """Rows as CSV text, every cell made safe."""
    out = StringIO()
    csv_writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue()


def csv_response(filename: str, *, delimiter: str = ";", bom: bool = True) -> tuple[HttpResponse, SafeWriter]:
    """A CSV download for a French spreadsheet (``;`` and a BOM) and the safe writer that fills it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if bom:
        response.write(BOM)
    return response, csv_writer(response, delimiter=delimiter)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Iterable[Any]]]]) -> bytes:
    """A workbook of (sheet title, rows), every cell made safe (text never read as a formula)."""
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title=re.sub(r"[\\/*?:\[\]]", " ", str(title))[:31] or "Feuille")
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
        for cell in (c for line in sheet.iter_rows() for c in line if isinstance(c.value, str)):
            cell.data_type = "s"  # a text cell, whatever it starts with
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(filename: str, sheets: Iterable[tuple[str, Iterable[Iterable[Any]]]]) -> HttpResponse:
    """An XLSX download of (sheet title, rows)."""
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
