"""The database going away for a few seconds (a restart, a failover, a lost connection) gives the French 503 page
with ``Retry-After``, never a traceback; the next request after it returns is served again (docs/deployment.md).

Django opens a new connection per request (or takes one from psycopg's pool, which checks it first: see
``DATABASES`` in config/settings/base.py), so nothing has to be restarted: recovery needs no code here.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger("tremplin.ops")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(request: HttpRequest | None = None) -> HttpResponse:
    """The 503 page: a plain template without the user's menu (reading the session needs the database)."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that meets an unreachable database answers 503 instead of 500. Failures before or after the view
    (the session read by the authentication middleware, its save) reach ``server_error`` below."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("database unavailable: %s", type(exception).__name__)
            return database_unavailable(request)
        return None


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: Django calls it while handling the exception, so ``sys.exc_info()`` tells a database outage
    (503, try again soon) from a bug (500)."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return database_unavailable(request)
    return django_server_error(request, template_name)
