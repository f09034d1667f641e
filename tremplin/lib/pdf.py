"""HTML templates to PDF with WeasyPrint (login cards, attestations, handouts, CV).

WeasyPrint fetches what a page points at (images, stylesheets, fonts). Ours never needs more than our own static
files and ``data:`` URIs, so every PDF goes through ``StaticOnlyFetcher``: anything else (``file://``, another host,
another port) is refused and WeasyPrint leaves that resource out. PDFs are tagged (PDF/UA-1): title and language
from the template's ``<title>`` and ``<html lang>``.
"""

from __future__ import annotations

import hashlib
import logging
import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django_tasks import task

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"  # tagged PDF: structure for screen readers, title shown, language set


class PdfUnavailable(RuntimeError):
    pass


class ResourceRefused(ValueError):
    """A PDF asked for something other than our static files or a data: URI; WeasyPrint skips it."""


def _weasyprint():
    try:
        import weasyprint
    except OSError as exc:  # Pango missing on the system
        raise PdfUnavailable("WeasyPrint needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0") from exc
    return weasyprint


def _static_bytes(name: str) -> bytes | None:
    """A static file's content, from the collected storage (hashed names in production) or the finders."""
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage

    try:
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as f:
                return f.read()
    except Exception:  # noqa: BLE001 - not collected, or a storage that cannot say: try the finders
        pass
    found = finders.find(name)
    if isinstance(found, list):
        found = found[0] if found else None
    if not found:
        return None
    with open(found, "rb") as f:
        return f.read()


def static_only_fetcher(*, base_url: str | None = None):
    """A WeasyPrint fetcher serving our static files and data: URIs, and refusing everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self):
            # No network at all: data: goes through urllib's DataHandler, static files are read from disk.
            super().__init__(allowed_protocols={"data", "http", "https"}, allow_redirects=False, timeout=5)
            self.hosts = {urlsplit(u).netloc.lower() for u in (base_url, settings.SITE_URL) if u}
            self.served: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme in {"http", "https"} and parts.netloc.lower() in self.hosts:
                path = unquote(parts.path)
                if path.startswith(settings.STATIC_URL):
                    name = posixpath.normpath(path.removeprefix(settings.STATIC_URL))
                    if not name.startswith(("..", "/")) and (content := _static_bytes(name)) is not None:
                        self.served.append(url)
                        return URLFetcherResponse(url, content, {"Content-Type": _content_type(name)})
            self.refused.append(url)
            logger.warning("PDF: resource refused (only our static files are fetched): %.200s", url)
            raise ResourceRefused(f"not one of our static files: {url[:200]}")

    return StaticOnlyFetcher()


def _content_type(name: str) -> str:
    import mimetypes

    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def html_document(html: str, *, base_url: str | None = None, url_fetcher=None):
    """A WeasyPrint ``HTML`` for this markup, fetching only our static files (``url_fetcher`` for tests)."""
    weasyprint = _weasyprint()
    base_url = base_url or settings.SITE_URL
    fetcher = url_fetcher or static_only_fetcher(base_url=base_url)
    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)


def write_pdf(document) -> bytes:
    """Bytes of a WeasyPrint ``HTML`` or rendered ``Document``, tagged for accessibility."""
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def html_to_pdf(html: str, *, base_url: str | None = None, url_fetcher=None) -> bytes:
    return write_pdf(html_document(html, base_url=base_url, url_fetcher=url_fetcher))


# Documents the same for every reader (the paper diagnostic, a module's guide and handout, a territory's report):
# made once a day at most for the same HTML (WeasyPrint takes tenths of a second to seconds of CPU a document).
DOCUMENT_CACHE_SECONDS = 24 * 3600
# How long a document asked of the worker counts as « on its way » (another request does not ask again); past it, a
# worker that died before making it is asked again.
DOCUMENT_ASKED_SECONDS = 120


def documents():
    """Where made documents are kept: the ``documents`` cache, which the web servers and the worker share (Redis in
    production, files under ``var/`` on one machine). Only documents without personal data go there."""
    from django.core.cache import caches

    return caches["documents"]


def _ticket(html: str, base_url: str | None) -> str:
    """What names a made document: the hash of its HTML (and base URL), which tells nothing of its content."""
    return hashlib.sha256(f"{base_url}\n{html}".encode()).hexdigest()


def _key(ticket: str) -> str:
    return "pdf:" + ticket


def render_pdf(template: str, context: dict, request=None, *, cache_seconds: int = 0) -> bytes:
    """The template as a PDF. With ``cache_seconds``, the PDF of the same HTML is made once and kept in the shared
    ``documents`` cache (keyed by a hash of the HTML, so any change of figure or wording makes a new one). Only for
    documents without personal data."""
    html = render_to_string(template, context, request=request)
    base_url = str(request.build_absolute_uri("/")) if request else None
    if not cache_seconds:
        return html_to_pdf(html, base_url=base_url)
    key = _key(_ticket(html, base_url))
    found = documents().get(key)
    if found is None:
        found = html_to_pdf(html, base_url=base_url)
        documents().set(key, found, cache_seconds)
    return found


@dataclass(frozen=True)
class Prepared:
    """A document asked of the worker: its bytes once made (``pdf``), and the ticket to ask whether it is ready
    (``pdf_ready``): the hash of its HTML, which tells nothing of its content."""

    ticket: str
    pdf: bytes | None


def pdf_prepared(template: str, context: dict) -> Prepared:
    """The template as a PDF, made by the background worker, never in the request: the PDF if it was made already
    (by this request's twin or an earlier one), else ``pdf=None`` after asking the worker once (a double click, or
    the page asking again while it waits, does not queue a second rendering). Only for documents without personal
    data, the same for everyone who may read them (base URL: ``SITE_URL``). On an immediate task backend (tests)
    the worker's part runs inside ``enqueue`` and the PDF comes back at once."""
    html = render_to_string(template, context)
    ticket = _ticket(html, None)
    key, store = _key(ticket), documents()
    found = store.get(key)
    if found is None and store.add(key + ":asked", 1, DOCUMENT_ASKED_SECONDS):
        backend = getattr(settings, "DOCUMENTS_TASK_BACKEND", "default")
        pdf_make.using(backend=backend).enqueue(key, html, DOCUMENT_CACHE_SECONDS)
        found = store.get(key)
    return Prepared(ticket, found)


def pdf_ready(ticket: str) -> bool | None:
    """Whether the document of ``ticket`` (``Prepared.ticket``) is made (True), on its way (False) or was never
    asked (None)."""
    key, store = _key(ticket), documents()
    if store.has_key(key):
        return True
    return False if store.has_key(key + ":asked") else None


@task(queue_name="documents")  # its own worker (Procfile): never queued behind a statistics rollup
def pdf_make(key: str, html: str, seconds: int) -> int:
    """The worker's part of ``pdf_prepared``: draw the HTML, keep the PDF ``seconds`` under ``key``."""
    data = html_to_pdf(html)
    documents().set(key, data, seconds)
    documents().delete(key + ":asked")
    return len(data)


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
