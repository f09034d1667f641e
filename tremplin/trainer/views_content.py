"""« Contenus »: the curriculum for trainers, with each module's guide (page and PDF) and learner handout.

The curriculum is the same for every organisation, so any staff member may read it."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from tremplin.catalog.documents import guide_pdf, handout_pdf, module_document_context
from tremplin.catalog.selectors import module_active, modules_with_counts, tracks_for_learners
from tremplin.lib.pdf import pdf_response

from .decorators import trainer_required


def _module_or_404(slug: str):
    module = module_active(slug=slug)
    if module is None:
        raise Http404("module inconnu")
    return module


@trainer_required(organisation=False)
@require_GET
def content_catalogue(request: HttpRequest, scope) -> HttpResponse:
    modules = modules_with_counts().select_related("track").order_by("track__order", "position")
    by_track: dict[int, list] = {}
    for m in modules:
        by_track.setdefault(m.track_id, []).append(m)
    tracks = [{"track": t, "modules": by_track.get(t.pk, [])} for t in tracks_for_learners()]
    return render(request, "trainer/content/catalogue.html", {
        "tracks": tracks, "module_count": sum(len(t["modules"]) for t in tracks)})


@trainer_required(organisation=False)
@require_GET
def content_guide(request: HttpRequest, slug: str, scope) -> HttpResponse:
    module = _module_or_404(slug)
    context = module_document_context(
        module=module, embed_images=False,
        image_url=lambda name, sha: reverse("learner:asset", args=[module.slug, sha, name]))
    return render(request, "trainer/content/guide.html", context)


@trainer_required(organisation=False)
@require_GET
def content_guide_pdf(request: HttpRequest, slug: str, scope) -> HttpResponse:
    module = _module_or_404(slug)
    return pdf_response(guide_pdf(module=module, request=request), f"guide-{module.slug}.pdf")


@trainer_required(organisation=False)
@require_GET
def content_handout_pdf(request: HttpRequest, slug: str, scope) -> HttpResponse:
    module = _module_or_404(slug)
    url = request.build_absolute_uri(reverse("learner:module", args=[module.slug]))
    return pdf_response(handout_pdf(module=module, module_url=url, request=request), f"fiche-{module.slug}.pdf")
