"""Django's admin edits every table without scope nor audit: it is off unless the environment turns it on."""

import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

import config.urls

pytestmark = pytest.mark.django_db


def reload_urls():
    clear_url_caches()
    importlib.reload(config.urls)


@pytest.fixture
def admin_enabled():
    try:
        with override_settings(TREMPLIN_ADMIN_ENABLED=True):
            reload_urls()
            yield
    finally:
        reload_urls()  # the setting is back to off: so are the URLs, for the tests that follow


def test_the_admin_is_not_served_by_default(client):
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404


def test_the_admin_answers_when_the_setting_turns_it_on(client, admin_enabled):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_turning_the_admin_off_again_removes_it(client, admin_enabled):
    with override_settings(TREMPLIN_ADMIN_ENABLED=False):
        reload_urls()
        assert client.get("/admin/login/").status_code == 404
