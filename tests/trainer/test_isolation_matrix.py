"""Every trainer URL × every kind of visitor, generated from the ``trainer`` URL namespace.

A new URL is picked up automatically; if it takes an id this file cannot build yet, its test fails
and says which builder to add to ``ID_BUILDERS``. Expected answers:

- anonymous → redirect to the sign-in page;
- a learner → 403;
- the organisation's trainer and admin → 200 or 302 (400 for a POST-only URL sent an empty form);
  pages reserved to admins → 403 for a trainer;
- a trainer or an admin of another organisation → 404 for a URL that names an object of the
  organisation (a forged id), and their own organisation's page otherwise.
"""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tremplin.organisations.models import Invitation, LearnerImport, SignupLink

from ..coaching.world import build_side
from ..factories import EnrolmentFactory, LearnerFactory

# Pages reserved to the organisation's admins.
ADMIN_ONLY = {"organisation_edit", "organisation_invite", "invitation_cancel", "member_update", "organisation_place"}
# URLs that name the organisation's objects in the POST body rather than in the path: (ours, theirs) → body.
OBJECT_IN_BODY = {
    "organisation_switch": lambda ours, theirs: {"organisation": str(ours.organisation.pk)},
    "duplicates_merge": lambda ours, theirs: {"kept": str(ours.learner.pk), "duplicates": [str(ours.twin.pk)]},
    "learner_share": lambda ours, theirs: {"organisation": str(theirs.organisation.pk), "consent": "on"},
}
# Path arguments that name shared, non-tenant things (a curriculum module's slug).
SHARED_KWARGS = {"slug"}
# Deliberate exceptions, each with its reason.
OVERRIDES = {
    # An import is visible to the person who uploaded it only (it holds their file).
    ("import_preview", "admin"): {404},
    # Cards carry secret PINs kept in the printing trainer's session only: none are pending here.
    ("cards_pdf", "trainer"): {404}, ("cards_pdf", "admin"): {404},
    ("cards_pdf", "other_trainer"): {404}, ("cards_pdf", "other_admin"): {404},
}

# (url name, kwarg) or kwarg → the id of that object in an organisation's fixture.
ID_BUILDERS = {
    "group_id": lambda s: s.group.pk,
    "workshop_id": lambda s: s.workshop.pk,
    "assignment_id": lambda s: s.assignment.pk,
    "learner_id": lambda s: s.learner.pk,
    "accompaniment_id": lambda s: s.accompaniment.pk,
    "note_id": lambda s: s.note.pk,
    "slug": lambda s: s.assignment.module.slug,
    "session_id": lambda s: s.diagnostic_session.pk,
    ("member_update", "user_id"): lambda s: s.trainer.pk,
    ("learner_account", "pk"): lambda s: s.learner.pk,
    ("learner_pin_reset", "pk"): lambda s: s.learner.pk,
    ("learner_share", "pk"): lambda s: s.learner.pk,
    ("invitation_cancel", "pk"): lambda s: s.invitation.pk,
    ("import_preview", "pk"): lambda s: s.learner_import.pk,
    ("signup_link", "pk"): lambda s: s.signup_link.pk,
}
ROLES = ["anonymous", "learner", "trainer", "admin", "other_trainer", "other_admin"]


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix)
        elif isinstance(p, URLPattern) and p.name:
            converters = getattr(p.pattern, "converters", {}) or {}
            names = list(converters) or list(p.pattern.regex.groupindex)
            yield p.name, names


def trainer_urls() -> list[tuple[str, list[str]]]:
    _prefix, resolver = get_resolver().namespace_dict["trainer"]
    return sorted(dict(_walk(resolver.url_patterns)).items())


def _builder(name: str, kwarg: str):
    return ID_BUILDERS.get((name, kwarg)) or ID_BUILDERS.get(kwarg)


def _with_extras(side):
    org, admin = side.organisation, side.admin
    side.invitation = Invitation.objects.create(organisation=org, email=f"invite-{org.pk}@exemple.fr",
                                                token_hash=secrets.token_hex(32), invited_by=admin,
                                                expires_at=timezone.now() + dt.timedelta(days=7))
    side.learner_import = LearnerImport.objects.create(organisation=org, created_by=side.trainer,
                                                       rows=[{"line": 2, "first_name": "Nora", "last_name": "",
                                                              "birth_year": None, "phone": "", "email": ""}])
    side.twin = EnrolmentFactory(organisation=org, learner=LearnerFactory(
        first_name=side.learner.first_name)).learner
    side.signup_link = SignupLink.objects.create(organisation=org, created_by=side.trainer,
                                                 token=secrets.token_urlsafe(18), label="Atelier",
                                                 expires_at=timezone.now() + dt.timedelta(hours=2))
    return side


def _with_diagnostic(side):
    """A completed paper diagnostic for the side's learner (the diagnostic screens need the item bank)."""
    from tremplin.diagnostic.selectors import paper_form_versions
    from tremplin.diagnostic.services import paper_session_record

    answers = {v.item.slug: 0 for v in paper_form_versions()}
    side.diagnostic_session = paper_session_record(learner=side.learner, trainer=side.trainer, answers=answers)
    return side


@pytest.fixture
def world(content, request):
    sides = [_with_extras(build_side("Nous")), _with_extras(build_side("Eux"))]
    if request.node.callspec.params["name"].startswith("diagnostic"):
        request.getfixturevalue("real_bank")
        sides = [_with_diagnostic(side) for side in sides]
    return sides


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _call(client, method, url, data):
    with transaction.atomic():  # every cell starts from the same data: a POST's effect is rolled back
        response = client.post(url, data) if method == "POST" else client.get(url)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize(("name", "kwargs"), trainer_urls(), ids=[n for n, _ in trainer_urls()])
def test_every_trainer_url_answers_each_kind_of_visitor_as_expected(world, name, kwargs):
    ours, theirs = world
    missing = [k for k in kwargs if _builder(name, k) is None]
    assert not missing, f"{name}: add a builder to ID_BUILDERS for {missing}"
    url = reverse(f"trainer:{name}", kwargs={k: _builder(name, k)(ours) for k in kwargs})
    data = OBJECT_IN_BODY[name](ours, theirs) if name in OBJECT_IN_BODY else {}
    names_an_object = bool(set(kwargs) - SHARED_KWARGS) or name in OBJECT_IN_BODY
    method = "POST" if _client(ours.admin).get(url).status_code == 405 else "GET"
    ok = {200, 302} | ({400} if method == "POST" else set())
    users = {"anonymous": None, "learner": ours.learner, "trainer": ours.trainer, "admin": ours.admin,
             "other_trainer": theirs.trainer, "other_admin": theirs.admin}
    expected = {
        "anonymous": {302}, "learner": {403},
        "trainer": {403} if name in ADMIN_ONLY else ok, "admin": ok,
        "other_trainer": {403} if name in ADMIN_ONLY else ({404} if names_an_object else ok),
        "other_admin": {404} if names_an_object else ok,
    }
    expected.update({role: codes for (n, role), codes in OVERRIDES.items() if n == name})
    got = {role: _call(_client(users[role]), method, url, data) for role in ROLES}
    wrong = {role: (r.status_code, sorted(expected[role])) for role, r in got.items()
             if r.status_code not in expected[role]}
    assert not wrong, f"{method} {url}: {wrong}"
    assert got["anonymous"]["Location"].startswith(reverse("accounts:learner_login"))
