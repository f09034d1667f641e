"""« Fiche à imprimer »: the module's handout (A4 PDF, large type) for a learner to keep."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from tremplin.catalog.documents import handout_pdf
from tremplin.catalog.selectors import module_active
from tremplin.lib.pdf import pdf_response

from .decorators import learner_required


@learner_required(open_to_all=True)
@require_GET
def handout(request: HttpRequest, slug: str) -> HttpResponse:
    module = module_active(slug=slug)
    if module is None:
        raise Http404("module inconnu")
    url = request.build_absolute_uri(reverse("learner:module", args=[module.slug]))
    return pdf_response(handout_pdf(module=module, module_url=url, request=request), f"fiche-{module.slug}.pdf")
