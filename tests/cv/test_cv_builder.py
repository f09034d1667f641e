"""« Mon CV »: a guided CV builder for learners, one section per screen, plain forms, one-page PDF."""

import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from tests.conftest import page_text
from tests.factories import LearnerFactory
from tremplin.catalog.services import curriculum_load
from tremplin.cv.checks import cv_advice, email_problems, email_suggestion
from tremplin.cv.models import CV
from tremplin.cv.schema import CVData
from tremplin.cv.selectors import cv_data, cv_of
from tremplin.cv.services import CVInvalid, cv_item_add, cv_update
from tremplin.learner.views_cv import SIZES, cv_pdf_bytes

CONTACT = {"first_name": "Karim", "last_name": "Benali", "phone": "06 12 34 56 78",
           "email": "karim.benali@gmail.com", "town": "Lyon"}
URL = "/apprendre/mon-cv/"


def _fill(client, **contact):
    client.post(URL + "contact/", {**CONTACT, **contact})
    client.post(URL + "metier/", {"target_job": "Apprenti boulanger"})
    client.post(URL + "experiences/", {"action": "add", "job": "Bénévole", "employer": "Restos du cœur, Lyon",
                                       "dates": "juin 2026", "description": "Accueil des personnes."})
    client.post(URL + "formations/", {"action": "add", "title": "Classe de 3e", "school": "Collège Jean Moulin",
                                      "year": "2023"})
    client.post(URL + "competences/", {"skills": "Travail en équipe\nRespect des horaires\n\n"})
    client.post(URL + "langues/", {"languages": "Arabe – courant", "driving_licence": "Permis B"})
    return client.post(URL + "loisirs/", {"interests": "Football en club"})


def test_a_learner_builds_a_cv_section_by_section_and_sees_it_in_the_preview(learner_client, learner):
    response = learner_client.get(URL)
    assert response.status_code == 200 and "Commencer mon CV" in page_text(response)
    response = _fill(learner_client)
    assert response.status_code == 302 and response["Location"] == URL + "apercu/"
    text = page_text(learner_client.get(URL + "apercu/"))
    for expected in ("Karim Benali", "Apprenti boulanger", "06 12 34 56 78", "karim.benali@gmail.com",
                     "Bénévole", "Restos du cœur, Lyon", "Classe de 3e", "Travail en équipe", "Arabe – courant",
                     "Permis B", "Football en club", "Votre CV a l'essentiel"):
        assert expected in text, expected
    assert cv_of(learner=learner).data["skills"] == ["Travail en équipe", "Respect des horaires"]


def test_each_section_is_its_own_screen_with_labelled_fields_and_the_preview(learner_client):
    _fill(learner_client)
    for slug, label in [("contact", "Téléphone"), ("metier", "Le métier que vous cherchez"),
                        ("experiences", "Ajouter une expérience"), ("formations", "Ajouter une formation"),
                        ("competences", "Vos compétences"), ("langues", "Permis de conduire"),
                        ("loisirs", "Vos loisirs")]:
        response = learner_client.get(URL + slug + "/")
        text = page_text(response)
        assert response.status_code == 200 and label in text and "Aperçu de mon CV" in text, slug
        # Works without JavaScript: a plain form; the only script is the optional live preview.
        assert '<form method="post"' in text
        assert re.findall(r"<script[^>]*>", text) in ([], ['<script type="module" src="/static/js/cv-preview.js">'])
        assert len(response.content) <= 14_000, (slug, len(response.content))


def test_saving_the_contact_goes_to_the_next_section(learner_client):
    response = learner_client.post(URL + "contact/", CONTACT)
    assert response.status_code == 302 and response["Location"] == URL + "metier/"


def test_an_unprofessional_email_is_flagged_with_a_prenom_nom_suggestion(learner_client):
    response = learner_client.post(URL + "contact/", {**CONTACT, "email": "bogoss93@gmail.com"})
    assert response["Location"] == URL + "contact/"  # the learner sees the advice before moving on
    text = page_text(learner_client.get(URL + "contact/"))
    assert "Votre adresse e-mail ne fait pas sérieux pour un employeur." in text
    assert "karim.benali@gmail.com" in text and "Elle contient des chiffres" in text
    learner_client.post(URL + "contact/", CONTACT)
    assert "ne fait pas sérieux" not in page_text(learner_client.get(URL + "contact/"))


def test_missing_essentials_are_listed_with_a_link_to_the_section(learner_client):
    learner_client.post(URL + "contact/", {"first_name": "Karim", "last_name": "Benali"})
    text = page_text(learner_client.get(URL + "apercu/"))
    for expected in ("Ajoutez votre numéro de téléphone", "Ajoutez votre adresse e-mail",
                     "Écrivez le métier que vous cherchez", "Ajoutez au moins une expérience ou une formation",
                     "Ajoutez au moins une compétence"):
        assert expected in text, expected
    assert f'href="{URL}metier/"' in text


def test_the_cv_stays_editable_an_experience_can_be_removed_and_a_field_changed(learner_client, learner):
    _fill(learner_client)
    learner_client.post(URL + "experiences/", {"action": "add", "job": "Stage en cuisine"})
    assert [e["job"] for e in cv_of(learner=learner).data["experiences"]] == ["Bénévole", "Stage en cuisine"]
    learner_client.post(URL + "experiences/", {"action": "remove", "index": "0"})
    learner_client.post(URL + "metier/", {"target_job": "Commis de cuisine"})
    data = cv_data(cv_of(learner=learner))
    assert [e.job for e in data.experiences] == ["Stage en cuisine"] and data.target_job == "Commis de cuisine"
    assert 'value="Commis de cuisine"' in page_text(learner_client.get(URL + "metier/"))
    assert CV.objects.filter(learner=learner).count() == 1


def test_the_pdf_is_one_a4_page_named_after_the_learner(learner_client):
    _fill(learner_client)
    response = learner_client.get(URL + "mon-cv.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert 'filename="CV-karim-benali.pdf"' in response["Content-Disposition"]


def test_a_full_cv_at_every_limit_still_fits_on_one_page():
    from weasyprint import HTML

    long = "x" * 40 + " " + "mot " * 60
    data = CVData.model_validate({
        "contact": {**CONTACT, "town": "Saint-Rémy-en-Bouzemont-Saint-Genest-et-Isson"},
        "target_job": "Agent de propreté et d'hygiène " * 3,
        "experiences": [{"job": "Poste " * 20, "employer": "Entreprise " * 10, "dates": "janvier 2020 – décembre 2025",
                         "description": long[:300]} for _ in range(5)],
        "trainings": [{"title": "Formation " * 12, "school": "École " * 15, "year": "2020"} for _ in range(4)],
        "skills": ["Compétence longue " * 2 + "x" * 14] * 10, "languages": ["Langue – niveau courant"] * 5,
        "driving_licence": "Permis B", "interests": ["Loisir " * 7] * 6})
    fits = [len(HTML(string=render_to_string("learner/cv/cv_pdf.html", {"data": data, "size": size})).render().pages)
            == 1 for size in SIZES]
    assert any(fits), "même en petits caractères, le CV le plus long dépasse 1 page"
    assert cv_pdf_bytes(data).startswith(b"%PDF")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("email", "bogoss93", "Cette adresse e-mail n'est pas complète"),
    ("phone", "appelle-moi", "Écrivez le numéro avec des chiffres"),
    ("town", "x" * 5000, "« Ville » est trop long : 80 caractères au maximum."),
    ("first_name", "Karim 😎", "Enlevez les émojis"),
])
def test_bad_contact_input_gets_a_french_message_a_400_and_nothing_saved(learner_client, learner, field, value,
                                                                         message):
    response = learner_client.post(URL + "contact/", {**CONTACT, field: value})
    assert response.status_code == 400
    text = page_text(response)
    assert message in text and "Rien n'a été enregistré" in text
    assert cv_of(learner=learner) is None


def test_script_tags_are_stored_as_text_and_shown_escaped(learner_client, learner):
    learner_client.post(URL + "metier/", {"target_job": "<script>alert(1)</script>"})
    response = learner_client.get(URL + "apercu/")
    assert b"<script>alert(1)</script>" not in response.content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
    assert learner_client.get(URL + "mon-cv.pdf").content.startswith(b"%PDF")


def test_too_many_experiences_are_refused_with_a_message(learner_client, learner):
    for i in range(5):
        learner_client.post(URL + "experiences/", {"action": "add", "job": f"Poste {i}"})
    response = learner_client.post(URL + "experiences/", {"action": "add", "job": "Poste 6"})
    assert response.status_code == 400 and "5 éléments au maximum" in page_text(response)
    assert len(cv_of(learner=learner).data["experiences"]) == 5


def test_an_experience_without_a_job_or_a_forged_remove_never_breaks(learner_client, learner):
    assert learner_client.post(URL + "experiences/", {"action": "add", "job": ""}).status_code == 400
    assert learner_client.post(URL + "experiences/", {"action": "remove", "index": "abc"}).status_code == 400
    assert learner_client.post(URL + "experiences/", {"action": "remove", "index": "99"}).status_code == 302
    assert learner_client.post(URL + "inconnue/", {}).status_code == 404
    assert learner_client.post(URL + "contact/", {"first_name": ["a", "b"], "junk": "x"}).status_code in (302, 400)


def test_a_learner_only_ever_sees_their_own_cv(client, learner_client, learner):
    _fill(learner_client)
    other = LearnerFactory(first_name="Monique")
    client.force_login(other)
    assert "Karim" not in page_text(client.get(URL + "apercu/"))
    assert client.get(URL + "apercu/").status_code == 302  # no CV yet: sent to the first section


def test_staff_and_anonymous_visitors_cannot_use_the_learner_cv(client, staff):
    assert client.get(URL).status_code == 302
    client.force_login(staff)
    assert client.get(URL).status_code == 403
    assert client.post(URL + "contact/", CONTACT).status_code == 403


def test_the_emploi_track_and_the_cv_module_link_to_mon_cv(learner_client):
    curriculum_load(root=settings.CONTENT_ROOT)
    assert f'href="{URL}"' in page_text(learner_client.get("/apprendre/parcours/emploi/"))
    assert f'href="{URL}"' in page_text(learner_client.get("/apprendre/module/ecrire-un-cv/"))
    assert f'href="{URL}"' not in page_text(learner_client.get("/apprendre/parcours/premiers-pas/"))


# Rules, called directly


@pytest.mark.parametrize("email", ["bogoss93@gmail.com", "princesse-du-69@hotmail.fr", "kikou.lol@yahoo.fr",
                                   "karim.bg@gmail.com", "darkness@free.fr"])
def test_unprofessional_addresses_are_flagged(email):
    assert email_problems(email, first_name="Karim", last_name="Benali")


@pytest.mark.parametrize("email", ["karim.benali@gmail.com", "k.benali@orange.fr", "benali.karim@free.fr",
                                   "karim-benali@laposte.net"])
def test_sensible_addresses_are_not_flagged(email):
    assert email_problems(email, first_name="Karim", last_name="Benali") == []


def test_names_with_common_words_inside_are_not_taken_for_nicknames():
    assert email_problems("isabelle.fournier@free.fr", first_name="Isabelle", last_name="Fournier") == []
    assert email_problems("solange.beaumont@free.fr", first_name="Solange", last_name="Beaumont") == []


def test_the_suggestion_is_prenom_nom_without_accents_on_the_same_provider():
    assert email_suggestion(first_name="Émilie", last_name="Le Gall", email="mimi@free.fr") == "emilie.le-gall@free.fr"


def test_services_validate_the_whole_cv_before_saving(learner):
    cv_update(learner=learner, values={"contact": CONTACT})
    with pytest.raises(CVInvalid):
        cv_item_add(learner=learner, section="experiences", item={"job": "x" * 500})
    assert cv_data(cv_of(learner=learner)).experiences == []
    assert [a.code for a in cv_advice(cv_data(cv_of(learner=learner)))] == ["target_job", "experience", "skills"]
