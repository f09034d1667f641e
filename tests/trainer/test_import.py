import io
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import page_text
from tests.factories import OrganisationFactory
from tremplin.accounts.models import User
from tremplin.audit.models import AuditEntry
from tremplin.organisations.imports import ImportFileError, parse_learner_file
from tremplin.organisations.models import Enrolment, LearnerImport

from .enrolment_helpers import learner_in, trainer_of

pytestmark = pytest.mark.django_db

TEN = "Prénom;Nom;Année de naissance;Téléphone;E-mail\n" + "\n".join(
    f"Personne{i};Martin;{1950 + i};06000000{i:02d};p{i}@exemple.fr" for i in range(10)) + "\n"


@pytest.fixture
def org_and_trainer(client):
    org, trainer = trainer_of()
    client.force_login(trainer)
    return org, trainer


def upload(client, content: bytes, name="liste.csv"):
    return client.post(reverse("trainer:import_upload"), {"file": SimpleUploadedFile(name, content)})


# --- The parser -----------------------------------------------------------------------------------------------


def test_a_utf8_file_with_bom_semicolons_and_empty_lines_is_read():
    data = ("\ufeffPrénom;Nom;Année de naissance\n\nSamia;Benali;1990\n;;\nKarim;;\n").encode()
    parsed = parse_learner_file(data, "a.csv")
    assert [r["first_name"] for r in parsed.rows] == ["Samia", "Karim"]
    assert parsed.rows[0]["birth_year"] == 1990 and parsed.rows[1]["line"] == 5
    assert parsed.errors == []


def test_a_latin1_file_with_commas_and_full_birth_dates_is_read():
    data = "prenom,nom,date de naissance\nHélène,Müller,12/03/1961\nLéa,Noël,2001-07-14\n".encode("cp1252")
    parsed = parse_learner_file(data, "a.csv")
    assert [(r["first_name"], r["last_name"], r["birth_year"]) for r in parsed.rows] == [
        ("Hélène", "Müller", 1961), ("Léa", "Noël", 2001)]


def test_row_errors_name_the_line_in_french():
    data = ("Prénom;Nom;Année de naissance;E-mail\n"
            "Samia;Benali;1990;\n"
            ";Sans;1980;\n"
            "Karim;Ali;19a5;\n"
            "Monique;Durand;1850;\n"
            "Luc;Petit;;pas-un-mail\n"
            "samia;BENALI;1990;\n").encode()
    parsed = parse_learner_file(data, "a.csv", this_year=2026)
    messages = {e["line"]: e["message"] for e in parsed.errors}
    assert messages[3] == "le prénom manque"
    assert "l'année de naissance « 19a5 » n'est pas valide" in messages[4]
    assert "« 1850 »" in messages[5]
    assert "l'adresse e-mail « pas-un-mail » n'est pas valide" in messages[6]
    assert messages[7] == "même personne qu'à la ligne 2 (doublon dans le fichier)"
    assert [r["first_name"] for r in parsed.rows] == ["Samia"]


def test_a_file_without_a_first_name_column_is_refused_as_a_whole():
    with pytest.raises(ImportFileError, match="Prénom"):
        parse_learner_file(b"nom;age\nBenali;30\n", "a.csv")
    with pytest.raises(ImportFileError, match="vide"):
        parse_learner_file(b"\n\n", "a.csv")


def test_an_xlsx_file_is_read():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Prénom", "Nom", "Année de naissance"])
    sheet.append(["Samia", "Benali", 1990])
    sheet.append([None, None, None])
    sheet.append(["Karim", None, "abc"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_learner_file(buffer.getvalue(), "liste.xlsx")
    assert parsed.rows[0]["first_name"] == "Samia" and parsed.rows[0]["birth_year"] == 1990
    assert parsed.errors[0]["line"] == 4


def test_a_damaged_xlsx_file_gets_a_clear_message(client, org_and_trainer):
    response = upload(client, b"PK\x03\x04 not really a zip", "liste.xlsx")
    assert response.status_code == 400
    assert "Le fichier Excel ne peut pas être ouvert" in page_text(response)


# --- Preview and confirm -------------------------------------------------------------------------------------


def test_a_csv_of_ten_learners_is_previewed_then_created_on_confirmation(client, org_and_trainer):
    org, trainer = org_and_trainer
    response = upload(client, TEN.encode())
    assert response.status_code == 302
    preview = client.get(response["Location"])
    text = page_text(preview)
    assert "10 personnes prêtes à inscrire, aucune erreur." in text and "Personne3" in text
    assert not User.objects.filter(first_name__startswith="Personne").exists()
    done = client.post(response["Location"])
    assert done.status_code == 302 and done["Location"] == reverse("trainer:cards")
    assert Enrolment.objects.filter(organisation=org, learner__first_name__startswith="Personne").count() == 10
    assert Enrolment.objects.get(learner__first_name="Personne4").contact_email == "p4@exemple.fr"
    assert AuditEntry.objects.get(action="learners.import").detail["count"] == 10
    # Confirming twice creates nothing more.
    client.post(response["Location"])
    assert User.objects.filter(first_name__startswith="Personne").count() == 10


def test_a_file_with_errors_shows_them_and_creates_nobody_even_if_confirmed(client, org_and_trainer):
    response = upload(client, (TEN + "Zoé;;3000\n").encode())
    text = page_text(client.get(response["Location"]))
    assert "Rien ne sera inscrit tant que le fichier a des erreurs." in text
    assert "Ligne 12 : l'année de naissance « 3000 » n'est pas valide" in text
    client.post(response["Location"])
    assert not User.objects.filter(first_name__startswith="Personne").exists()


def test_people_already_enrolled_are_reported_as_duplicates(client, org_and_trainer):
    org, _ = org_and_trainer
    existing = learner_in(org, first_name="Personne2", last_name="Martin", birth_year=1952)
    response = upload(client, TEN.encode())
    text = page_text(client.get(response["Location"]))
    assert f"Ligne 4 : Personne2 Martin existe déjà dans votre structure (code {existing.login_code_display})" in text


def test_rows_are_kept_on_the_server_and_not_taken_from_the_confirmation_form(client, org_and_trainer):
    response = upload(client, TEN.encode())
    client.post(response["Location"], {"rows": '[{"first_name": "Pirate"}]', "first_name": "Pirate"})
    assert not User.objects.filter(first_name="Pirate").exists()
    assert User.objects.filter(first_name__startswith="Personne").count() == 10


def test_an_import_of_another_organisation_or_trainer_is_not_found(client, org_and_trainer):
    other_org, other_trainer = trainer_of(OrganisationFactory())
    imp = LearnerImport.objects.create(organisation=other_org, created_by=other_trainer, rows=[{"first_name": "X"}])
    assert client.get(reverse("trainer:import_preview", args=[imp.pk])).status_code == 404
    assert client.post(reverse("trainer:import_preview", args=[imp.pk])).status_code == 404
    assert LearnerImport.objects.get(pk=imp.pk).status == LearnerImport.Status.PENDING


def test_ten_thousand_rows_are_previewed_and_imported_quickly(client, org_and_trainer):
    org, _ = org_and_trainer
    lines = ["Prénom,Nom,Année de naissance"] + [f"P{i},Nom{i},{1940 + i % 60}" for i in range(10_000)]
    started = time.monotonic()
    response = upload(client, "\n".join(lines).encode("cp1252"))
    preview = client.get(response["Location"])
    # The number may be written with a (narrow) no-break space between thousands.
    assert re.search(r"liste\.csv : 10[\u202f\u00a0 ]?000 personnes prêtes à inscrire, aucune erreur\.",
                     page_text(preview))
    assert len(preview.context["rows"]) == 20
    client.post(response["Location"])
    elapsed = time.monotonic() - started
    assert Enrolment.objects.filter(organisation=org).count() == 10_000
    assert elapsed < 60, elapsed
