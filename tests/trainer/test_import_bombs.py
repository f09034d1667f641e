"""Spreadsheet bombs sent to the learner import are refused in French, without reading them whole (issue 10).

House rule: no wall-clock assertions. Each test proves instead that the code stops reading: cells handed
over by openpyxl are counted, openpyxl is never opened on a refused file, bytes stored are counted.
"""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.urls import reverse

from tremplin.organisations import imports
from tremplin.organisations.models import LearnerImport

from ..conftest import page_text

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xlsx(sheet_rows: str, *, dimension: str = "A1:A2", shared_strings: bytes | None = None) -> bytes:
    """The smallest .xlsx Excel and openpyxl open: one sheet, maybe a shared-strings part."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+'
            'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/>'
            + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
               'officedocument.spreadsheetml.sharedStrings+xml"/>' if shared_strings is not None else "")
            + "</Types>"))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'))
        z.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            '<sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        strings_rel = (f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
                       if shared_strings is not None else "")
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'{strings_rel}</Relationships>'))
        z.writestr("xl/worksheets/sheet1.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/>'
            f'<sheetData>{sheet_rows}</sheetData></worksheet>'))
        if shared_strings is not None:
            z.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


TWO_LINES = f'<row r="1">{text_cell("A1", "Prénom")}</row><row r="2">{text_cell("A2", "Ana")}</row>'


def upload(client, data: bytes, name: str = "liste.xlsx"):
    content_type = XLSX_TYPE if name.endswith(".xlsx") else "text/csv"
    return client.post(reverse("trainer:import_upload"),
                       {"file": SimpleUploadedFile(name, data, content_type=content_type)})


@pytest.fixture
def cells_read(monkeypatch):
    """How many cells openpyxl handed over; past a million the code is reading a bomb: stop the test."""
    read = {"count": 0}
    real = imports._cell_text

    def counting(value):
        read["count"] += 1
        if read["count"] > 1_000_000:
            raise AssertionError("still reading cells past a million: the declared dimension was trusted")
        return real(value)

    monkeypatch.setattr(imports, "_cell_text", counting)
    return read


@pytest.fixture
def openpyxl_opened(monkeypatch):
    opened = []
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        opened.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    return opened


def test_a_tiny_xlsx_declaring_a1_xfd2000_is_read_as_the_two_lines_it_really_has(trainer_client, cells_read):
    bomb = xlsx(TWO_LINES, dimension="A1:XFD2000")
    assert len(bomb) < 2000  # 1.5 KB that used to take 26 s and 330 MB
    response = upload(trainer_client, bomb)
    assert response.status_code == 302
    assert LearnerImport.objects.get().rows[0]["first_name"] == "Ana"
    assert cells_read["count"] <= 2 * imports.MAX_COLUMNS


def test_cells_far_to_the_right_are_not_padded_out_to_column_xfd(trainer_client, cells_read):
    rows = TWO_LINES + "".join(f'<row r="{n}">{text_cell(f"XFD{n}", "x")}</row>' for n in range(3, 2001))
    response = upload(trainer_client, xlsx(rows, dimension="A1:XFD2000"))
    assert response.status_code == 302
    assert cells_read["count"] <= 2000 * imports.MAX_COLUMNS  # 30 columns read per line, not 16 384


def test_a_row_numbered_a_million_stops_reading_at_the_row_cap(trainer_client, cells_read):
    rows = TWO_LINES + f'<row r="1048576">{text_cell("A1048576", "Zoé")}</row>'
    response = upload(trainer_client, xlsx(rows))
    assert response.status_code == 400
    assert "trop de lignes" in page_text(response)
    assert cells_read["count"] <= (imports.MAX_ROWS + 2) * imports.MAX_COLUMNS


def test_a_shared_strings_bomb_is_refused_in_french_before_openpyxl_opens_it(trainer_client, openpyxl_opened):
    strings = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()
               + b"<si><t>A</t></si>" * 3_000_000 + b"</sst>")  # 51 MB once unzipped
    bomb = xlsx(TWO_LINES, shared_strings=strings)
    assert len(bomb) < 1024 * 1024
    response = upload(trainer_client, bomb)
    assert response.status_code == 400
    assert "Ce fichier Excel est trop gros une fois ouvert" in page_text(response)
    assert openpyxl_opened == [] and not LearnerImport.objects.exists()


def test_too_many_small_shared_strings_are_counted_and_refused_before_openpyxl_opens_them(
        trainer_client, openpyxl_opened):
    strings = (f'<?xml version="1.0" encoding="UTF-8"?><x:sst xmlns:x="{MAIN}">'.encode()
               + b"<x:si><x:t/></x:si>" * (imports.MAX_CELLS + 1) + b"</x:sst>")  # within the size cap
    assert len(strings) < imports.MAX_XLSX_UNCOMPRESSED
    response = upload(trainer_client, xlsx(TWO_LINES, shared_strings=strings))
    assert response.status_code == 400
    assert "Ce fichier Excel est trop gros une fois ouvert" in page_text(response)
    assert openpyxl_opened == []


def test_a_50_mb_upload_is_refused_in_french_and_never_stored_whole(trainer_client, monkeypatch):
    stored = {"bytes": 0}
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        real = handler.receive_data_chunk

        def counting(self, raw_data, start, real=real):
            if getattr(self, "activated", True):  # the memory handler passes data on when it does not keep it
                stored["bytes"] += len(raw_data)
            return real(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", counting)
    big = b"Pr\xc3\xa9nom\n" + b"Ana\n" * (50 * 1024 * 1024 // 4)
    response = upload(trainer_client, big, name="liste.csv")
    assert response.status_code == 400
    assert "Ce fichier est trop gros (50,0 Mo) : 5 Mo au plus." in page_text(response)
    assert stored["bytes"] <= imports.MAX_BYTES
    assert not LearnerImport.objects.exists()


def test_a_request_body_too_large_to_read_gets_a_french_page(trainer_client):
    response = trainer_client.post(reverse("trainer:import_upload"), {"note": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 400
    assert "Nous n'avons pas pu lire ce que vous avez envoyé" in page_text(response)


def test_the_import_screen_states_the_caps(trainer_client):
    text = page_text(trainer_client.get(reverse("trainer:import_upload")))
    assert "Limites : 5 Mo et 20\u00a0000 personnes par fichier ; seules les 30 premières colonnes sont lues." in text


def test_shared_strings_are_counted_exactly_across_read_chunks():
    def strings(count: int) -> bytes:
        return (f'<?xml version="1.0" encoding="UTF-8"?><x:sst xmlns:x="{MAIN}">'.encode()
                + b"<x:si><x:t/></x:si>" * count + b"</x:sst>")  # 3.9 MB: read in several chunks

    # The guard that runs before openpyxl opens the file (opening 300,000 shared strings would only time openpyxl).
    imports._check_xlsx_parts(xlsx(TWO_LINES, shared_strings=strings(imports.MAX_CELLS)))
    with pytest.raises(imports.ImportFileError, match="trop gros une fois ouvert"):
        imports.parse_learner_file(xlsx(TWO_LINES, shared_strings=strings(imports.MAX_CELLS + 1)), "l.xlsx")
