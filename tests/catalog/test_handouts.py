"""Trainer guides and learner handouts are generated from each module's files, for all 41 modules."""

import time

import pytest
from django.template.loader import render_to_string

from tests.pdf import html_phrases, missing_phrases, pdf_qr_codes, pdf_text
from tremplin.catalog.documents import guide_pdf, handout_pdf, module_document_context
from tremplin.catalog.models import Module


@pytest.fixture
def curriculum(real_content):
    return list(Module.objects.filter(is_active=True).select_related("track").order_by("track__order", "position"))


def recap_phrases(module) -> list[str]:
    """Each paragraph or list item of the module's « À retenir » step."""
    recap = module_document_context(module=module)["recap"]
    assert recap is not None, module.slug
    phrases = html_phrases(recap.body_html)
    assert phrases, module.slug
    return phrases


def test_the_guide_and_handout_pdfs_render_for_one_module_of_each_track(curriculum):
    # All 82 PDFs take about 12 s (measured); every template is rendered for all 41 modules in the
    # HTML tests below, and WeasyPrint runs on the first module of each track here.
    assert len(curriculum) == 41
    sample = {m.track.slug: m for m in reversed(curriculum)}.values()
    started = time.perf_counter()
    for module in sample:
        recap = recap_phrases(module)
        guide = pdf_text(guide_pdf(module=module))
        assert f"Guide formateur : {module.title}" in guide, module.slug
        assert not missing_phrases(guide, ["Déroulé de l'atelier", "Difficultés fréquentes", *recap]), module.slug
        url = f"https://tremplin.test/apprendre/module/{module.slug}/"
        handout = handout_pdf(module=module, module_url=url)
        # The learner's handout carries the module's « À retenir », and its QR code opens the module.
        assert not missing_phrases(pdf_text(handout), [module.title, "À retenir", *recap]), module.slug
        assert pdf_qr_codes(handout)[0] == [url], module.slug
    print(f"6 PDF en {time.perf_counter() - started:.1f} s")


def test_every_guide_has_a_45_to_90_minute_plan_its_steps_and_dated_sources(curriculum):
    for module in curriculum:
        context = module_document_context(module=module)
        html = render_to_string("catalog/guide_pdf.html", context)
        assert 45 <= context["plan_total"] <= 90 and context["plan_total"] == module.trainer_guide["duration_minutes"]
        for text in ("Matériel", "Déroulé de l'atelier", "Difficultés fréquentes", "Questions que les personnes posent",
                     "Objectifs", "Les étapes du module", "Sources", "Contenu vérifié le"):
            assert text in html.replace("&#x27;", "'"), (module.slug, text)
        assert all(s.title in html or s.title.replace("'", "&#x27;") in html for s in context["steps"][:1])


def test_every_handout_shows_the_steps_with_their_pictures_and_the_recap(curriculum):
    for module in curriculum:
        context = module_document_context(module=module)
        html = render_to_string("catalog/handout_pdf.html", {**context, "qr": "", "module_url": ""})
        assert context["recap"] is not None and "À retenir" in html
        pictures = [s for s in context["steps"] if s.image_src]
        assert pictures, module.slug
        assert all(s.image_src.startswith("data:image/svg+xml;base64,") for s in pictures)
        assert html.count('src="data:image/svg+xml') == len(pictures)


def test_the_handout_uses_large_type_on_a4(curriculum):
    html = render_to_string("catalog/handout_pdf.html", {**module_document_context(module=curriculum[0]), "qr": ""})
    assert "size: A4" in html and "font-size: 15pt" in html
