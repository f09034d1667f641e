"""« Mon CV »: a guided CV builder for learners, one section per screen, plain forms, one-page PDF."""

import re

import pytest

from tests.conftest import page_text
from tests.factories import LearnerFactory
from tests.pdf import pdf_page_count, pdf_page_sizes_mm, pdf_text
from tremplin.cv.checks import cv_advice, email_problems, email_suggestion
from tremplin.cv.models import CV
from tremplin.cv.schema import CVData
from tremplin.cv.selectors import cv_data, cv_of
from tremplin.cv.services import CVInvalid, cv_item_add, cv_update
from tremplin.learner.views_cv import cv_pdf_bytes

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
        # Works without JavaScript: a plain form; the only scripts are the optional live preview and the offline
        # helper every learner page has (ADR 18).
        assert '<form method="post"' in text
        scripts = [s for s in re.findall(r"<script[^>]*>", text) if "/static/js/offline.js" not in s]
        assert scripts in ([], ['<script type="module" src="/static/js/cv-preview.js">'])
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
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="CV-karim-benali.pdf"' in response["Content-Disposition"]
    assert pdf_page_sizes_mm(response) == [(210, 297)]
    text = pdf_text(response)
    for expected in ("Karim Benali", "Apprenti boulanger", "06 12 34 56 78", "karim.benali@gmail.com", "Lyon",
                     "Bénévole", "Restos du cœur, Lyon", "Classe de 3e", "Collège Jean Moulin",
                     "Travail en équipe", "Respect des horaires", "Arabe – courant", "Permis B", "Football en club"):
        assert expected in text, expected


def test_a_full_cv_at_every_limit_fits_on_one_page_by_itself_not_by_cutting():
    long = "x" * 40 + " " + "mot " * 60
    data = CVData.model_validate({
        "contact": {**CONTACT, "town": "Saint-Rémy-en-Bouzemont-Saint-Genest-et-Isson"},
        "target_job": "Agent de propreté et d'hygiène " * 3,
        "experiences": [{"job": f"Poste{n} " + "Poste " * 18, "employer": "Entreprise " * 10,
                         "dates": "janvier 2020 – décembre 2025", "description": long[:290] + f" fin{n}"}
                        for n in range(1, 6)],
        "trainings": [{"title": f"Formation{n} " + "Formation " * 10, "school": "École " * 15, "year": f"201{n}"}
                      for n in range(1, 5)],
        "skills": [f"Compétence{n:02d} " + "Compétence longue " * 2 + "x" for n in range(1, 11)],
        "languages": [f"Langue{n} – niveau courant" for n in range(1, 6)],
        "driving_licence": "Permis B", "interests": [f"Loisir{n} " + "Loisir " * 6 for n in range(1, 7)]})
    pdf = cv_pdf_bytes(data)
    assert pdf_page_count(pdf) == 1
    # Everything is on that page, down to the last item of the last section: it was set smaller, not cut.
    words = set(pdf_text(pdf).split())
    expected = ({f"Poste{n}" for n in range(1, 6)} | {f"fin{n}" for n in range(1, 6)}
                | {f"Formation{n}" for n in range(1, 5)} | {f"Compétence{n:02d}" for n in range(1, 11)}
                | {f"Langue{n}" for n in range(1, 6)} | {f"Loisir{n}" for n in range(1, 7)} | {"Permis"})
    assert expected <= words, sorted(expected - words)


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
    assert "<script>alert(1)</script>" in pdf_text(learner_client.get(URL + "mon-cv.pdf"))  # as text, harmless


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


def test_a_learner_only_ever_sees_their_own_cv(learner_client, learner):
    from django.test import Client

    _fill(learner_client)
    monique = Client()
    monique.force_login(LearnerFactory(first_name="Monique"))
    # No CV yet: sent to the first section, which must be empty, not Karim's.
    response = monique.get(URL + "apercu/", follow=True)
    assert response.redirect_chain == [(URL + "contact/", 302)]
    assert "Karim" not in page_text(response) and "Benali" not in page_text(response)
    assert 'value="Karim"' not in page_text(monique.get(URL + "contact/"))
    # Her own CV, preview and PDF, carry nothing of his.
    monique.post(URL + "contact/", {"first_name": "Monique", "last_name": "Durand", "phone": "07 00 00 00 00"})
    monique.post(URL + "metier/", {"target_job": "Aide à domicile"})
    preview = page_text(monique.get(URL + "apercu/"))
    pdf = pdf_text(monique.get(URL + "mon-cv.pdf"))
    for page in (preview, pdf):
        assert "Monique Durand" in page and "Aide à domicile" in page
        for his in ("Karim", "Benali", "boulanger", "Restos du cœur", "Football"):
            assert his not in page, his


def test_staff_and_anonymous_visitors_cannot_use_the_learner_cv(client, staff):
    assert client.get(URL).status_code == 302
    client.force_login(staff)
    assert client.get(URL).status_code == 403
    assert client.post(URL + "contact/", CONTACT).status_code == 403


def test_the_emploi_track_and_the_cv_module_link_to_mon_cv(learner_client, real_content):
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


@pytest.mark.parametrize("section,field", [("contact", "first_name"), ("metier", "target_job"),
                                           ("experiences", "job"), ("competences", "skills"),
                                           ("langues", "languages"), ("loisirs", "interests")])
def test_a_nul_byte_in_any_cv_field_is_refused_in_french_and_nothing_is_saved(client, db, section, field):
    from tests.factories import LearnerFactory
    from tremplin.cv.selectors import cv_of

    learner = LearnerFactory()
    client.force_login(learner)
    response = client.post(f"/apprendre/mon-cv/{section}/", {field: "Vendeur\x00"})
    assert response.status_code == 400 and "caractère nul" in response.content.decode()
    assert cv_of(learner=learner) is None or "Vendeur" not in str(cv_of(learner=learner).data)
    preview = client.post(f"/apprendre/mon-cv/apercu/direct/{section}/", {field: "Vendeur\x00"})
    assert preview.status_code == 200 and "Vendeur" not in preview.content.decode()
