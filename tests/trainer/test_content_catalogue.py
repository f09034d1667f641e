"""The trainer « Contenus » catalogue: tracks, modules, and each module's guide and handout."""

import pytest

from tests.conftest import page_text


@pytest.fixture
def curriculum(real_content):
    return real_content


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_anonymous_visitor_is_sent_to_sign_in(client, curriculum):
    response = client.get("/espace-formateur/contenus/")
    assert response.status_code == 302 and "/connexion" in response["Location"]


def test_a_learner_cannot_open_the_trainer_catalogue_nor_a_guide(learner_client, curriculum):
    assert learner_client.get("/espace-formateur/contenus/").status_code == 403
    assert learner_client.get("/espace-formateur/contenus/ecran-tactile/guide/").status_code == 403
    assert learner_client.get("/espace-formateur/contenus/ecran-tactile/guide.pdf").status_code == 403


def test_trainer_sees_every_track_and_module_with_links_to_guide_and_handout(staff_client, curriculum,
                                                                              django_assert_max_num_queries):
    # + 1 since issue 11: whether the person also holds a network role (the « Pilotage » link)
    with django_assert_max_num_queries(7):
        response = staff_client.get("/espace-formateur/contenus/")
    text = page_text(response)
    assert response.status_code == 200
    for track in ("Premiers pas", "Démarches en ligne", "Emploi"):
        assert track in text
    assert "41 modules" in text
    assert text.count('href="/espace-formateur/contenus/') == 41 * 3 + 1  # + the navigation link
    assert 'href="/espace-formateur/contenus/ecrire-un-cv/guide/"' in text
    assert 'href="/espace-formateur/contenus/ecrire-un-cv/fiche.pdf"' in text
    assert 'href="/espace-formateur/contenus/"' in text  # the « Contenus » link in the trainer navigation


def test_every_guide_page_renders_for_the_41_modules(staff_client, curriculum):
    from tremplin.catalog.models import Module

    for slug in Module.objects.values_list("slug", flat=True):
        response = staff_client.get(f"/espace-formateur/contenus/{slug}/guide/")
        assert response.status_code == 200, slug


def test_the_guide_page_shows_the_plan_difficulties_questions_and_checked_sources(staff_client, curriculum):
    text = page_text(staff_client.get("/espace-formateur/contenus/caf-mon-compte/guide/"))
    for expected in ("Guide formateur : Votre compte CAF", "Matériel", "Déroulé de l'atelier", "75 min",
                     "Difficultés fréquentes", "Je n’ai pas encore de numéro de sécurité sociale",
                     "fiche Service-Public F827", "Contenu vérifié le 2 décembre 2026", "Connectez-vous"):
        assert expected in text, expected
    assert "/apprendre/images/caf-mon-compte/" in text  # the module's pictures


def test_guide_and_handout_pdfs_download_for_a_trainer(staff_client, curriculum):
    guide = staff_client.get("/espace-formateur/contenus/franceconnect/guide.pdf")
    handout = staff_client.get("/espace-formateur/contenus/franceconnect/fiche.pdf")
    assert guide["Content-Type"] == handout["Content-Type"] == "application/pdf"
    from tests.pdf import html_phrases, missing_phrases, pdf_qr_codes, pdf_text
    from tremplin.catalog.documents import module_document_context
    from tremplin.catalog.models import Module

    module = Module.objects.get(slug="franceconnect")
    recap = html_phrases(module_document_context(module=module)["recap"].body_html)
    guide_text = pdf_text(guide)
    assert f"Guide formateur : {module.title}" in guide_text
    assert not missing_phrases(guide_text, ["Déroulé de l'atelier", "À retenir", *recap])
    assert not missing_phrases(pdf_text(handout), [module.title, "À retenir", *recap])
    assert pdf_qr_codes(handout)[0] == ["http://testserver/apprendre/module/franceconnect/"]


def test_an_unknown_module_gives_a_404(staff_client, curriculum):
    assert staff_client.get("/espace-formateur/contenus/nexiste-pas/guide/").status_code == 404
    assert staff_client.get("/espace-formateur/contenus/nexiste-pas/fiche.pdf").status_code == 404
