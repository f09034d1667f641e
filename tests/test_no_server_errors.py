"""Bad input never gives a 500: every named URL of every audience, GET and POST, for a visitor, a learner and
an organisation's admin, with NUL bytes (in fields and in the path's tokens and file names), a huge value with emoji and CR/LF, on SQLite and PostgreSQL.

Every field name any form of the product reads is sent at once, so each form meets the bad value in each of
its fields (ids in the path are real ones, so the views go past their 404 checks). A first sweep, not the
property-based fuzz of every form that issue 10 asks for."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .coaching.world import build_side

AUDIENCES = {"trainer", "learner", "public", "accounts", "join"}
BAD = ["a\x00b", "x" * 5000 + " 😀\r\nX-Injected: 1"]
FIELDS = ["first_name", "last_name", "name", "title", "q", "text", "code", "pin", "email", "date", "start_time",
          "duration_minutes", "theme", "level", "organisation", "learner", "members", "present", "group", "target",
          "content", "due_date", "next", "token", "phone", "birth_year", "commune", "type", "duree", "type_lieu",
          "thematiques", "action", "structure", "recherche", "statut", "tri", "page", "mode", "consent", "hours",
          "label", "role", "password", "kept", "duplicates", "venue", "workshop", "themes", "urgency",
          "diagnostic_note", "event_id", "choice", "groupe", "apprenant", "atelier", "du", "au", "besoin", "lot",
          # « Mon CV »
          "town", "target_job", "job", "employer", "dates", "description", "school", "year", "skills", "languages",
          "driving_licence", "interests", "remove", "index"]


def _patterns(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield namespace, p


def _urls(side, audiences) -> list[str]:
    """Each URL with real ids; those with a free-text part (a token, a file name) also with a NUL byte there."""
    out = []
    for text in ("abc", "a\x00b"):
        ids = {"uuid": side.learner.pk, "slug": "ecran-tactile", "int": 1, "string": text, "path": text}
        for namespace, p in _patterns(get_resolver().url_patterns):
            if namespace not in audiences:
                continue
            converters = getattr(p.pattern, "converters", {}) or {}
            kinds = {k: type(c).__name__.removesuffix("Converter").lower() for k, c in converters.items()}
            if text != "abc" and not {"string", "path"} & set(kinds.values()):
                continue
            out.append(reverse(f"{namespace}:{p.name}", kwargs={k: ids.get(kind, text) for k, kind in kinds.items()}))
    from tremplin.learner.views_cv import SECTIONS  # the CV's sections are named by their own slugs

    if "learner" in audiences:
        for section in SECTIONS:
            out += [reverse("learner:cv_section", args=[section.slug]),
                    reverse("learner:cv_live_preview", args=[section.slug])]
    return out


# Who visits which audience (a learner on trainer pages, or staff on learner pages, only meets a 403).
VISITORS = {"anonymous": AUDIENCES, "learner": {"learner", "public", "accounts", "join"},
            "admin": {"trainer", "public", "accounts", "join"}}


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", list(VISITORS))
def test_no_page_answers_bad_input_with_a_server_error(content, real_bank, real_simulators, visitor):
    side = build_side("Nous")
    client = Client(raise_request_exception=False)
    user = {"anonymous": None, "learner": side.learner, "admin": side.admin}[visitor]
    if user is not None:
        client.force_login(user)
    errors = []
    for url in _urls(side, VISITORS[visitor]):
        for value in BAD:
            data = dict.fromkeys(FIELDS, value)
            # GET with the NUL byte in every query parameter; POST with both values in every field.
            for method in ((client.get, client.post) if "\x00" in value else (client.post,)):
                if method(url, data).status_code >= 500:
                    errors.append(f"{method.__name__.upper()} {url} {value[:6]!r} as {visitor}")
    assert not errors, "\n".join(errors)
