"""What one sign-in costs the server (issue 15): the hash at an OWASP minimum, old hashes upgraded on sign-in,
no write for django-axes when nothing failed, one session write. The lock rules of ADR 2 / ADR 7 stay as they are."""

import re

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings as django_settings
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tremplin.accounts.hashers import OWASP_ARGON2ID_MINIMUMS, TunedArgon2PasswordHasher
from tremplin.accounts.services import learner_create

from ..conftest import page_text

pytestmark = pytest.mark.django_db
LOGIN = "/connexion/"
REAL_HASHERS = ["tremplin.accounts.hashers.TunedArgon2PasswordHasher",
                "django.contrib.auth.hashers.Argon2PasswordHasher"]


@pytest.fixture
def samia(db):
    return learner_create(first_name="Samia", pin="2580").user


@pytest.fixture(params=["tremplin.accounts.sessions", "tremplin.accounts.sessions_cached"])
def sessions(request, settings):
    """Our session stores, database alone and database + cache (config/settings/base.py picks one)."""
    settings.SESSION_ENGINE = request.param
    return request.param


def sign_in(client, code, pin):
    return client.post(LOGIN, {"code": code, "pin": pin, "remember": "on"})


def argon2_params(encoded: str) -> tuple[int, int, int]:
    m, t, p = re.search(r"\$m=(\d+),t=(\d+),p=(\d+)\$", encoded).groups()
    return int(m), int(t), int(p)


def test_the_pin_hash_is_argon2id_at_one_of_the_minimums_owasp_lists_never_below():
    hasher = TunedArgon2PasswordHasher()
    encoded = hasher.encode("2580", hasher.salt())
    assert encoded.startswith("argon2$argon2id$")
    memory, passes, lanes = argon2_params(encoded)
    assert (memory, passes) in OWASP_ARGON2ID_MINIMUMS and lanes == 1
    assert hasher.verify("2580", encoded) and not hasher.verify("2581", encoded)


def test_a_pin_hashed_with_the_former_parameters_still_opens_and_is_rehashed_at_sign_in(client, samia, settings):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    former = type("Former", (Argon2PasswordHasher,), {"memory_cost": 19456, "time_cost": 2, "parallelism": 1})()
    samia.password = make_password("2580", hasher=former)
    samia.save(update_fields=["password"])
    assert argon2_params(samia.password) == (19456, 2, 1)

    assert sign_in(client, samia.username, "2580").status_code == 302

    samia.refresh_from_db()
    tuned = TunedArgon2PasswordHasher()
    assert argon2_params(samia.password) == (tuned.memory_cost, tuned.time_cost, tuned.parallelism)
    client.logout()
    assert sign_in(client, samia.username, "2580").status_code == 302  # the new hash opens too


def test_a_clean_sign_in_writes_nothing_for_axes_and_one_session(client, samia, sessions):
    with CaptureQueriesContext(connection) as queries:
        assert sign_in(client, samia.username, "2580").status_code == 302
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if "axes_" in s and not s.startswith("SELECT SUM")], sql
    assert [s.split()[0] for s in sql if "django_session" in s] == ["INSERT"], sql
    assert len(sql) <= 8, sql  # lock check, user, last_login, the session (+ transaction statements)
    assert AccessLog.objects.count() == 0
    assert Session.objects.count() == 1


def test_a_successful_sign_in_still_clears_the_failures_before_it(client, samia):
    for _ in range(4):
        assert sign_in(client, samia.username, "0000").status_code == 400
    assert sign_in(client, samia.username, "2580").status_code == 302
    assert not AccessAttempt.objects.filter(username=samia.username).exists()
    client.logout()
    for _ in range(4):  # four more mistakes do not lock: the count started again
        assert sign_in(client, samia.username, "0000").status_code == 400
    assert sign_in(client, samia.username, "2580").status_code == 302


def test_after_a_clean_sign_in_five_mistakes_still_lock_the_account(client, samia):
    assert sign_in(client, samia.username, "2580").status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, samia.username, "0000")
    locked = sign_in(client, samia.username, "0000")
    assert locked.status_code == 429 and "bloqué pendant 15 minutes" in page_text(locked)
    assert sign_in(client, samia.username, "2580").status_code == 429


def test_a_session_key_planted_before_sign_in_is_not_the_one_signed_in(client, samia, sessions):
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "planted0by0someone0else0123456789"
    assert sign_in(client, samia.username, "2580").status_code == 302
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert key != "planted0by0someone0else0123456789"
    assert Session.objects.get(session_key=key).get_decoded()["_auth_user_id"] == str(samia.pk)


def test_signing_in_over_an_existing_session_gives_it_a_new_key(client, samia, sessions):
    client.get("/")  # a page that may start a session (guest, messages)
    session = client.session
    session["seen"] = True
    session.save()
    before = session.session_key
    assert sign_in(client, samia.username, "2580").status_code == 302
    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert after != before and not Session.objects.filter(session_key=before).exists()

