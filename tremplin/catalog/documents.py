"""Printable documents generated from a module's files: the trainer guide and the learner handout.

Both are built from what ``load_content`` stored (Module, Step, ModuleAsset), so they always match
the module a learner sees. Pictures are embedded as data URIs: WeasyPrint then needs no network
and the PDF is self-contained.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.utils.html import strip_tags

from tremplin.lib.pdf import DOCUMENT_CACHE_SECONDS, render_pdf

from .enums import StepKind
from .models import Module, ModuleAsset, Step
from .selectors import steps_of


@dataclass
class PrintStep:
    number: int
    title: str
    body_html: str
    summary: str
    image_src: str
    image_alt: str


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _first_sentence(html: str) -> str:
    text = " ".join(strip_tags(html).split())
    for end in (". ", "? ", "! "):
        if end in text:
            return text.split(end, 1)[0] + end.strip()
    return text


def module_document_context(*, module: Module, embed_images: bool = True, image_url=None) -> dict:
    """Everything the guide and the handout show. ``image_url(name, sha)`` for HTML pages,
    data URIs (``embed_images``) for PDFs."""
    assets = {a.name: a for a in ModuleAsset.objects.filter(module=module)}
    steps: list[Step] = steps_of(module=module)
    lesson, recap, n_questions = [], None, 0
    for step in steps:
        if step.is_question:
            n_questions += 1
            continue
        asset = assets.get(step.image) if step.image else None
        src = ""
        if asset is not None:
            src = _data_uri(asset.content) if embed_images else (image_url(asset.name, asset.sha) if image_url else "")
        item = PrintStep(len(lesson) + 1, step.title, step.body_html, _first_sentence(step.body_html), src,
                         step.image_alt)
        if step.kind == StepKind.RECAP:
            recap = item
        else:
            lesson.append(item)
    guide = module.trainer_guide or {}
    return {
        "module": module, "track": module.track, "steps": lesson, "recap": recap, "n_questions": n_questions,
        "guide": guide, "plan_total": sum(p.get("minutes", 0) for p in guide.get("plan", [])),
    }


def guide_pdf(*, module: Module, request=None) -> bytes:
    return render_pdf("catalog/guide_pdf.html", module_document_context(module=module), request=request,
                      cache_seconds=DOCUMENT_CACHE_SECONDS)


def handout_pdf(*, module: Module, module_url: str = "", request=None) -> bytes:
    import segno

    context = module_document_context(module=module)
    context["qr"] = segno.make(module_url, error="m").svg_data_uri(scale=4) if module_url else ""
    context["module_url"] = module_url
    return render_pdf("catalog/handout_pdf.html", context, request=request, cache_seconds=DOCUMENT_CACHE_SECONDS)
