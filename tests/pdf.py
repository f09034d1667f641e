"""Read PDFs in tests: their text, their pages and the QR codes printed on them.

A test that only checks ``%PDF`` proves that some PDF came out, not that it says the right thing: read it.
"""

from __future__ import annotations

import io
import re


def pdf_bytes(response_or_bytes) -> bytes:
    """The PDF's bytes from a Django test response, a Playwright response, or bytes."""
    if isinstance(response_or_bytes, bytes | bytearray):
        data = bytes(response_or_bytes)
    elif callable(getattr(response_or_bytes, "body", None)):  # Playwright APIResponse / Response
        data = response_or_bytes.body()
    else:  # Django HttpResponse or FileResponse
        data = (response_or_bytes.content if not getattr(response_or_bytes, "streaming", False)
                else b"".join(response_or_bytes.streaming_content))
    assert data.startswith(b"%PDF"), f"not a PDF: {data[:60]!r}"
    return data


def _reader(response_or_bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(pdf_bytes(response_or_bytes)))


def pdf_pages(response_or_bytes) -> list[str]:
    """The text of each page, whitespace collapsed (so a phrase split across lines still matches)."""
    return [re.sub(r"\s+", " ", page.extract_text() or "").strip() for page in _reader(response_or_bytes).pages]


def pdf_page_count(response_or_bytes) -> int:
    return len(_reader(response_or_bytes).pages)


def pdf_page_sizes_mm(response_or_bytes) -> list[tuple[int, int]]:
    """Width and height of each page in millimetres, rounded (A4 portrait is (210, 297))."""
    return [(round(float(page.mediabox.width) * 25.4 / 72), round(float(page.mediabox.height) * 25.4 / 72))
            for page in _reader(response_or_bytes).pages]


def pdf_text(response_or_bytes) -> str:
    """All the text of the PDF, whitespace collapsed to single spaces."""
    return " ".join(pdf_pages(response_or_bytes))


def squash(text: str) -> str:
    """Text without whitespace nor list bullets: a PDF breaks lines and draws bullets where HTML had none."""
    return re.sub(r"[\s•◦▪‣·\u00ad]+", "", text)


def html_phrases(html: str) -> list[str]:
    """The text of each block (paragraph, list item, heading, cell) of an HTML fragment, entities decoded."""
    import html as html_module

    blocks = re.split(r"(?i)</?(?:p|li|h[1-6]|td|th|div|br|ul|ol|tr)\b[^>]*>", html)
    texts = (" ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", b)).split()) for b in blocks)
    return [t for t in texts if t]


def missing_phrases(pdf_text_: str, phrases: list[str]) -> list[str]:
    """The phrases not found in the PDF's text (compared without whitespace and bullets)."""
    flat = squash(pdf_text_)
    return [p for p in phrases if squash(p) not in flat]


def pdf_qr_codes(response_or_bytes, *, scale: float = 3) -> list[list[str]]:
    """The QR codes printed on each page, decoded, in reading order (top to bottom, left to right)."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(pdf_bytes(response_or_bytes))
    pages = []
    try:
        for page in document:
            image = page.render(scale=scale).to_pil().convert("L")
            found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            found = sorted(found, key=lambda r: (round(r.position.top_left.y / 50), r.position.top_left.x))
            pages.append([r.text for r in found])
    finally:
        document.close()
    return pages


def png_qr_codes(data: bytes) -> list[str]:
    """The QR codes in a PNG (or any image Pillow reads), decoded."""
    import zxingcpp
    from PIL import Image

    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)).convert("L"))]
