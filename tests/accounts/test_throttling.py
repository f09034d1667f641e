"""A budget of failed sign-ins per client address, across accounts (issue 10, security 3).

Thresholds (config/settings/base.py, docs/areas/sign-in-throttling.md): up to 150 failures in the last hour
nothing changes; past 150, one attempt every 10 s from that address; past 300, one a minute.
"""

import time

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import RequestFactory
from django.urls import reverse

from tremplin.accounts import services
from tremplin.accounts.services import learner_create, sign_in_failure_record

from ..conftest import page_text
from ..factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db
LOGIN = "/connexion/"
ROOM = "192.0.2.10"  # one public address for a whole training room


def sign_in(client, code, pin, address=ROOM, **extra):
    return client.post(LOGIN, {"code": code, "pin": pin}, REMOTE_ADDR=address, **extra)


def spend(failures: int, address: str = ROOM, **meta) -> None:
    """Failures already counted against this address (cheaper than that many requests)."""
    request = RequestFactory().post(LOGIN, REMOTE_ADDR=address, **meta)
    for _ in range(failures):
        sign_in_failure_record(request=request)


@pytest.fixture
def clock(monkeypatch):
    """time.time under the test's control (the cache's expiry reads it too)."""
    now = {"t": time.time()}
    monkeypatch.setattr(time, "time", lambda: now["t"])

    def advance(seconds: float) -> None:
        now["t"] += seconds

    return advance


@pytest.fixture
def hashes(monkeypatch):
    """How many times a password hasher ran (the test settings hash with MD5, whose verify calls encode)."""
    count = {"n": 0, "depth": 0}
    for name in ("encode", "verify"):
        real = getattr(MD5PasswordHasher, name)

        def counting(self, *args, real=real, **kwargs):
            count["n"] += count["depth"] == 0
            count["depth"] += 1
            try:
                return real(self, *args, **kwargs)
            finally:
                count["depth"] -= 1

        monkeypatch.setattr(MD5PasswordHasher, name, counting)
    return count


def test_a_room_of_30_learners_who_each_get_locked_out_is_never_slowed_down(client):
    learners = [learner_create(first_name=f"Apprenant {i}", pin="2580").user for i in range(33)]
    for learner in learners[:30]:
        for _ in range(4):
            assert sign_in(client, learner.username, "1111").status_code == 400
        assert sign_in(client, learner.username, "1111").status_code == 429  # the account's own lock (axes)
    # 150 failures from the room's one address in a few minutes: the next learners still get straight in.
    for learner in learners[30:]:
        client.logout()
        assert sign_in(client, learner.username, "2580").status_code == 302


def test_a_guesser_trying_one_pin_on_many_codes_is_slowed_down_with_a_french_message(client, hashes):
    for n in range(151):
        assert sign_in(client, f"ZZZ{n:03d}", "0000").status_code == 400, n
    assert sign_in(client, "ZZZ999", "0000").status_code == 400  # past 150: one attempt, then wait 10 s
    hashed = hashes["n"]
    refused = sign_in(client, "ZZZ998", "0000")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "10"
    assert ("Beaucoup d'essais de connexion ont échoué depuis ce lieu. Par sécurité, attendez 10 secondes puis "
            "réessayez. Votre compte n'est pas bloqué.") in page_text(refused)
    assert hashes["n"] == hashed  # refused before any PIN is hashed


def test_after_the_wait_one_more_attempt_is_allowed_then_the_next_wait(client, clock):
    spend(200)
    assert sign_in(client, "ZZZ001", "0000").status_code == 400
    clock(4)
    assert "attendez 6 secondes" in page_text(sign_in(client, "ZZZ002", "0000"))
    clock(6)
    assert sign_in(client, "ZZZ002", "0000").status_code == 400
    assert sign_in(client, "ZZZ003", "0000").status_code == 429


def test_a_learner_with_the_right_pin_gets_in_when_their_turn_comes(client, clock):
    samia = learner_create(first_name="Samia", pin="2580").user
    spend(200)
    assert sign_in(client, "ZZZ001", "0000").status_code == 400
    assert sign_in(client, samia.username, "2580").status_code == 429
    clock(10)
    assert sign_in(client, samia.username, "2580").status_code == 302


def test_past_300_failures_one_attempt_a_minute(client):
    spend(301)
    assert sign_in(client, "ZZZ001", "0000").status_code == 400
    refused = sign_in(client, "ZZZ002", "0000")
    assert refused["Retry-After"] == "60" and "attendez 1 minute puis réessayez" in page_text(refused)


def test_the_budget_slides_failures_older_than_an_hour_no_longer_count(client, clock):
    spend(200)
    clock(3600 * 2)
    for n in range(3):
        assert sign_in(client, f"ZZZ{n:03d}", "0000").status_code == 400


def test_another_address_keeps_its_own_budget(client):
    spend(400)
    samia = learner_create(first_name="Samia", pin="2580").user
    assert sign_in(client, samia.username, "2580", address="198.51.100.7").status_code == 302


def test_the_staff_form_spends_the_same_budget(client):
    spend(400)
    staff = StaffFactory()
    url = reverse("accounts:staff_login")
    assert client.post(url, {"email": staff.email, "password": "wrong"}, REMOTE_ADDR=ROOM).status_code == 400
    refused = client.post(url, {"email": staff.email, "password": PASSWORD}, REMOTE_ADDR=ROOM)
    assert refused.status_code == 429 and "attendez 1 minute" in page_text(refused)


def test_failed_staff_sign_ins_count_too(client):
    url = reverse("accounts:staff_login")
    for _ in range(151):
        client.post(url, {"email": "personne@exemple.fr", "password": "wrong"}, REMOTE_ADDR=ROOM)
    assert sign_in(client, "ZZZ001", "0000").status_code == 400
    assert sign_in(client, "ZZZ002", "0000").status_code == 429


def test_one_ipv6_subscriber_has_one_budget_for_its_whole_64_prefix(client):
    spend(400, address="2001:db8:1:2::1")
    assert sign_in(client, "ZZZ001", "0000", address="2001:db8:1:2:aaaa::9").status_code == 400
    assert sign_in(client, "ZZZ002", "0000", address="2001:db8:1:2:bbbb::9").status_code == 429
    assert sign_in(client, "ZZZ003", "0000", address="2001:db8:1:3::1").status_code == 400


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spend(400, address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    via_proxy = {"address": "127.0.0.1"}
    assert sign_in(client, "ZZZ001", "0000", HTTP_X_FORWARDED_FOR="203.0.113.5", **via_proxy).status_code == 400
    assert sign_in(client, "ZZZ002", "0000", HTTP_X_FORWARDED_FOR="203.0.113.5", **via_proxy).status_code == 429
    # A client cannot pick its own budget: only the last hop, written by our proxy, is read.
    forged = "198.51.100.1, 203.0.113.5"
    assert sign_in(client, "ZZZ003", "0000", HTTP_X_FORWARDED_FOR=forged, **via_proxy).status_code == 429
    assert sign_in(client, "ZZZ004", "0000", HTTP_X_FORWARDED_FOR="203.0.113.6", **via_proxy).status_code == 400


def test_an_unconfigured_proxy_turns_the_budget_off_rather_than_slowing_down_the_whole_site(client):
    spend(400, address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    for n in range(3):
        response = sign_in(client, f"ZZZ{n:03d}", "0000", address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
        assert response.status_code == 400


def test_an_unknown_code_costs_the_same_single_hash_as_a_wrong_pin(client, hashes):
    samia = learner_create(first_name="Samia", pin="2580").user
    before = hashes["n"]
    sign_in(client, samia.username, "1111")
    wrong_pin = hashes["n"] - before
    before = hashes["n"]
    sign_in(client, "QQQQQQ", "1111")
    unknown_code = hashes["n"] - before
    assert wrong_pin == unknown_code == 1  # timing does not tell which codes exist


def test_an_unreachable_cache_never_stops_anyone_signing_in(client, monkeypatch):
    samia = learner_create(first_name="Samia", pin="2580").user

    def down():
        raise ConnectionError("cache down")

    monkeypatch.setattr(services, "_cache", down)
    assert sign_in(client, "ZZZ001", "0000").status_code == 400
    assert sign_in(client, samia.username, "2580").status_code == 302

