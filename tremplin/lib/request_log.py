"""One JSON line per request on stdout, for the operator's log collector (docs/deployment.md).

A line holds the method, the route *pattern* (``apprendre/module/<slug:slug>/etape/<int:number>/``) and the view
name, never the path itself: paths carry card tokens, invitation keys and ids. No query string, no address, no
user id, no user agent: nothing that points at a person. ``status`` and ``duration_ms`` are what an operator
watches. Installed by config/settings/prod.py, first in MIDDLEWARE so that the duration covers everything."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time

from django.urls import Resolver404, resolve

logger = logging.getLogger("tremplin.request")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = _match(request)
        logger.info("request", extra={"fields": {
            "method": request.method if request.method in KNOWN_METHODS else "OTHER",
            "route": "/" + match.route if match is not None and match.route is not None else None,
            "view": match.view_name if match is not None else None,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        }})
        return response


KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _match(request):
    """The route of the request, also when a middleware failed before Django resolved it (the database away)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return match


class RouteNotPath(logging.Filter):
    """Django's ``django.request`` lines (« Service Unavailable: /carte/<token>/ ») name the route instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple) and len(record.args) == 2:
            match = _match(request)
            route = "/" + match.route if match is not None and match.route is not None else "(no route)"
            record.args = (record.args[0], route)
        return True


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", ...fields}`` on one line; a traceback, if any, as ``exception``."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
