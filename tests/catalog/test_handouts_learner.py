"""Learners get a « Fiche à imprimer » for each module; the Emploi track and the CV module lead to « Mon CV »."""

from tests.conftest import page_text
from tests.pdf import html_phrases, missing_phrases, pdf_qr_codes, pdf_text
from tremplin.catalog.documents import module_document_context
from tremplin.catalog.models import Module


def test_the_module_page_offers_the_handout_and_the_pdf_downloads(learner_client, content):
    text = page_text(learner_client.get("/apprendre/module/ecran-tactile/"))
    assert 'href="/apprendre/module/ecran-tactile/fiche.pdf"' in text and "Fiche à imprimer (PDF)" in text
    response = learner_client.get("/apprendre/module/ecran-tactile/fiche.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    module = Module.objects.get(slug="ecran-tactile")
    recap = module_document_context(module=module)["recap"]
    text = pdf_text(response)
    assert not missing_phrases(text, [module.title, module.summary, "À retenir", *html_phrases(recap.body_html)])
    # The QR code brings the learner back to the module on the site.
    assert pdf_qr_codes(response)[0] == ["http://testserver/apprendre/module/ecran-tactile/"]


def test_the_handout_of_an_unknown_module_is_a_404(learner_client, content):
    assert learner_client.get("/apprendre/module/nexiste-pas/fiche.pdf").status_code == 404


def test_a_staff_member_is_refused_the_learner_handout_url(client, staff, content):
    client.force_login(staff)
    assert client.get("/apprendre/module/ecran-tactile/fiche.pdf").status_code == 403


def test_an_anonymous_visitor_gets_the_handout_without_an_account(client, content):
    # Handouts are open to everyone (ADR 10, open access); the PDF names nobody.
    response = client.get("/apprendre/module/ecran-tactile/fiche.pdf")
    assert response.status_code == 200 and "Utiliser l'écran tactile" in pdf_text(response)


def test_a_module_without_a_tool_shows_no_cv_link(learner_client, content):
    assert "/apprendre/mon-cv/" not in page_text(learner_client.get("/apprendre/module/ecran-tactile/"))
