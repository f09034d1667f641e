"""Places in the national standard « lieux de médiation numérique » (Table Schema v1.0.2): read, check, import, export.

The rules come from the schema itself (``data/lieux-schema-v1.0.2.json``, a copy of the standard): column
order, required columns, patterns, lengths, types, and the vocabulary of every multi-valued column, read
from its pattern. On top of the schema we check what it cannot say: a SIRET's check digit, coordinates in
France, an ``id`` used twice in one file, a ``code_insee`` unknown to the COG.

A bad value is dropped and reported (row, field, rule, value); a row is dropped and reported only when a
column the place cannot exist without is missing or wrong (``id``, ``nom``, ``commune``, ``code_postal``,
``adresse``, ``date_maj``) or its ``id`` was already used in the file. Nothing is ever silently dropped.
See ``docs/areas/places.md`` and ADR 9.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Commune, Organisation, Place, PlaceSource

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "lieux-schema-v1.0.2.json"
NO_SIRET = "00000000000000"  # what hubs write when they do not know the SIRET
MULTI_SEPARATOR = "|"
# Columns without which there is no place: a row missing one of them is rejected.
ROW_REQUIRED = ("id", "nom", "commune", "code_postal", "adresse", "date_maj")
# Multi-valued columns (lists in the model); those with a closed vocabulary get it from the schema's pattern.
LIST_FIELDS = ("itinerance", "services", "publics_specifiquement_adresses", "prise_en_charge_specifique",
               "frais_a_charge", "dispositif_programmes_nationaux", "formations_labels",
               "autres_formations_labels", "modalites_acces", "modalites_accompagnement")
# Columns the model keeps under another shape: the standard's id is the source record's, source is rebuilt.
NOT_PLACE_FIELDS = ("id", "source")

# Boxes (south, north, west, east) around France: metropolitan France with Corsica, the five DROM and the
# inhabited COM. Coarse on purpose: they catch swapped or missing coordinates (0, 0), not a wrong street.
FRANCE_BOXES = (
    (41.3, 51.2, -5.3, 9.7),  # metropolitan France and Corsica
    (15.8, 16.6, -61.9, -60.9),  # Guadeloupe
    (14.3, 14.95, -61.3, -60.75),  # Martinique
    (2.0, 5.9, -54.7, -51.5),  # Guyane
    (-21.45, -20.8, 55.15, 55.9),  # La Réunion
    (-13.1, -12.6, 44.9, 45.35),  # Mayotte
    (17.85, 18.15, -63.2, -62.75),  # Saint-Martin, Saint-Barthélemy
    (46.7, 47.2, -56.5, -56.1),  # Saint-Pierre-et-Miquelon
    (-23.0, -19.5, 163.5, 168.2),  # Nouvelle-Calédonie
    (-28.0, -7.0, -155.0, -134.0),  # Polynésie française
    (-14.4, -13.1, -178.3, -176.1),  # Wallis-et-Futuna
)


class PlacesFileError(Exception):
    """The file cannot be read at all (the message is French, for the person who gave the file)."""


@dataclass
class Problem:
    row: int  # CSV: the line in the file (header = 1); JSON: the record's number, from 1
    field: str
    rule: str
    value: str
    row_rejected: bool = False


@dataclass
class ImportReport:
    hub: str
    rows: int = 0
    created: int = 0  # new places
    merged: int = 0  # new records attached to a place already known (same SIRET, or same name and address)
    updated: int = 0  # records already imported whose content changed
    unchanged: int = 0  # records already imported, identical
    rejected_rows: int = 0
    without_siret: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.merged + self.updated + self.unchanged

    @property
    def changes(self) -> int:
        return self.created + self.merged + self.updated


# ---------------------------------------------------------------------------------------------- schema


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def columns() -> list[str]:
    """The 32 columns, in the schema's order."""
    return [f["name"] for f in schema()["fields"]]


def required_columns() -> list[str]:
    return [f["name"] for f in schema()["fields"] if f.get("constraints", {}).get("required")]


def _field(name: str) -> dict:
    return next(f for f in schema()["fields"] if f["name"] == name)


@cache
def vocabulary(name: str) -> tuple[str, ...]:
    """The values a multi-valued column accepts, read from its pattern ``(?:(?:^|\\|)(A|B|C))+$``."""
    pattern = _field(name).get("constraints", {}).get("pattern", "")
    match = re.fullmatch(r"\(\?:\(\?:\^\|\\\|\)\((.*)\)\)\+\$", pattern)
    if not match:
        return ()
    return tuple(v.replace("\\(", "(").replace("\\)", ")") for v in match.group(1).split("|"))


def choices(name: str) -> list[tuple[str, str]]:
    """Form choices for a multi-valued column: the standard's own French labels."""
    return [(v, v) for v in vocabulary(name)]


# ------------------------------------------------------------------------------------------ value rules


def normalise_text(text: str) -> str:
    """Lower case, no accents, words only: « Médiathèque  Simone-Veil » → « mediatheque simone veil »."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def match_key(*, nom: str, adresse: str, code_postal: str) -> str:
    return f"{normalise_text(nom)}|{normalise_text(adresse)}|{code_postal.strip()}"[:600]


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def siret_problem(value: str) -> str | None:
    """Why a 14-digit SIRET (or 9-digit SIREN) is wrong, or None. Other identifiers (RNA, RIDET) pass."""
    if not value.isdigit() or len(value) not in (9, 14):
        return None
    if value.startswith("356000000") and len(value) == 14:  # La Poste: sum of digits multiple of 5
        return None if sum(map(int, value)) % 5 == 0 else _("SIRET invalide (clé de contrôle)")
    return None if _luhn_ok(value) else _("SIRET invalide (clé de contrôle)")


def in_france(lat: float, lon: float) -> bool:
    return any(s <= lat <= n and w <= lon <= e for s, n, w, e in FRANCE_BOXES)


def normalise_phone(text: str) -> str:
    """« 02 41 12 34 56 » → « +33241123456 » (the standard's format); other forms are kept as typed."""
    digits = re.sub(r"[\s.\-()]", "", text or "")
    if re.fullmatch(r"0\d{9}", digits):
        return "+33" + digits[1:]
    if digits.startswith("0033"):
        return "+" + digits[2:]
    return digits


def split_multi(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(MULTI_SEPARATOR) if v.strip()]


def _cell(value) -> str:
    """A JSON value as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, list):
        return MULTI_SEPARATOR.join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def clean_row(number: int, raw: dict[str, str], *, known_communes: dict[str, Commune] | None = None,
              ) -> tuple[dict | None, list[Problem]]:
    """Check one row against the schema and our rules: (values for the model or None if rejected, problems)."""
    problems: list[Problem] = []
    values: dict = {}

    def report(name: str, rule: str, value: str) -> None:
        problems.append(Problem(number, name, rule, value, row_rejected=name in ROW_REQUIRED))

    for spec in schema()["fields"]:
        name = spec["name"]
        text = raw.get(name, "") or ""
        constraints = spec.get("constraints", {})
        if name in LIST_FIELDS:
            allowed = vocabulary(name)
            kept = []
            for item in split_multi(text):
                if allowed and item not in allowed:
                    report(name, _("valeur inconnue du standard"), item)
                elif item not in kept:
                    kept.append(item)
            values[name] = kept
            continue
        if not text:
            if constraints.get("required") and name != "pivot":
                report(name, _("valeur obligatoire manquante"), "")
            values[name] = None if spec["type"] in ("number", "date") else ""
            continue
        if constraints.get("pattern") and not re.fullmatch(constraints["pattern"], text):
            report(name, _("format non conforme au standard"), text)
            values[name] = ""
            continue
        if constraints.get("maxLength") and len(text) > constraints["maxLength"]:
            report(name, _("trop long (%(n)s caractères au plus)") % {"n": constraints["maxLength"]}, text)
            values[name] = ""
            continue
        if spec["type"] == "number":
            try:
                values[name] = float(text.replace(",", "."))
            except ValueError:
                report(name, _("nombre attendu"), text)
                values[name] = None
            continue
        if spec["type"] == "date":
            try:
                values[name] = date.fromisoformat(text)
            except ValueError:
                report(name, _("date attendue (AAAA-MM-JJ)"), text)
                values[name] = None
            continue
        values[name] = text

    pivot = values.get("pivot") or ""
    if pivot == NO_SIRET:
        pivot = ""
    elif pivot and (why := siret_problem(pivot)):
        report("pivot", why, pivot)
        pivot = ""
    values["pivot"] = pivot

    lat, lon = values.get("latitude"), values.get("longitude")
    if (lat is None) != (lon is None) and not any(p.field in ("latitude", "longitude") for p in problems):
        missing = "longitude" if lon is None else "latitude"
        report(missing, _("coordonnée manquante (latitude et longitude vont ensemble)"), "")
    if lat is not None and lon is not None and not in_france(lat, lon):
        report("latitude", _("coordonnées hors de France"), f"{lat}, {lon}")
        lat = lon = None
    if lat is None or lon is None:
        lat = lon = None
    values["latitude"], values["longitude"] = lat, lon

    code = values.get("code_insee") or ""
    values["cog_commune"] = None
    if code and known_communes is not None:
        commune = known_communes.get(code)
        if commune is None:
            report("code_insee", _("commune inconnue du Code officiel géographique"), code)
        values["cog_commune"] = commune

    if any(p.row_rejected for p in problems):
        return None, problems
    return values, problems


# ------------------------------------------------------------------------------------------------ read


def read_places_file(path: Path | str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(columns found, [(row number, {column: text})]) from a CSV or JSON file in the standard.

    Raises ``PlacesFileError`` when the file cannot be read at all: unreadable, not UTF-8, not CSV/JSON,
    or without a mandatory column.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlacesFileError(_("Impossible de lire le fichier %(path)s : %(error)s.")
                              % {"path": path, "error": exc.strerror or exc}) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlacesFileError(_(
            "Le fichier n'est pas encodé en UTF-8 (caractère illisible à l'octet %(position)s). "
            "Enregistrez-le en UTF-8 (« CSV UTF-8 » dans un tableur), puis recommencez.")
            % {"position": exc.start}) from exc
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        found, rows = _read_json(text)
    else:
        found, rows = _read_csv(text)
    missing = [c for c in required_columns() if c not in found]
    if missing:
        raise PlacesFileError(_("Colonne obligatoire absente : %(columns)s. Le fichier n'a pas été importé.")
                              % {"columns": ", ".join(missing)})
    return found, rows


def _read_csv(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise PlacesFileError(_("Le fichier est vide.")) from None
    except csv.Error as exc:
        raise PlacesFileError(_("Ce fichier n'est pas un CSV lisible : %(error)s.") % {"error": exc}) from exc
    header = [h.strip() for h in header]
    rows = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            rows.append((reader.line_num, {h: c.strip() for h, c in zip(header, cells, strict=False) if h}))
    except csv.Error as exc:
        raise PlacesFileError(_("Ce fichier n'est pas un CSV lisible (ligne %(line)s) : %(error)s.")
                              % {"line": reader.line_num, "error": exc}) from exc
    return header, rows


def _read_json(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlacesFileError(_("Ce fichier JSON est illisible (ligne %(line)s) : %(error)s.")
                              % {"line": exc.lineno, "error": exc.msg}) from exc
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        data = data["data"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise PlacesFileError(_("Ce fichier JSON n'est pas une liste de lieux (un objet par lieu)."))
    found: list[str] = []
    for record in data:
        found.extend(k for k in record if k not in found)
    return found, [(i, {k: _cell(v) for k, v in record.items()}) for i, record in enumerate(data, start=1)]


# ---------------------------------------------------------------------------------------------- import


def import_places(*, path: Path | str, hub: str = "", dry_run: bool = False) -> ImportReport:
    """Import a places file: valid rows in, every rejected value reported; all or nothing (one transaction).

    Idempotent: a record is known by (hub, the standard's ``id``); an identical record changes nothing.
    A new record is attached to an existing place with the same SIRET, else the same normalised name +
    address + postcode, else it creates a place. ``dry_run`` computes the very same report, then rolls back.
    """
    path = Path(path)
    found, rows = read_places_file(path)
    hub = (hub or next((r.get("source", "") for _n, r in rows if r.get("source")), "") or path.stem).strip()[:100]
    report = ImportReport(hub=hub, rows=len(rows))
    unknown = [c for c in found if c not in columns()]
    if unknown:
        report.notes.append(_("Colonnes ignorées (hors du standard) : %(columns)s.") % {"columns": ", ".join(unknown)})
    known_communes = None
    if Commune.objects.exists():
        codes = {r.get("code_insee", "") for _n, r in rows} - {""}
        known_communes = Commune.objects.in_bulk(list(codes))
    seen_ids: dict[str, int] = {}
    with transaction.atomic():
        for number, raw in rows:
            values, problems = clean_row(number, raw, known_communes=known_communes)
            source_id = raw.get("id", "")
            if values is not None and source_id in seen_ids:
                problems.append(Problem(number, "id", _("identifiant en double dans le fichier (déjà ligne %(line)s)")
                                        % {"line": seen_ids[source_id]}, source_id, row_rejected=True))
                values = None
            report.problems.extend(problems)
            if values is None:
                report.rejected_rows += 1
                continue
            seen_ids[source_id] = number
            if not values["pivot"]:
                report.without_siret += 1
            outcome = _record_apply(hub=hub, source_id=source_id, values=values,
                                    raw={c: raw.get(c, "") for c in found})
            setattr(report, outcome, getattr(report, outcome) + 1)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _record_apply(*, hub: str, source_id: str, values: dict, raw: dict) -> str:
    """Apply one valid record; returns which counter of ``ImportReport`` it adds to."""
    record = PlaceSource.objects.filter(hub=hub, source_id=source_id).select_related("place").first()
    if record is not None:
        if record.raw == raw:
            return "unchanged"
        _merge(record.place, values, newer=True)
        record.raw, record.date_maj = raw, values["date_maj"]
        record.save()
        return "updated"
    place = None
    if values["pivot"]:
        place = Place.objects.filter(pivot=values["pivot"]).order_by("created_at").first()
    key = match_key(nom=values["nom"], adresse=values["adresse"], code_postal=values["code_postal"])
    if place is None:
        place = Place.objects.filter(match_key=key).order_by("created_at").first()
    if place is None:
        place = Place(match_key=key, **{k: v for k, v in values.items() if k not in NOT_PLACE_FIELDS})
        place.save()
        outcome = "created"
    else:
        _merge(place, values, newer=values["date_maj"] >= place.date_maj)
        outcome = "merged"
    PlaceSource.objects.create(place=place, hub=hub, source_id=source_id, date_maj=values["date_maj"], raw=raw)
    return outcome


def _merge(place: Place, values: dict, *, newer: bool) -> None:
    """Fill the place from a record: empty fields always; the others only from a newer record, and never
    over what a structure wrote on its own profile (a place linked to an ``Organisation``)."""
    is_profile = _is_profile(place)
    changed = False
    for name, value in values.items():
        if name in NOT_PLACE_FIELDS or value in (None, "", []):
            continue
        current = getattr(place, name)
        if current in (None, "", []) or (newer and not is_profile and current != value):
            if current != value:
                setattr(place, name, value)
                changed = True
    if values["date_maj"] > place.date_maj:
        place.date_maj = values["date_maj"]
        changed = True
    if changed:
        place.match_key = match_key(nom=place.nom, adresse=place.adresse, code_postal=place.code_postal)
        place.save()


def _is_profile(place: Place) -> bool:
    return Organisation.objects.filter(place=place).exists()


def format_report(report: ImportReport, *, dry_run: bool = False) -> list[str]:
    """The report as French lines: one per problem, then the counts."""
    lines = []
    for p in report.problems:
        what = _("ligne écartée") if p.row_rejected else _("valeur écartée")
        value = f"« {p.value} »" if p.value else _("(vide)")
        lines.append(_("ligne %(row)s · %(field)s · %(rule)s · %(value)s · %(what)s")
                     % {"row": p.row, "field": p.field, "rule": p.rule, "value": value, "what": what})
    lines.extend(report.notes)
    lines.append(_(
        "%(hub)s : %(rows)s lignes lues, %(imported)s importées (%(created)s lieux nouveaux, %(merged)s fusionnées "
        "avec un lieu connu, %(updated)s mises à jour, %(unchanged)s inchangées), %(rejected)s écartées ; "
        "%(values)s valeurs écartées ; %(nosiret)s lignes sans SIRET.") % {
        "hub": report.hub, "rows": report.rows, "imported": report.imported, "created": report.created,
        "merged": report.merged, "updated": report.updated, "unchanged": report.unchanged,
        "rejected": report.rejected_rows, "values": sum(not p.row_rejected for p in report.problems),
        "nosiret": report.without_siret})
    if dry_run:
        lines.append(_("Essai seulement (--dry-run) : rien n'a été enregistré. Relancez sans --dry-run pour importer."))
    return lines


# ---------------------------------------------------------------------------------------------- export


def place_row(place: Place) -> dict[str, str]:
    """One place as a row of the standard (every cell a string, multi-values joined with ``|``)."""
    hubs = sorted({s.hub for s in place.sources.all()})
    row = {}
    for name in columns():
        if name == "id":
            value = str(place.pk)
        elif name == "source":
            value = MULTI_SEPARATOR.join(hubs) if hubs else "Tremplin"
        elif name == "pivot":
            value = place.pivot or NO_SIRET
        elif name == "code_insee":
            value = place.code_insee or place.cog_commune_id or ""
        elif name in LIST_FIELDS:
            value = MULTI_SEPARATOR.join(getattr(place, name) or [])
        elif name in ("latitude", "longitude"):
            number = getattr(place, name)
            value = "" if number is None else repr(float(number))
        elif name == "date_maj":
            value = place.date_maj.isoformat()
        else:
            value = getattr(place, name) or ""
        row[name] = value
    return row


# Columns whose values the standard constrains to digits, codes, dates or its own vocabulary (checked on import
# and on the profile form): no formula can hide there, and a quote would break the schema (``+33…`` phones).
# Every other column is text typed by a person and goes through the product's safe writer.
CONSTRAINED_COLUMNS = {"id", "pivot", "code_postal", "code_insee", "telephone", "latitude", "longitude", "date_maj"}


def export_places(stream) -> int:
    """Write every place as a CSV in the standard (UTF-8, comma, header in the schema's order); returns the count.

    Free-text cells are neutralised against formula injection (``lib.spreadsheet.safe_cell``)."""
    from tremplin.lib.spreadsheet import safe_cell

    writer = csv.DictWriter(stream, fieldnames=columns(), lineterminator="\n")
    writer.writeheader()
    count = 0
    raw = CONSTRAINED_COLUMNS | set(LIST_FIELDS)
    for place in Place.objects.order_by("created_at", "pk").prefetch_related("sources").iterator(chunk_size=500):
        writer.writerow({k: v if k in raw else safe_cell(v) for k, v in place_row(place).items()})
        count += 1
    return count
