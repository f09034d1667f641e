"""Who may open each enrolment screen: anonymous → sign in, learner → 403, another organisation's id → 404."""

import uuid

import pytest
from django.urls import reverse

from tests.factories import LearnerFactory, OrganisationFactory
from tremplin.organisations.models import LearnerImport, SignupLink

from .enrolment_helpers import learner_in, trainer_of

pytestmark = pytest.mark.django_db

PLAIN = ["learners", "learners_export", "learner_enrol", "import_upload", "cards", "cards_pdf", "cards_forget",
         "cards_reprint", "duplicates", "duplicates_merge", "signup_links", "organisation", "organisation_edit",
         "organisation_invite", "organisation_switch"]
WITH_LEARNER = ["learner_account", "learner_pin_reset", "learner_share"]


@pytest.fixture
def foreign():
    """Objects of another organisation, whose ids a trainer might forge."""
    org, trainer = trainer_of(OrganisationFactory(name="Ailleurs"), admin=True)
    learner = learner_in(org, first_name="Oleksandr")
    return {
        "learner": learner,
        "import": LearnerImport.objects.create(organisation=org, created_by=trainer, rows=[{"first_name": "X"}]),
        "link": SignupLink.objects.create(organisation=org, created_by=trainer, token="t" * 20,
                                          expires_at="2999-01-01T00:00:00Z"),
        "trainer": trainer,
    }


def all_urls(foreign):
    urls = [reverse(f"trainer:{name}") for name in PLAIN]
    urls += [reverse(f"trainer:{name}", args=[foreign["learner"].pk]) for name in WITH_LEARNER]
    urls += [reverse("trainer:import_preview", args=[foreign["import"].pk]),
             reverse("trainer:signup_link", args=[foreign["link"].pk]),
             reverse("trainer:member_update", args=[foreign["trainer"].pk]),
             reverse("trainer:invitation_cancel", args=[uuid.uuid4()])]
    return urls


def test_anonymous_visitors_are_sent_to_sign_in_on_every_enrolment_screen(client, foreign):
    for url in all_urls(foreign):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and "/connexion/" in response["Location"], url


def test_learners_are_refused_on_every_enrolment_screen(client, foreign):
    client.force_login(LearnerFactory())
    for url in all_urls(foreign):
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url).status_code in (403, 405), url


def test_a_trainer_forging_ids_of_another_organisation_gets_404(client, foreign):
    org, trainer = trainer_of(admin=True)
    client.force_login(trainer)
    learner = foreign["learner"]
    password = learner.password
    for name in WITH_LEARNER:
        url = reverse(f"trainer:{name}", args=[learner.pk])
        statuses = {client.get(url).status_code, client.post(url, {"organisation": org.pk, "consent": "on"}).status_code}
        assert statuses in ({404}, {404, 405}), url  # 405 only for the method the screen does not accept
    for url in [reverse("trainer:import_preview", args=[foreign["import"].pk]),
                reverse("trainer:signup_link", args=[foreign["link"].pk])]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("trainer:member_update", args=[foreign["trainer"].pk]),
                       {"action": "remove"}).status_code == 404
    assert client.post(reverse("trainer:duplicates_merge"),
                       {"kept": learner.pk, "duplicates": [learner_in(org).pk]}).status_code == 404
    assert client.get(reverse("trainer:cards_pdf"), {"apprenant": learner.pk}).status_code == 404
    learner.refresh_from_db()
    assert learner.password == password and learner.is_active
