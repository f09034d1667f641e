"""The preview follows what is typed (cv-preview.js posts the form here); nothing is saved."""

import pytest

from tests.conftest import page_text
from tremplin.cv.selectors import cv_data, cv_of

pytestmark = pytest.mark.django_db
LIVE = "/apprendre/mon-cv/apercu/direct/"


def test_the_live_preview_shows_what_is_typed_without_saving_it(learner_client, learner):
    learner_client.post("/apprendre/mon-cv/metier/", {"target_job": "Vendeur"})
    response = learner_client.post(LIVE + "metier/", {"target_job": "Apprenti boulanger"})
    assert response.status_code == 200
    assert "Apprenti boulanger" in page_text(response)
    assert cv_data(cv_of(learner=learner)).target_job == "Vendeur"


def test_an_experience_being_typed_appears_in_the_preview_before_it_is_added(learner_client, learner):
    response = learner_client.post(LIVE + "experiences/", {"job": "Serveur", "employer": "Café du port"})
    assert "Serveur" in page_text(response)
    assert cv_of(learner=learner) is None or cv_data(cv_of(learner=learner)).experiences == []


def test_half_typed_or_too_long_input_keeps_the_saved_preview(learner_client):
    learner_client.post("/apprendre/mon-cv/metier/", {"target_job": "Vendeur"})
    response = learner_client.post(LIVE + "metier/", {"target_job": "x" * 5000})
    assert response.status_code == 200
    assert "Vendeur" in page_text(response)


def test_the_live_preview_is_only_for_the_signed_in_learner(client, staff):
    assert client.post(LIVE + "metier/", {"target_job": "x"}).status_code == 302
    client.force_login(staff)
    assert client.post(LIVE + "metier/", {"target_job": "x"}).status_code == 403
    assert client.post(LIVE + "inconnue/", {}).status_code in (403, 404)
