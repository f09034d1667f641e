"""Every ``network:`` URL × every kind of visitor, with the answer each must get, and what they must not read.

The network of ``tests/network_world.py`` (hub « Hub Nord » over departments A and B with structures Alpha and
Beta; department C with Gamma) is built once for the module with figures (``world.seed_figures``). Visitors: an
anonymous person, a learner, a trainer of Alpha without a network role, the national team, the hub's coordinator,
the coordinator of department C (another territory), and the hub's funder. Every URL of the namespace must be
declared in ``ROUTES`` (a new one fails until it is). Each URL is called with the methods it accepts (and our
national team gets 405 for the others); for each visitor: the expected status, nothing written when refused, and
no figure nor name of an area they do not cover in the answer (HTML, CSV, XLSX and PDF bodies read).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tremplin.organisations.enums import NetworkRole
from tremplin.organisations.models import CoordinatorGrant, NetworkInvitation

from ..coaching.world import built_once, namespace_patterns, response_text, row_counts
from ..factories import EnrolmentFactory, LearnerFactory
from .world import network_with_figures

VISITORS = ["anonymous", "learner", "trainer", "national", "coordinator", "coordinator_d3", "funder"]
NETWORK = {"national", "coordinator", "coordinator_d3", "funder"}


@dataclass(frozen=True)
class Route:
    """``answers``: status by visitor for each method (GET 200 for every network person by default).
    ``body``: the POST body (built from the world)."""

    methods: tuple[str, ...] = ("GET",)
    answers: dict = field(default_factory=dict)
    body: object = None


def _area(hub_ok=200, d3=404, funder=200):
    """An area of the hub: the hub's people read it; department C's coordinator gets 404."""
    return {"GET": {"national": 200, "coordinator": hub_ok, "coordinator_d3": d3, "funder": funder}}


STRUCTURE = _area(funder=404)
ADMIN_ONLY = {"GET": {"national": 200, "coordinator": 403, "coordinator_d3": 403, "funder": 403}}
OWN = {"GET": {"national": 200, "coordinator": 200, "coordinator_d3": 200, "funder": 200}}

ROUTES: dict[str, Route] = {
    "home": Route(answers=OWN),
    "home_export": Route(answers=OWN),
    "territory": Route(answers=_area()),
    "territory_export": Route(answers=_area()),
    "region": Route(answers=_area()),
    "region_export": Route(answers=_area()),
    "department": Route(answers=_area()),
    "department_export": Route(answers=_area()),
    "structure": Route(answers=STRUCTURE),
    "structure_export": Route(answers=STRUCTURE),
    # Alpha shares its learner list with the hub (ADR 14, revised): the hub's coordinator only.
    "structure_learners": Route(answers={"GET": {"national": 404, "coordinator": 200, "coordinator_d3": 404,
                                                 "funder": 404}}),
    "territories": Route(methods=("GET", "POST"), answers={**ADMIN_ONLY, "POST": {
        "national": 302, "coordinator": 403, "coordinator_d3": 403, "funder": 403}},
        body=lambda w: {"name": "Territoire essai", "kind": "hub", "departments": [w.d1.code, w.d3.code]}),
    "team": Route(methods=("GET", "POST"), answers={**ADMIN_ONLY, "POST": {
        "national": 302, "coordinator": 403, "coordinator_d3": 403, "funder": 403}},
        body=lambda w: {"email": "nouvelle@exemple.fr", "role": "coordinator", "territory": w.hub.pk}),
    "invitation_revoke": Route(methods=("POST",), answers={"POST": {
        "national": 302, "coordinator": 403, "coordinator_d3": 403, "funder": 403}}),
    "structures": Route(answers={"GET": {"national": 200, "coordinator": 200, "coordinator_d3": 200,
                                         "funder": 404}}),
    "structure_open": Route(methods=("GET", "POST"), answers={
        "GET": {"national": 200, "coordinator": 200, "coordinator_d3": 200, "funder": 404},
        "POST": {"national": 302, "coordinator": 302, "coordinator_d3": 400, "funder": 404}},
        body=lambda w: {"name": "Nouvelle structure", "type": "ASSO", "commune": w.alpha.commune.name,
                        "admin_email": "responsable@exemple.fr"}),
    # A report never asked: 404 for everyone (the ticket is the hash of a report's HTML; the answer tells nothing).
    "report_status": Route(answers={"GET": {"national": 404, "coordinator": 404, "coordinator_d3": 404,
                                            "funder": 404}}),
    "territory_switch": Route(methods=("POST",), answers={"POST": {
        "national": 404, "coordinator": 302, "coordinator_d3": 404, "funder": 302}},
        body=lambda w: {"territory": w.hub.pk}),
}

# path argument → its value in the world (the hub's objects: what department C's coordinator must not reach).
ID_BUILDERS = {
    "territory_id": lambda w: w.hub.pk,
    "code": lambda w: w.d1.code,
    ("region", "code"): lambda w: w.r1.code,
    ("region_export", "code"): lambda w: w.r1.code,
    "organisation_id": lambda w: w.alpha.pk,
    "fmt": lambda w: "csv",
    "invitation_id": lambda w: w.invitation.pk,
    "ticket": lambda w: "0" * 64,
}


# Pages where the hub's coordinator reads Alpha's learners by design (Alpha shares its list with the hub).
LEARNER_PAGES = {"structure_learners"}


def _secrets(world, expected, name: str = "") -> dict[str, dict[str, str]]:
    """What each network visitor must never read: names and figures of areas outside what they may see, and
    Alpha's learner anywhere but on the list Alpha shares with the hub's coordinator."""
    hub_side = {"Alpha": "Alpha", "Beta": "Beta", "hub name": world.hub.name,
                **{f"{area} figure": str(expected[(area, "people_reached", False)])
                   for area in ("hub", "d1", "d2", "alpha", "beta")}}
    structures = {"Alpha": "Alpha", "Beta": "Beta", "Gamma": "Gamma",
                  **{f"{s} figure": str(expected[(s, "people_reached", False)]) for s in ("alpha", "beta", "gamma")}}
    learner = {"learner name": world.learner.first_name}
    return {"coordinator_d3": {**hub_side, **learner}, "funder": {**structures, **learner}, "national": learner,
            "coordinator": {"Gamma": "Gamma", "d3 figure": str(expected[("d3", "people_reached", False)]),
                            "gamma figure": str(expected[("gamma", "people_reached", False)]),
                            **({} if name in LEARNER_PAGES else learner)}}


def network_urls() -> list[tuple[str, list[str]]]:
    return sorted({name: kwargs for name, _route, kwargs in namespace_patterns("network") if name}.items())


def _build():
    world, expected = network_with_figures("7")
    world.learner = EnrolmentFactory(organisation=world.alpha, learner=LearnerFactory(first_name="Apprenante")).learner
    CoordinatorGrant.objects.create(organisation=world.alpha, territory=world.hub)
    world.token = "jeton-reseau-" + uuid.uuid4().hex
    world.invitation = NetworkInvitation.objects.create(
        email="invitee@exemple.fr", role=NetworkRole.FUNDER, territory=world.hub,
        token_hash=hashlib.sha256(world.token.encode()).hexdigest(), invited_by=world.admin,
        expires_at=timezone.now() + timedelta(days=7))
    users = {"anonymous": None, "learner": world.learner, "trainer": world.trainer, "national": world.admin,
             "coordinator": world.coordinator, "coordinator_d3": world.coordinator_d3, "funder": world.funder}
    world.clients = {}
    for visitor, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        world.clients[visitor] = client
    return world, expected


@pytest.fixture(scope="module")
def net(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, _build)


def _builder(name, kwarg):
    return ID_BUILDERS.get((name, kwarg)) or ID_BUILDERS.get(kwarg)


def _expected(route: Route, method: str, visitor: str) -> int:
    if visitor == "anonymous":
        return 302
    if visitor in ("learner", "trainer"):
        return 403
    return route.answers.get(method, {}).get(visitor, 200 if method == "GET" else 302)


def _call(client, method, url, data):
    from django.db import transaction

    with transaction.atomic():
        counts = row_counts()
        response = client.post(url, data) if method == "POST" else client.get(url, data)
        written = {t: n for t, n in row_counts().items() if counts[t] != n}
        transaction.set_rollback(True)
    return response, written


@pytest.mark.parametrize(("name", "kwargs"), network_urls(), ids=[n for n, _ in network_urls()])
def test_every_network_url_answers_each_kind_of_visitor_and_shows_nothing_outside_their_scope(net, db, name,
                                                                                             kwargs):
    world, expected = net
    route = ROUTES.get(name)
    assert route is not None, f"{name}: declare what it answers in ROUTES"
    missing = [k for k in kwargs if _builder(name, k) is None]
    assert not missing, f"{name}: add a builder to ID_BUILDERS for {missing}"
    url = reverse(f"network:{name}", kwargs={k: _builder(name, k)(world) for k in kwargs})
    secrets = _secrets(world, expected, name)
    problems = []
    for method in ("GET", "POST"):
        data = route.body(world) if method == "POST" and route.body else {}
        if method not in route.methods:
            response, _written = _call(world.clients["national"], method, url, data)
            if response.status_code != 405:
                problems.append(f"{method}: the view accepts it ({response.status_code}): declare its methods")
            continue
        for visitor in VISITORS:
            response, written = _call(world.clients[visitor], method, url, data)
            status, wanted = response.status_code, _expected(route, method, visitor)
            if status != wanted:
                problems.append(f"{method} {visitor}: {status}, expected {wanted}")
            if status >= 400 and written:
                problems.append(f"{method} {visitor}: refused ({status}) but wrote {written}")
            if visitor == "anonymous" and status == 302 and "/connexion/" not in response["Location"]:
                problems.append(f"{method} anonymous: sent to {response['Location']}, not to sign in")
            body = response_text(response) if status == 200 else ""
            found = sorted(label for label, secret in secrets.get(visitor, {}).items() if secret in body)
            if found:
                problems.append(f"{method} {visitor}: shows {found}")
    assert not problems, f"{url}:\n" + "\n".join(problems)


def test_every_declared_route_still_exists():
    assert set(ROUTES) <= {name for name, _ in network_urls()}, "remove the declarations of URLs that are gone"


def test_the_secrets_are_really_on_the_pages_of_those_who_may_read_them(net, db):
    """The absence checks prove something: the hub's coordinator reads Alpha and its figure on D1's page."""
    world, expected = net
    body = response_text(world.clients["coordinator"].get(reverse("network:department", args=[world.d1.code])))
    assert "Alpha" in body and str(expected[("alpha", "people_reached", False)]) in body
    body = response_text(world.clients["national"].get(reverse("network:department", args=[world.d3.code])))
    assert "Gamma" in body and str(expected[("gamma", "people_reached", False)]) in body
    body = response_text(world.clients["coordinator"].get(reverse("network:structure_learners",
                                                                  args=[world.alpha.pk])))
    assert world.learner.first_name in body


FORGED = {"a NUL byte": "\x00", "huge": "9" * 5000, "unknown": str(uuid.uuid4()), "emoji": "🙂" * 50}


@pytest.mark.parametrize("what", sorted(FORGED))
@pytest.mark.parametrize("name", ["territory", "region", "department", "structure", "structure_export",
                                  "department_export", "territory_export", "region_export", "structure_learners"])
def test_a_forged_id_or_code_is_a_404_for_everyone(net, db, name, what):
    world, _expected = net
    kwargs = {k: (FORGED[what] if k != "fmt" else "pdf") for k in
              dict(network_urls())[name]}
    url = reverse(f"network:{name}", kwargs=kwargs)
    for visitor in ("national", "coordinator"):
        assert world.clients[visitor].get(url).status_code == 404, (visitor, url)


@pytest.mark.parametrize("what", sorted(FORGED))
def test_revoking_a_forged_invitation_is_a_404(net, db, what):
    world, _expected = net
    url = reverse("network:invitation_revoke", args=[FORGED[what]])
    assert _call(world.clients["national"], "POST", url, {})[0].status_code == 404


# --- The public accept page ------------------------------------------------------------------------------------


def test_every_public_network_link_is_declared():
    assert {name for name, _route, _kwargs in namespace_patterns("network_join")} == {"invitation"}


@pytest.mark.parametrize("visitor", ["anonymous", "learner", "coordinator_d3"])
def test_the_invitation_page_opens_with_its_token_only(net, db, visitor):
    world, _expected = net
    client = world.clients[visitor]
    response = client.get(reverse("network_join:invitation", args=[world.token]))
    assert response.status_code == 200 and world.hub.name in response_text(response)
    for token in ("x" * 43, str(world.invitation.pk), world.invitation.token_hash, "a\x00b", "9" * 5000):
        for method in ("GET", "POST"):
            data = {"first_name": "Intrus", "password": "une phrase assez longue",
                    "password2": "une phrase assez longue"} if method == "POST" else {}
            response, written = _call(client, method, reverse("network_join:invitation", args=[token]), data)
            assert response.status_code == 404, (token[:20], method)
            assert not written and world.hub.name not in response_text(response)
