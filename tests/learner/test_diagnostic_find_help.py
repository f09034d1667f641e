"""From the diagnostic to help: a person who should not learn alone is offered the nearest places (issue 12)."""

import re

import pytest

from tests.diagnostic.conftest import answer_all
from tremplin.diagnostic.models import DiagnosticSession

pytestmark = pytest.mark.django_db


def finish(client, *, right):
    client.post("/apprendre/positionnement/")
    session = DiagnosticSession.objects.get()
    client.post(f"/apprendre/positionnement/{session.pk}/vous/", {"appareils": ["smartphone"]})
    session = answer_all(client, session.pk, right=right)
    return client.get(f"/apprendre/positionnement/{session.pk}/resultats/").content.decode()


def test_a_beginner_gets_a_form_that_searches_places_near_the_commune_they_type(learner_client, real_bank, content):
    html = finish(learner_client, right=None)
    form = re.search(r'<form method="get" action="/trouver-de-l-aide/".*?</form>', html, re.S)
    assert form, "the results page of a beginner offers the search of nearby places"
    assert 'name="commune"' in form.group(0) and "Voir les lieux les plus proches" in form.group(0)


def test_a_confident_learner_is_not_sent_to_a_place(learner_client, real_bank, content):
    html = finish(learner_client, right=True)
    assert "/trouver-de-l-aide/" not in html
