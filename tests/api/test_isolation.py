"""Every API URL (``/api/…``) × every kind of visitor, in the manner of tests/learner/test_isolation_matrix.py.

The owner is a learner of a structure; a classmate of the same structure, their trainer and an anonymous visitor
call each URL with the owner's learner key where one is asked. Only the owner's own session writes; a refused
call writes nothing at all; nobody else's answer shows any of the owner's things.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tremplin.api.keys import learner_key

from ..coaching.world import build_side, leaks, namespace_patterns, row_counts
from ..factories import EnrolmentFactory, LearnerFactory
from .helpers import MODULE, Queue

pytestmark = pytest.mark.django_db

ROLES = ("owner", "classmate", "trainer", "anonymous")
# (method, path arguments) → status by role
ROUTES = {
    "sync": ("POST", {}, {"owner": 200, "classmate": 409, "trainer": 401, "anonymous": 401}),
    "module_manifest": ("GET", {"slug": MODULE}, {"owner": 200, "classmate": 200, "trainer": 403, "anonymous": 200}),
    "track_manifest": ("GET", {"slug": "premiers-pas"},
                       {"owner": 200, "classmate": 200, "trainer": 403, "anonymous": 200}),
    "openapi-json": ("GET", {}, {"owner": 200, "classmate": 200, "trainer": 200, "anonymous": 200}),
    # django-ninja's root, there to compute the paths of the operations: no docs page (its assets come from a CDN).
    "api-root": ("GET", {}, {"owner": 404, "classmate": 404, "trainer": 404, "anonymous": 404}),
}


def test_every_api_url_is_declared_in_the_matrix():
    assert {name for name, _route, _kwargs in namespace_patterns("api")} == set(ROUTES)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_every_api_url_answers_each_kind_of_visitor_and_writes_only_for_the_owner(content, name):
    side = build_side("Nous", marked=True)
    classmate = EnrolmentFactory(organisation=side.organisation, learner=LearnerFactory()).learner
    users = {"owner": side.learner, "classmate": classmate, "trainer": side.trainer, "anonymous": None}
    owner_secrets = {k: v for k, v in side.secrets().items() if k.startswith("learner")}
    method, kwargs, expected = ROUTES[name]
    url = reverse(f"api:{name}", kwargs=kwargs)
    problems = []
    for role in ("classmate", "trainer", "anonymous", "owner"):  # the owner last: what they write stays
        client = Client()
        if users[role] is not None:
            client.force_login(users[role])
        before = row_counts()
        if method == "POST":
            body = json.dumps({"learner": learner_key(side.learner), "events": [Queue().next(1)]})
            response = client.post(url, body, content_type="application/json")
        else:
            response = client.get(url)
        changed = {t: n for t, n in row_counts().items() if before.get(t) != n}
        if response.status_code != expected[role]:
            problems.append(f"{role}: {response.status_code}, expected {expected[role]}")
        if response.status_code >= 400 and changed:
            problems.append(f"{role}: refused but wrote {changed}")
        if role != "owner":
            if changed:
                problems.append(f"{role}: wrote {changed}")
            found = leaks(response.content.decode(), owner_secrets)
            if found:
                problems.append(f"{role}: shows the owner's {found}")
            if name != "api-root":
                assert "json" in response["Content-Type"], f"{role}: every answer of the API is JSON"
    assert not problems, f"{url}:\n" + "\n".join(problems)
