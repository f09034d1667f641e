"""Parsing of learner lists (CSV or XLSX) for bulk enrolment. Pure functions: nothing is written here.

Spreadsheets come from many hands: UTF-8 with or without BOM, Latin-1/cp1252 from old Excel,
commas or semicolons, blank lines, full birth dates instead of years. Every problem becomes a
French message naming the line, so the trainer can fix the file and try again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

# Caps against spreadsheet bombs (a 1.5 KB .xlsx declaring A1:XFD2000, a shared-strings bomb): every
# one is checked before the costly step it protects, so a refusal comes within a second.
MAX_BYTES = 5 * 1024 * 1024  # the file as uploaded (settings.FILE_UPLOAD_MAX_SIZE stops the upload itself)
MAX_ROWS = 20_000  # lines after the column names; reading stops at the first one past it
MAX_COLUMNS = 30  # columns read on each line; the ones after are ignored
MAX_CELLS = 300_000  # cells, and shared strings, of an .xlsx: counted in its XML before openpyxl opens it
MAX_XLSX_UNCOMPRESSED = 20 * 1024 * 1024  # an .xlsx is a zip: its parts once unzipped, all together
MAX_XLSX_PARTS = 500

_HEADERS = {
    "first_name": {"prenom", "prenoms", "firstname", "first_name"},
    "last_name": {"nom", "nomdefamille", "nomdusage", "lastname", "last_name", "nomdenaissance"},
    "birth_year": {"anneedenaissance", "anneenaissance", "annee", "naissance", "birthyear", "datedenaissance",
                   "datenaissance", "nele", "neele", "nee"},
    "phone": {"telephone", "tel", "portable", "mobile", "phone", "numerodetelephone"},
    "email": {"email", "mail", "courriel", "adresseemail", "adressemail", "adressecourriel", "e_mail"},
}
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (message in French)."""


@dataclass
class ParsedFile:
    rows: list[dict] = field(default_factory=list)  # valid rows, each with its "line"
    errors: list[dict] = field(default_factory=list)  # {"line": n, "message": "…"}


def person_key(first_name: str, last_name: str, birth_year: int | None) -> tuple[str, str, int | None]:
    """Same person for duplicate detection: names compared without case, accents or extra spaces."""
    return (_fold(first_name), _fold(last_name), birth_year)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[-'’]", " ", text).casefold().split())


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z_]", "", _fold(str(text or "")).replace(" ", ""))


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _too_many_rows() -> ImportFileError:
    """Reading stops at the first line past the cap (blank lines count: a row numbered a million is a bomb)."""
    return ImportFileError(_("Le fichier a trop de lignes (%(max)s au plus).")
                           % {"max": f"{MAX_ROWS:,}".replace(",", " ")})


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("Le fichier n'est pas un texte lisible. Enregistrez-le en CSV (UTF-8).")) from exc
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, cells[:MAX_COLUMNS]))
            if len(rows) > MAX_ROWS + 1:
                raise _too_many_rows()
    except csv.Error as exc:
        raise ImportFileError(_("Le fichier CSV est mal formé (ligne %(line)s).") % {"line": reader.line_num}) from exc
    return rows


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    _check_xlsx_parts(data)
    unreadable = ImportFileError(_("Le fichier Excel ne peut pas être ouvert. Enregistrez-le de nouveau au format "
                                   ".xlsx, ou en CSV."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged files
        raise unreadable from exc
    rows = []
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # never trust the declared dimension: « A1:XFD2000 » costs 32 million cells
        for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            rows.append((number, [_cell_text(v) for v in values]))
            if len(rows) > MAX_ROWS + 1:
                raise _too_many_rows()
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged sheet fails while it is read, not when the file is opened
        raise unreadable from exc
    finally:
        workbook.close()
    return rows


# A cell (<c …>) or a shared string (<si>), with or without a namespace prefix (<x:c …>).
_COUNTED_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?(c|si)[\s/>]")
_TAG_MAX_LENGTH = 32


def _check_xlsx_parts(data: bytes) -> None:
    """Refuse an .xlsx that would unzip too big or hold too many cells, before openpyxl reads any of it.

    zipfile never gives more bytes than a part's declared size, so the directory's sizes can be trusted.
    """
    too_big = ImportFileError(_("Ce fichier Excel est trop gros une fois ouvert (%(cells)s cellules et %(mb)s Mo "
                                "au plus). Gardez seulement les colonnes utiles, ou enregistrez-le en CSV.")
                              % {"cells": f"{MAX_CELLS:,}".replace(",", " "),
                                 "mb": MAX_XLSX_UNCOMPRESSED // (1024 * 1024)})
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise ImportFileError(_("Le fichier Excel ne peut pas être ouvert. Enregistrez-le de nouveau au format "
                                ".xlsx, ou en CSV.")) from exc
    if len(parts) > MAX_XLSX_PARTS or sum(part.file_size for part in parts) > MAX_XLSX_UNCOMPRESSED:
        raise too_big
    counted = {b"c": 0, b"si": 0}  # cells and shared strings, each capped at MAX_CELLS
    try:
        for part in parts:
            if not part.filename.endswith((".xml", ".rels")):
                continue
            with archive.open(part) as stream:
                carry, first = b"", True
                while chunk := stream.read(1024 * 1024):
                    if first and (chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\0" in chunk[:64]):
                        raise too_big  # UTF-16 XML would hide its tags from the count: Excel never writes it
                    first = False
                    buffer = carry + chunk
                    cut = max(0, len(buffer) - _TAG_MAX_LENGTH)  # a tag starting after it is counted next time
                    for match in _COUNTED_TAG.finditer(buffer):
                        if match.start() < cut:
                            counted[match.group(1)] += 1
                    carry = buffer[cut:]
                    if max(counted.values()) > MAX_CELLS:
                        raise too_big
                for match in _COUNTED_TAG.finditer(carry):
                    counted[match.group(1)] += 1
            if max(counted.values()) > MAX_CELLS:
                raise too_big
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, ValueError, OSError,
            EOFError) as exc:  # a damaged, encrypted or oddly compressed part
        raise ImportFileError(_("Le fichier Excel ne peut pas être ouvert. Enregistrez-le de nouveau au format "
                                ".xlsx, ou en CSV.")) from exc


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _birth_year(raw: str, this_year: int) -> int | None:
    """The year, from « 1975 », « 1975.0 », « 12/03/1975 » or « 1975-03-12 ». Raises ValueError."""
    raw = raw.strip()
    if not raw:
        return None
    if re.fullmatch(r"\d{4}(\.0)?", raw):
        year = int(raw[:4])
    else:
        for fmt in _DATE_FORMATS:
            try:
                year = dt.datetime.strptime(raw, fmt).year
                break
            except ValueError:
                continue
        else:
            raise ValueError(raw)
    if not 1900 <= year <= this_year:
        raise ValueError(raw)
    return year


def parse_learner_file(data: bytes, filename: str = "", *, this_year: int | None = None) -> ParsedFile:
    """Read a CSV or XLSX list of learners; duplicates within the file are reported as errors."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("Le fichier est trop gros (5 Mo au plus)."))
    if not data.strip():
        raise ImportFileError(_("Le fichier est vide."))
    this_year = this_year or dt.date.today().year
    is_xlsx = filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"
    raw_rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    raw_rows = [(n, cells) for n, cells in raw_rows if any(str(c).strip() for c in cells)]
    if not raw_rows:
        raise ImportFileError(_("Le fichier est vide."))
    header_line, header = raw_rows[0]
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        key = _header_key(title)
        for name, aliases in _HEADERS.items():
            if key in aliases and name not in columns:
                columns[name] = index
    if "first_name" not in columns:
        raise ImportFileError(_("La première ligne doit donner le nom des colonnes, dont « Prénom ». "
                                "Colonnes possibles : Prénom, Nom, Année de naissance, Téléphone, E-mail."))
    body = raw_rows[1:]
    if len(body) > MAX_ROWS:
        raise _too_many_rows()
    if not body:
        raise ImportFileError(_("Le fichier ne contient aucune personne, seulement la ligne des colonnes."))

    parsed = ParsedFile()
    seen: dict[tuple, int] = {}

    def cell(cells: list[str], name: str) -> str:
        index = columns.get(name)
        return str(cells[index]).strip() if index is not None and index < len(cells) else ""

    for line, cells in body:
        problems = []
        first_name, last_name = cell(cells, "first_name"), cell(cells, "last_name")
        phone, email = cell(cells, "phone"), cell(cells, "email")
        if not first_name:
            problems.append(_("le prénom manque"))
        elif len(first_name) > 100:
            problems.append(_("le prénom est trop long (100 caractères au plus)"))
        if len(last_name) > 100:
            problems.append(_("le nom est trop long (100 caractères au plus)"))
        birth_year = None
        raw_year = cell(cells, "birth_year")
        try:
            birth_year = _birth_year(raw_year, this_year)
        except ValueError:
            problems.append(_("l'année de naissance « %(value)s » n'est pas valide (écrivez 4 chiffres, "
                              "par exemple 1975)") % {"value": raw_year[:20]})
        if len(phone) > 30:
            problems.append(_("le téléphone est trop long"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("l'adresse e-mail « %(value)s » n'est pas valide") % {"value": email[:60]})
        if problems:
            parsed.errors.append({"line": line, "message": "; ".join(problems)})
            continue
        key = person_key(first_name, last_name, birth_year)
        if key in seen:
            parsed.errors.append({"line": line, "message": _("même personne qu'à la ligne %(line)s "
                                                             "(doublon dans le fichier)") % {"line": seen[key]}})
            continue
        seen[key] = line
        parsed.rows.append({"line": line, "first_name": first_name, "last_name": last_name,
                            "birth_year": birth_year, "phone": phone, "email": email.lower()})
    return parsed
