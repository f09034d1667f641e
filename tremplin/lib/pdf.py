"""HTML templates to PDF with WeasyPrint (login cards, attestations, handouts)."""

from django.http import HttpResponse
from django.template.loader import render_to_string


class PdfUnavailable(RuntimeError):
    pass


def render_pdf(template: str, context: dict, request=None) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as exc:  # Pango missing on the system
        raise PdfUnavailable("WeasyPrint needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0") from exc
    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=str(request.build_absolute_uri("/")) if request else None).write_pdf()


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
