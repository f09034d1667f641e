"""WeasyPrint reads nothing but our static files and data: URIs; our PDFs are tagged (PDF/UA-1)."""

import io
import logging

import pytest
from pypdf import PdfReader

from tests.pdf import pdf_text
from tremplin.lib.pdf import html_to_pdf, static_only_fetcher

BASE = "http://testserver/"
LEARNER_CSS = "http://testserver/static/css/learner.css"

HOSTILE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Piège</title>
<link rel="stylesheet" href="http://example.invalid/x.css">
<link rel="attachment" href="file:///etc/passwd">
</head><body>
<h1>Attestation</h1>
<img src="file:///etc/passwd" alt="">
<img src="http://127.0.0.1:5432/" alt="">
<img src="http://testserver/espace-formateur/apprenants/export.csv" alt="">
<img src="http://testserver/static/..%2F..%2Fconfig%2Fsettings%2Fbase.py" alt="">
<p><a rel="attachment" href="file:///etc/passwd">pièce jointe</a></p>
</body></html>"""

REFUSED = {
    "http://example.invalid/x.css",
    "file:///etc/passwd",
    "http://127.0.0.1:5432/",
    "http://testserver/espace-formateur/apprenants/export.csv",
    "http://testserver/static/..%2F..%2Fconfig%2Fsettings%2Fbase.py",
}


def styled(href: str) -> str:
    # learner.css hides the page's buttons in print (@media print{.actions{display:none}}).
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>CV</title>
<link rel="stylesheet" href="{href}"></head>
<body><h1>Mon CV</h1><div class="actions">BOUTON-DE-LA-PAGE</div></body></html>"""


def test_local_files_and_other_hosts_are_asked_for_and_refused():
    fetcher = static_only_fetcher(base_url=BASE)
    data = html_to_pdf(HOSTILE, base_url=BASE, url_fetcher=fetcher)
    assert set(fetcher.refused) == REFUSED
    assert fetcher.served == []
    text = pdf_text(data)
    assert "Attestation" in text and "root:" not in text
    assert PdfReader(io.BytesIO(data)).attachments == {}  # /etc/passwd is not attached to the PDF either
    assert b"root:" not in data


def test_every_pdf_gets_the_static_only_fetcher_by_default(caplog):
    with caplog.at_level(logging.WARNING, logger="tremplin.lib.pdf"):
        data = html_to_pdf(HOSTILE, base_url=BASE)
    refused = " ".join(r.getMessage() for r in caplog.records if r.name == "tremplin.lib.pdf")
    assert "file:///etc/passwd" in refused and "http://example.invalid/x.css" in refused
    assert PdfReader(io.BytesIO(data)).attachments == {}


def test_our_own_stylesheet_is_served_from_the_static_files_and_applied():
    fetcher = static_only_fetcher(base_url=BASE)
    text = pdf_text(html_to_pdf(styled("/static/css/learner.css"), base_url=BASE, url_fetcher=fetcher))
    assert fetcher.served == [LEARNER_CSS] and fetcher.refused == []
    assert "Mon CV" in text and "BOUTON-DE-LA-PAGE" not in text  # the print rule of learner.css applied


def test_the_same_stylesheet_on_another_host_is_not_fetched():
    fetcher = static_only_fetcher(base_url=BASE)
    text = pdf_text(html_to_pdf(styled("http://example.invalid/static/css/learner.css"), base_url=BASE,
                                url_fetcher=fetcher))
    assert fetcher.refused == ["http://example.invalid/static/css/learner.css"] and fetcher.served == []
    assert "BOUTON-DE-LA-PAGE" in text  # so the page prints unstyled, rather than read from elsewhere


def test_a_missing_static_file_is_refused_without_error():
    fetcher = static_only_fetcher(base_url=BASE)
    html_to_pdf(styled("/static/css/nope.css"), base_url=BASE, url_fetcher=fetcher)
    assert fetcher.refused == ["http://testserver/static/css/nope.css"]


def test_data_uris_are_still_drawn():
    pixel = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
             "hKmMIQAAAABJRU5ErkJggg==")
    fetcher = static_only_fetcher(base_url=BASE)
    data = html_to_pdf(f'<html lang="fr"><body><img src="{pixel}" alt="point"></body></html>', base_url=BASE,
                       url_fetcher=fetcher)
    assert fetcher.refused == []
    assert len(PdfReader(io.BytesIO(data)).pages[0].images) == 1


@pytest.mark.django_db
def test_our_pdfs_are_tagged_with_their_title_and_language(real_content):
    from tremplin.catalog.documents import handout_pdf
    from tremplin.catalog.models import Module

    module = Module.objects.filter(is_active=True).order_by("pk").first()
    reader = PdfReader(io.BytesIO(handout_pdf(module=module, module_url="https://tremplin.test/m/")))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "fr"
    assert reader.metadata.title == module.title
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
