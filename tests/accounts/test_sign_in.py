from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tremplin.accounts.codes import CODE_ALPHABET, format_code, new_login_code, normalise_code
from tremplin.accounts.services import learner_create, learner_pin_reset

from ..conftest import page_text
from ..factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db
LOGIN = "/connexion/"


@pytest.fixture
def samia(db):
    return learner_create(first_name="Samia", pin="2580").user


def sign_in(client, code, pin, **extra):
    return client.post(LOGIN, {"code": code, "pin": pin, **extra})


def test_a_learner_signs_in_with_the_code_of_the_card_typed_in_any_case(client, samia):
    response = sign_in(client, format_code(samia.username).lower(), "2580")
    assert response.status_code == 302
    assert response["Location"] == reverse("learner:home")


def test_codes_never_contain_ambiguous_characters():
    for ch in "0O1IL":
        assert ch not in CODE_ALPHABET
    code = new_login_code()
    assert len(code) == 6 and set(code) <= set(CODE_ALPHABET)


def test_a_zero_or_a_one_typed_by_mistake_is_read_as_the_letter():
    assert normalise_code("k0m-1px") == "KOMIPX"


def test_a_wrong_pin_gives_a_clear_french_message(client, samia):
    response = sign_in(client, samia.username, "1111")
    assert response.status_code == 400
    assert "Le code ou le code secret n'est pas bon" in page_text(response)


def test_a_pin_with_letters_is_refused_before_checking(client, samia):
    response = sign_in(client, samia.username, "12ab")
    assert response.status_code == 400
    assert "seulement des chiffres" in page_text(response)


def test_five_wrong_pins_lock_the_account_for_15_minutes_even_with_the_right_pin(client, samia):
    for _ in range(4):
        assert sign_in(client, samia.username, "0000").status_code == 400
    locked = sign_in(client, samia.username, "0000")
    assert locked.status_code == 429
    assert "bloqué pendant 15 minutes" in page_text(locked)
    assert sign_in(client, samia.username, "2580").status_code == 429


def test_the_lock_is_per_account_not_per_ip(client, samia):
    karim = learner_create(first_name="Karim", pin="1357").user
    for _ in range(5):
        sign_in(client, samia.username, "0000")
    # Same training-room IP, another learner: not locked.
    assert sign_in(client, karim.username, "1357").status_code == 302


def test_the_lock_ends_after_15_minutes(client, samia):
    for _ in range(5):
        sign_in(client, samia.username, "0000")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16))
    assert sign_in(client, samia.username, "2580").status_code == 302


def test_the_qr_card_asks_for_one_tap_then_signs_in(client, samia):
    url = reverse("accounts:card_login", args=[samia.card_token])
    page = client.get(url)
    assert "Bonjour Samia" in page_text(page)
    assert "_auth_user_id" not in client.session  # opening the link alone signs nobody in
    response = client.post(url)
    assert response["Location"] == reverse("learner:home")
    assert client.session["_auth_user_id"] == str(samia.pk)


def test_an_unknown_card_gives_a_kind_404(client):
    response = client.get(reverse("accounts:card_login", args=["pas-une-carte"]))
    assert response.status_code == 404
    assert "Cette carte ne marche plus" in page_text(response)


def test_resetting_the_pin_retires_the_old_card(client, samia):
    old_token = samia.card_token
    new_pin = learner_pin_reset(learner=samia)
    assert client.get(reverse("accounts:card_login", args=[old_token])).status_code == 404
    assert sign_in(client, samia.username, "2580").status_code == 400
    assert sign_in(client, samia.username, new_pin).status_code == 302


def test_staff_sign_in_with_e_mail_and_password(client):
    staff = StaffFactory()
    response = client.post(reverse("accounts:staff_login"), {"email": staff.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("trainer:home")


def real_credentials(username, password):
    """The user these credentials open, through the same backends as the sign-in views."""
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    return authenticate(RequestFactory().post("/"), username=username, password=password)


def test_a_learners_real_code_and_pin_do_not_open_the_staff_form(client, samia):
    response = client.post(reverse("accounts:staff_login"), {"email": samia.username, "password": "2580"})
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_a_staff_members_real_e_mail_and_password_do_not_open_the_learner_form(client):
    staff = StaffFactory()
    assert real_credentials(staff.username, PASSWORD) == staff
    response = sign_in(client, staff.email, PASSWORD)
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_a_learner_is_refused_by_the_staff_form_even_with_credentials_the_form_accepts(client):
    # The code reads as an e-mail address and the PIN is right: only the kind of account stops them.
    learner = learner_create(first_name="Samia", pin="2580", login_code="samia@exemple.fr").user
    assert real_credentials("samia@exemple.fr", "2580") == learner
    response = client.post(reverse("accounts:staff_login"), {"email": "samia@exemple.fr", "password": "2580"})
    assert response.status_code == 400 and "_auth_user_id" not in client.session
    assert "L'adresse e-mail ou le mot de passe n'est pas bon" in page_text(response)


def test_a_staff_member_is_refused_by_the_learner_form_even_with_credentials_the_form_accepts(client):
    # A username shaped like a card code and a password of four digits: only the kind of account stops them.
    staff = StaffFactory(username="KMNPQR", password="4826")
    assert real_credentials("KMNPQR", "4826") == staff
    response = sign_in(client, "kmn-pqr", "4826")
    assert response.status_code == 400 and "_auth_user_id" not in client.session
    assert "Le code ou le code secret n'est pas bon" in page_text(response)


def test_a_foreign_next_url_is_ignored(client, samia):
    response = sign_in(client, samia.username, "2580", next="https://evil.example/")
    assert response["Location"] == reverse("learner:home")


def test_a_local_next_url_is_followed(client, samia):
    response = sign_in(client, samia.username, "2580", next="/apprendre/parcours/premiers-pas/")
    assert response["Location"] == "/apprendre/parcours/premiers-pas/"


def test_signing_out_needs_a_post_and_says_goodbye(client, samia):
    client.force_login(samia)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    response = client.post(reverse("accounts:sign_out"), follow=True)
    assert "Vous êtes déconnecté" in page_text(response)


def test_an_expired_form_gets_a_french_page_not_an_error(samia):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(LOGIN, {"code": samia.username, "pin": "2580"})
    assert response.status_code == 403
    assert "Cette page a expiré" in page_text(response)


def test_learners_need_no_e_mail_address(samia):
    assert samia.email is None


def test_argon2_is_tuned_to_owasp_minimum():
    from tremplin.accounts.hashers import TunedArgon2PasswordHasher

    hasher = TunedArgon2PasswordHasher()
    encoded = hasher.encode("2580", hasher.salt())
    assert "m=7168,t=5,p=1" in encoded  # one of OWASP's minimums, the fastest here (ADR 0007)
    assert hasher.verify("2580", encoded)


def test_after_an_expired_session_the_learner_is_told_nothing_is_lost(client, samia):
    response = client.get("/apprendre/mon-cv/", follow=True)  # a page that needs the person's account
    assert "votre session a expiré : rien n'est perdu" in page_text(response)
    signed_in = sign_in(client, samia.username, "2580", next="/apprendre/mon-cv/")
    assert signed_in["Location"] == "/apprendre/mon-cv/"


def test_a_learner_stays_signed_in_on_their_own_phone(client, samia):
    sign_in(client, samia.username, "2580", remember="on")
    assert client.session.get_expire_at_browser_close() is False


def test_on_a_shared_computer_the_session_ends_with_the_browser(client, samia):
    sign_in(client, samia.username, "2580")  # box unticked
    assert client.session.get_expire_at_browser_close() is True


def test_a_next_parameter_that_is_not_a_path_of_ours_sends_the_learner_home_not_to_an_error(client):
    from tests.factories import PIN, LearnerFactory

    learner = LearnerFactory()
    for target in ("plainword", "//evil.example/x", "https://evil.example/", "\x00"):
        client.logout()
        response = client.post(f"/connexion/?next={target}", {"code": learner.username, "pin": PIN,
                                                               "next": target, "remember": "on"})
        assert response.status_code == 302 and response["Location"] == "/apprendre/", target
