"""One JSON line per request: route pattern, status, duration; no path, no query, nothing personal."""

import json
import logging

import pytest

from tremplin.lib.request_log import JsonFormatter


@pytest.fixture
def request_log(settings):
    settings.MIDDLEWARE = ["tremplin.lib.request_log.RequestLogMiddleware", *settings.MIDDLEWARE]
    lines = []

    class Capture(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(JsonFormatter().format(record)))

    logger = logging.getLogger("tremplin.request")
    handler = Capture()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lines
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_each_request_writes_one_json_line_with_the_route_pattern_not_the_token_nor_the_query(client, request_log):
    client.get("/carte/SECRET-card-token-0123456789abcdef/?code=4242")
    (line,) = request_log
    assert line["method"] == "GET"
    assert line["route"] == "/carte/<str:token>/"
    assert line["view"] == "accounts:card_login"
    assert line["status"] == 404
    assert isinstance(line["duration_ms"], float)
    assert "SECRET" not in json.dumps(line) and "4242" not in json.dumps(line)


@pytest.mark.django_db
def test_a_url_that_matches_no_route_is_logged_without_its_path(client, request_log):
    client.get("/nulle-part/jean.dupont@example.org/")
    (line,) = request_log
    assert line["route"] is None and line["status"] == 404
    assert "dupont" not in json.dumps(line)


@pytest.mark.django_db
def test_django_error_lines_about_a_request_name_its_route_not_its_path(rf):
    from tremplin.lib.request_log import RouteNotPath

    request = rf.get("/carte/SECRET-card-token-0123456789abcdef/")
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "%s: %s",
                               ("Service Unavailable", request.path), None)
    record.request = request
    RouteNotPath().filter(record)
    assert record.getMessage() == "Service Unavailable: /carte/<str:token>/"
