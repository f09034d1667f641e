"""/sante/, the 503 page when the database is away, security.txt (docs/deployment.md)."""

import datetime as dt
import json
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, close_old_connections, connection, connections
from django.test import Client

from tests.conftest import page_text


@pytest.mark.django_db
def test_health_says_the_app_and_its_database_are_up_without_cookie_or_cache(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_health_answers_503_when_the_database_does_not_answer(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("server closed the connection")):
        response = client.get("/sante/")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "unavailable"}


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_page_whose_database_is_away_shows_the_french_503_page_not_a_traceback(error):
    client = Client(raise_request_exception=False)
    with mock.patch("tremplin.public.views.places_exist", side_effect=error("connection refused")):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Tremplin revient dans un instant" in page_text(response)
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_the_database_lost_while_reading_the_session_also_gives_the_503_page(learner_client):
    learner_client.raise_request_exception = False
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load",
                    side_effect=OperationalError("the database system is shutting down")):
        response = learner_client.get("/apprendre/")
    assert response.status_code == 503
    assert "Réessayez dans une minute" in page_text(response)


@pytest.mark.django_db
def test_a_bug_that_is_not_the_database_still_gives_the_500_page():
    client = Client(raise_request_exception=False)
    with mock.patch("tremplin.public.views.places_exist", side_effect=ZeroDivisionError):
        response = client.get("/")
    assert response.status_code == 500


def _cut_the_connection():
    """The database server drops our connection (PostgreSQL: the backend is terminated; SQLite, which has no
    server, fails the next query the way a lost connection does)."""
    if connection.vendor != "postgresql":
        broken = mock.patch.object(type(connections["default"]), "create_cursor", side_effect=OperationalError("connexion perdue"))
        broken.start()
        return broken.stop
    import psycopg

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k in {"dbname", "user", "password", "host",
                                                                     "port"}}, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    return lambda: None


def test_a_cut_database_connection_gives_one_503_then_the_app_recovers_by_itself(django_db_setup, django_db_blocker):
    client = Client(raise_request_exception=False)
    with django_db_blocker.unblock():
        assert client.get("/sante/").status_code == 200
        reconnects = _cut_the_connection()
        assert client.get("/sante/").status_code == 503
        reconnects()  # PostgreSQL: nothing to do, the server is still there
        close_old_connections()  # what the server does at the end of every request (the test client skips it)
        assert client.get("/sante/").status_code == 200


@pytest.mark.django_db
def test_security_txt_gives_a_contact_an_expiry_within_a_year_languages_and_its_canonical_address(client, settings):
    settings.SECURITY_CONTACT = "securite@exemple.fr"
    settings.SITE_URL = "https://tremplin.exemple.fr"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:securite@exemple.fr"
    assert fields["Preferred-Languages"] == "fr, en"
    assert fields["Canonical"] == "https://tremplin.exemple.fr/.well-known/security.txt"
    expires = dt.datetime.fromisoformat(fields["Expires"])
    assert dt.timedelta(days=30) < expires - dt.datetime.now(dt.UTC) < dt.timedelta(days=365)
