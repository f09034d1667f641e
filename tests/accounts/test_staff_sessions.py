"""Staff sessions: a « shared computer » choice at sign-in, and sign-out after hours without activity."""

import re
import time

import pytest
from django.urls import reverse

from tremplin.accounts.middleware import StaffIdleTimeoutMiddleware
from tremplin.accounts.services import learner_create

from ..conftest import page_text
from ..factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db
STAFF_LOGIN = "/connexion/equipe/"
KEY = StaffIdleTimeoutMiddleware.SESSION_KEY


def sign_in(client, staff, **extra):
    return client.post(STAFF_LOGIN, {"email": staff.email, "password": PASSWORD, **extra})


def idle_for(client, seconds):
    """Pretend the last request of this session was ``seconds`` ago."""
    session = client.session
    session[KEY] -= seconds
    session.save()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def signed_in(client, staff):
    assert sign_in(client, staff, remember="on").status_code == 302
    assert client.get(reverse("trainer:home")).status_code == 200  # the first page stamps the activity time
    return client


def test_the_staff_form_offers_the_shared_computer_choice_ticked(client):
    page = client.get(STAFF_LOGIN)
    assert "Rester connecté sur cet ordinateur" in page_text(page)
    assert "ordinateur partagé" in page_text(page)
    assert re.search(rb'<input type="checkbox" name="remember"[^>]* checked>', page.content)


def test_a_staff_member_stays_signed_in_on_their_own_computer(client, staff):
    sign_in(client, staff, remember="on")
    assert client.session.get_expire_at_browser_close() is False


def test_on_a_shared_computer_the_staff_session_ends_with_the_browser(client, staff):
    sign_in(client, staff)  # box unticked
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.session.get_expire_at_browser_close() is True


def test_the_idle_clock_starts_at_sign_in_so_the_next_page_saves_no_session(client, staff):
    before = int(time.time())
    sign_in(client, staff, remember="on")
    assert before <= client.session[KEY] <= time.time()


def test_a_staff_member_active_within_the_timeout_stays_signed_in(signed_in, settings):
    idle_for(signed_in, settings.STAFF_IDLE_TIMEOUT_SECONDS - 60)
    assert signed_in.get(reverse("trainer:home")).status_code == 200
    assert "_auth_user_id" in signed_in.session


def test_after_8_hours_without_activity_a_staff_member_is_signed_out_in_french(signed_in, settings):
    assert settings.STAFF_IDLE_TIMEOUT_SECONDS == 8 * 3600
    idle_for(signed_in, 8 * 3600 + 1)
    response = signed_in.get(reverse("trainer:home"))
    assert response.status_code == 302
    assert response["Location"] == STAFF_LOGIN + "?next=%2Fespace-formateur%2F"
    assert "_auth_user_id" not in signed_in.session
    page = signed_in.get(response["Location"])
    assert "Vous avez été déconnecté après 8 heures sans activité" in page_text(page)


def test_signing_in_again_after_the_timeout_goes_back_to_the_page(signed_in, staff, settings):
    idle_for(signed_in, settings.STAFF_IDLE_TIMEOUT_SECONDS + 1)
    signed_in.get(reverse("trainer:home"))
    response = signed_in.post(STAFF_LOGIN + "?next=/espace-formateur/",
                              {"email": staff.email, "password": PASSWORD, "next": "/espace-formateur/"})
    assert response["Location"] == "/espace-formateur/"
    assert signed_in.get(reverse("trainer:home")).status_code == 200  # a fresh activity time, not the stale one


def test_each_request_moves_the_idle_deadline(signed_in, settings):
    idle_for(signed_in, settings.STAFF_IDLE_TIMEOUT_SECONDS - 60)
    signed_in.get(reverse("trainer:home"))  # active again: the clock restarts
    idle_for(signed_in, 120)  # 8 hours + 1 minute after the first page, 2 minutes after the last one
    assert signed_in.get(reverse("trainer:home")).status_code == 200


def test_the_shorter_idle_timeout_leaves_learners_alone(client, settings):
    samia = learner_create(first_name="Samia", pin="2580").user
    client.post("/connexion/", {"code": samia.username, "pin": "2580", "remember": "on"})
    assert client.get(reverse("learner:home")).status_code == 200
    assert KEY not in client.session


def test_a_shorter_timeout_is_said_in_minutes(signed_in, settings):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 30 * 60
    idle_for(signed_in, 30 * 60 + 1)
    page = signed_in.get(reverse("trainer:home"), follow=True)
    assert "Vous avez été déconnecté après 30 minutes sans activité. Reconnectez-vous pour continuer." in page_text(page)
