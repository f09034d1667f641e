"""Places in the national standard: import with a report, export valid against the schema, idempotent (issue 12)."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tremplin.organisations.models import Place, PlaceSource
from tremplin.organisations.places import (
    PlacesFileError,
    columns,
    export_places,
    import_places,
    siret_problem,
    vocabulary,
)

from ..factories import CommuneFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lieux"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "lieux"
HUB_FILES = ["angers.csv", "corse.csv", "epernay.csv", "gironde.csv", "la-creuse.csv", "ultra-num.csv"]
# Rows per file, and rows whose services hold values of the pre-1.0 standard (../shared/data/README.md).
ROWS = {"angers.csv": 63, "corse.csv": 156, "epernay.csv": 36, "gironde.csv": 344, "la-creuse.csv": 89,
        "ultra-num.csv": 155}
ROWS_WITH_BAD_SERVICES = {"ultra-num.csv": 34}
HEADER = ",".join(columns())


def hub_file(name: str) -> Path:
    if name == "epernay.csv":
        return FIXTURES / name  # always there, even without ../shared
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} absent (the shared data folder is beside the repository on developers' machines and CI)")
    return path


def frictionless_errors(csv_text: str, tmp_path) -> list:
    """Validate with frictionless (dev dependency) against the schema copied in tests/fixtures."""
    from frictionless import Resource, Schema, system

    path = tmp_path / "export.csv"
    path.write_text(csv_text, encoding="utf-8")
    schema = Schema.from_descriptor(json.loads((FIXTURES / "schema.json").read_text(encoding="utf-8")))
    with system.use_context(trusted=True):
        report = Resource(path=str(path), schema=schema).validate()
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


def exported() -> str:
    out = io.StringIO()
    export_places(out)
    return out.getvalue()


def write(tmp_path, text: str, name: str = "lieux.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def row(**values) -> str:
    base = {"id": "Test_1", "pivot": "00000000000000", "nom": "Médiathèque Toussaint", "commune": "Angers",
            "code_postal": "49000", "code_insee": "49007", "adresse": "49 rue Toussaint", "latitude": "47.4698",
            "longitude": "-0.5548", "date_maj": "2024-01-15", "services": "Aide aux démarches administratives",
            "telephone": "+33241242500", "horaires": "Tu-Sa 10:00-18:00"}
    base.update(values)
    return ",".join(f'"{base.get(c, "")}"' for c in columns())


@pytest.mark.parametrize("name", HUB_FILES)
def test_each_hub_file_imports_with_a_report_exports_valid_and_a_second_import_changes_nothing(name, tmp_path):
    path = hub_file(name)
    report = import_places(path=path)
    assert report.rows == ROWS[name]
    bad_services = {p.row for p in report.problems if p.field == "services"}
    assert len(bad_services) == ROWS_WITH_BAD_SERVICES.get(name, 0)
    assert report.rejected_rows == 0 and report.imported == ROWS[name]
    assert PlaceSource.objects.count() == ROWS[name]
    places = Place.objects.count()
    assert places == report.created

    text = exported()
    assert text.splitlines()[0] == HEADER
    assert len(text.splitlines()) == places + 1
    assert frictionless_errors(text, tmp_path) == []

    before = list(Place.objects.order_by("pk").values())
    again = import_places(path=path)
    assert (again.created, again.merged, again.updated, again.unchanged) == (0, 0, 0, ROWS[name])
    assert list(Place.objects.order_by("pk").values()) == before
    assert PlaceSource.objects.count() == ROWS[name]


def test_a_file_with_rejected_values_imports_nothing_until_the_person_agrees():
    out = io.StringIO()
    call_command("import_places", str(hub_file("ultra-num.csv")), stdout=out)  # no terminal to answer, no --yes
    assert "relancez avec --yes" in out.getvalue() and " · services · " in out.getvalue()
    assert Place.objects.count() == 0


def test_the_34_ultra_num_rows_with_old_service_labels_are_reported_by_row_field_rule_and_value():
    out = io.StringIO()
    call_command("import_places", str(hub_file("ultra-num.csv")), "--yes", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if " · services · " in line]
    assert len({line.split(" · ")[0] for line in lines}) == 34
    assert "ligne 2 · services · valeur inconnue du standard · « Accéder à une connexion internet » · valeur écartée" \
        in lines
    # the place itself is kept, with the services the standard knows
    assert Place.objects.count() == 155
    assert all(set(p.services) <= set(vocabulary("services")) for p in Place.objects.all())


def test_a_dry_run_reports_the_same_and_writes_nothing():
    out = io.StringIO()
    call_command("import_places", str(FIXTURES / "epernay.csv"), "--dry-run", stdout=out)
    assert "36 lignes lues, 36 importées (36 lieux nouveaux" in out.getvalue()
    assert "rien n'a été enregistré" in out.getvalue()
    assert Place.objects.count() == 0 and PlaceSource.objects.count() == 0


def test_bad_values_are_reported_by_row_and_field_and_the_rest_of_the_row_is_kept(tmp_path):
    text = "\n".join([
        HEADER,
        row(id="A", pivot="12345678901234"),  # bad SIRET check digit
        row(id="B", nom="Mairie", adresse="1 place de la Mairie", latitude="0", longitude="0"),  # outside France
        row(id="C", nom="CCAS", adresse="2 rue Haute", services="Aide aux démarches administratives|Coiffure"),
        row(id="A", nom="Autre lieu", adresse="3 rue Basse"),  # duplicate id inside the file
        row(id="D", nom="", adresse="4 rue Basse"),  # a place without a name cannot exist
        row(id="E", nom="Bus numérique", adresse="Place du marché", code_postal="4900", date_maj="15/01/2024"),
    ])
    report = import_places(path=write(tmp_path, text))
    found = {(p.row, p.field, p.rule, p.value, p.row_rejected) for p in report.problems}
    assert (2, "pivot", "SIRET invalide (clé de contrôle)", "12345678901234", False) in found
    assert (3, "latitude", "coordonnées hors de France", "0.0, 0.0", False) in found
    assert (4, "services", "valeur inconnue du standard", "Coiffure", False) in found
    assert (5, "id", "identifiant en double dans le fichier (déjà ligne 2)", "A", True) in found
    assert (6, "nom", "valeur obligatoire manquante", "", True) in found
    assert (7, "code_postal", "format non conforme au standard", "4900", True) in found
    assert (7, "date_maj", "date attendue (AAAA-MM-JJ)", "15/01/2024", True) in found
    assert report.rejected_rows == 3 and report.created == 3
    assert Place.objects.get(nom="Médiathèque Toussaint").pivot == ""
    assert Place.objects.get(nom="Mairie").latitude is None
    assert Place.objects.get(nom="CCAS").services == ["Aide aux démarches administratives"]


def test_a_file_in_another_encoding_is_refused_in_french_and_names_the_encoding(tmp_path):
    path = write(tmp_path, HEADER + "\n" + row(nom="Médiathèque"), encoding="cp1252")
    with pytest.raises(CommandError, match="n'est pas encodé en UTF-8"):
        call_command("import_places", str(path), stdout=io.StringIO())
    assert Place.objects.count() == 0


def test_a_missing_mandatory_column_is_named_and_nothing_is_imported(tmp_path):
    header = [c for c in columns() if c not in ("pivot", "date_maj")]
    path = write(tmp_path, ",".join(header) + "\n" + ",".join("x" for _ in header))
    with pytest.raises(PlacesFileError, match="Colonne obligatoire absente : pivot, date_maj"):
        import_places(path=path)
    assert Place.objects.count() == 0


def test_the_same_place_from_two_hubs_merges_into_one_place_keeping_each_source(tmp_path):
    first = write(tmp_path, HEADER + "\n" + row(id="Angers_1", source="Angers", telephone=""), "a.csv")
    second = write(tmp_path, HEADER + "\n" + row(id="42", source="Pays de la Loire", nom="MEDIATHEQUE TOUSSAINT",
                                                  adresse="49, rue Toussaint", date_maj="2025-03-01"), "b.csv")
    import_places(path=first)
    report = import_places(path=second)
    assert report.merged == 1 and report.created == 0
    place = Place.objects.get()
    assert sorted(place.sources.values_list("hub", "source_id")) == [("Angers", "Angers_1"),
                                                                    ("Pays de la Loire", "42")]
    assert place.telephone == "+33241242500"  # filled from the second record
    [exported_row] = csv.DictReader(io.StringIO(exported()))
    assert exported_row["source"] == "Angers|Pays de la Loire"


def test_a_record_with_the_same_siret_joins_the_place_even_under_another_name(tmp_path):
    siret = "44306184100047"
    assert siret_problem(siret) is None
    assert siret_problem("35600000000047") is None  # La Poste's: the sum of its digits is a multiple of 5
    import_places(path=write(tmp_path, HEADER + "\n" + row(id="1", pivot=siret), "a.csv"))
    import_places(path=write(tmp_path, HEADER + "\n" + row(id="2", pivot=siret, nom="Bureau de poste"), "b.csv"),
                  hub="Autre")
    assert Place.objects.count() == 1 and PlaceSource.objects.count() == 2


def test_a_changed_record_updates_its_place_but_never_overwrites_a_structure_s_own_profile(tmp_path):
    path = write(tmp_path, HEADER + "\n" + row(horaires="Mo 10:00-12:00"))
    import_places(path=path)
    path.write_text(HEADER + "\n" + row(horaires="Mo-Fr 09:00-17:00", date_maj="2025-01-01"), encoding="utf-8")
    assert import_places(path=path).updated == 1
    place = Place.objects.get()
    assert place.horaires == "Mo-Fr 09:00-17:00"
    OrganisationFactory(commune=CommuneFactory(), place=place)
    path.write_text(HEADER + "\n" + row(horaires="Sa 09:00-12:00", date_maj="2025-06-01"), encoding="utf-8")
    import_places(path=path)
    place.refresh_from_db()
    assert place.horaires == "Mo-Fr 09:00-17:00"


def test_a_json_file_in_the_standard_imports_too(tmp_path):
    record = {c: "" for c in columns()} | {"id": "J1", "pivot": "00000000000000", "nom": "EPN", "commune": "Angers",
                                          "code_postal": "49000", "adresse": "1 rue A", "date_maj": "2024-02-02",
                                          "latitude": 47.47, "longitude": -0.55,
                                          "services": ["Aide aux démarches administratives"]}
    report = import_places(path=write(tmp_path, json.dumps([record]), "lieux.json"))
    assert report.created == 1 and not report.problems
    assert Place.objects.get().services == ["Aide aux démarches administratives"]


def test_code_insee_links_the_place_to_the_commune_and_an_unknown_one_is_reported(tmp_path):
    angers = CommuneFactory()
    text = HEADER + "\n" + row() + "\n" + row(id="2", nom="Autre", code_insee="49999")
    report = import_places(path=write(tmp_path, text))
    assert Place.objects.get(nom="Médiathèque Toussaint").cog_commune == angers
    assert [(p.row, p.field) for p in report.problems] == [(3, "code_insee")]


def test_the_vocabulary_read_from_the_schema_is_the_standard_s():
    assert len(vocabulary("services")) == 9
    assert "Acquisition de matériel informatique à prix solidaire" in vocabulary("services")
    assert "Langues étrangères (anglais)" in vocabulary("prise_en_charge_specifique")
    assert vocabulary("frais_a_charge") == ("Gratuit", "Gratuit sous condition", "Payant")
    assert len(columns()) == 32


def test_export_places_writes_a_file_when_given_a_path(tmp_path):
    import_places(path=FIXTURES / "epernay.csv")
    target = tmp_path / "lieux.csv"
    err = io.StringIO()
    call_command("export_places", str(target), stderr=err)
    assert "36 lieux exportés" in err.getvalue()
    assert frictionless_errors(target.read_text(encoding="utf-8"), tmp_path) == []
    assert len(target.read_text(encoding="utf-8").splitlines()) == 37


def test_the_export_neutralises_formulas_in_text_and_stays_valid_against_the_schema(tmp_path):
    import csv
    import io

    path = write(tmp_path, HEADER + "\n" + row(nom="=HYPERLINK(1) Espace",
                                                adresse="+1+1 rue du Piège") + "\n")
    import_places(path=path)
    text = exported()
    cells = next(r for r in csv.DictReader(io.StringIO(text)))
    assert cells["nom"].startswith("'=") and cells["adresse"].startswith("'+")
    assert cells["telephone"] == "+33241242500" and cells["longitude"].startswith("-")  # constrained: unchanged
    assert frictionless_errors(text, tmp_path) == []
