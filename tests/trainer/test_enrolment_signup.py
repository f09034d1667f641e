from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import page_text
from tremplin.accounts.models import User
from tremplin.organisations.models import Enrolment, SignupLink

from .enrolment_helpers import trainer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(client):
    org, trainer = trainer_of()
    client.force_login(trainer)
    response = client.post(reverse("trainer:signup_links"), {"label": "Atelier du mardi", "hours": "24"})
    link = SignupLink.objects.get()
    assert response["Location"] == reverse("trainer:signup_link", args=[link.pk])
    page = client.get(response["Location"])
    assert page.context["qr"].startswith("data:image/svg+xml") and link.token in page_text(page)
    client.logout()
    return link


def test_a_learner_signs_up_from_the_workshop_link_and_is_signed_in(client, link):
    path = reverse("join:signup", args=[link.token])
    page = client.get(path)
    assert "Écrivez votre prénom." in page_text(page)
    assert len(page.content) < 14_000
    response = client.post(path, {"first_name": "Samia"})
    learner = User.objects.get(first_name="Samia")
    pin = response.context["pin"]
    assert learner.login_code_display in page_text(response) and pin in page_text(response)
    assert Enrolment.objects.filter(learner=learner, organisation=link.organisation).exists()
    learner.refresh_from_db()
    assert learner.check_password(pin)
    assert client.get(reverse("learner:home")).status_code == 200
    link.refresh_from_db()
    assert link.uses == 1


def test_an_empty_first_name_is_refused_in_plain_french(client, link):
    response = client.post(reverse("join:signup", args=[link.token]), {"first_name": "  "})
    assert response.status_code == 400 and "Écrivez votre prénom." in page_text(response)
    assert not User.objects.filter(kind="learner").exists()


def test_an_expired_or_used_up_link_no_longer_enrols(client, link):
    path = reverse("join:signup", args=[link.token])
    SignupLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(path, {"first_name": "Samia"})
    assert response.status_code == 404 and "Ce lien ne marche plus" in page_text(response)
    SignupLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() + timedelta(hours=1), uses=60)
    assert client.post(path, {"first_name": "Samia"}).status_code == 404
    assert not User.objects.filter(first_name="Samia").exists()
