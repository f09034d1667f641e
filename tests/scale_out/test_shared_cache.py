"""Stateless app servers (ADR 0017): with REDIS_URL, two servers share the sign-in budget and the sessions.

Each "server" is its own cache client (its own connection pool) on the same Redis: the cache aliases ``server_a`` and
``server_b`` built by ``shared_cache``, as config/settings/base.py builds "default" when REDIS_URL is set. Redis runs
here and in CI (REDIS_URL, else redis://127.0.0.1:6379/0): if it is down, these tests fail and say so.
"""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import caches
from django.urls import reverse

from config.settings.base import shared_cache
from tremplin.accounts.services import learner_create

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
LOGIN = "/connexion/"


@pytest.fixture
def servers(settings):
    """Two app servers' caches on one Redis, under a key prefix of their own (removed afterwards)."""
    prefix = f"tremplin-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "server_a": {**shared_cache(REDIS_URL), "KEY_PREFIX": prefix},
        "server_b": {**shared_cache(REDIS_URL), "KEY_PREFIX": prefix},
    }
    down = None
    try:
        caches["server_a"].set("ping", 1, timeout=10)
    except Exception as error:  # redis.exceptions.ConnectionError and the like
        down = error
    if down is not None:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} ({down}): start redis-server or set REDIS_URL",
                    pytrace=False)
    assert caches["server_a"]._cache is not caches["server_b"]._cache  # two clients, two connection pools
    yield settings
    client = caches["server_a"]._cache.get_client(write=True)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def test_a_client_slowed_down_on_one_server_is_slowed_down_on_the_other(servers, client):
    servers.SIGN_IN_THROTTLE = {**servers.SIGN_IN_THROTTLE, "cache": "server_a", "spacing": [(2, 60)]}
    for n in range(4):  # past 2 failures, one attempt a minute: the fourth takes that minute's turn
        assert client.post(LOGIN, {"code": f"ZZZ{n:03d}", "pin": "0000"}).status_code == 400
    servers.SIGN_IN_THROTTLE = {**servers.SIGN_IN_THROTTLE, "cache": "server_b"}
    refused = client.post(LOGIN, {"code": "ZZZ009", "pin": "0000"})
    assert refused.status_code == 429 and refused["Retry-After"] == "60"


def test_a_session_opened_on_one_server_is_read_and_closed_on_the_other(servers, client):
    servers.SESSION_ENGINE = "tremplin.accounts.sessions_cached"  # what REDIS_URL selects (config/settings/base.py)
    servers.SESSION_CACHE_ALIAS = "server_a"
    samia = learner_create(first_name="Samia", pin="2580").user
    assert client.post(LOGIN, {"code": samia.username, "pin": "2580"}).status_code == 302
    cookie = client.cookies["sessionid"].value
    assert caches["server_b"].get(f"django.contrib.sessions.cached_db{cookie}") is not None  # in Redis

    servers.SESSION_CACHE_ALIAS = "server_b"
    assert client.get(reverse("learner:home")).wsgi_request.user == samia  # still signed in on the other server
    assert client.post(reverse("accounts:sign_out")).status_code == 302

    servers.SESSION_CACHE_ALIAS = "server_a"
    client.cookies["sessionid"] = cookie  # the old cookie, replayed on the first server
    assert client.get(reverse("learner:home")).wsgi_request.user != samia  # signed out everywhere
