"""Every learner URL (``/apprendre/…``) × every kind of visitor, generated from the ``learner`` URL namespace.

One learner, the « owner », has everything a learner can own, each carrying words found nowhere else: a
diagnostic in progress and one completed, a simulator attempt running and one finished, a CV, a completed
module. Every URL of the namespace must be declared in ``ROUTES`` and buildable (``ID_BUILDERS``); a new URL
fails until it is. Each URL is called with every method it accepts, by:

- the owner → the declared answer;
- another learner of the same organisation → 404 for a URL that names one of the owner's things (missing and
  forbidden look the same), their own page otherwise;
- a trainer of the owner's organisation → 403 (learner screens are for learners);
- anonymous → a redirect that lands on the sign-in page, except on the pages open to people without an account
  (ADR 10), where they are answered as another learner; public images answer 200 to everybody.

For everybody but the owner: none of the owner's secrets appears in the answer or where its redirects land
(HTML, PDF… read), nothing of the owner is written or changed, and nothing at all is written on a 4xx answer.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tremplin.catalog.models import ModuleAsset
from tremplin.diagnostic.models import DiagnosticImage
from tremplin.progress.enums import ObjectType, Verb

from ..coaching.world import (
    REDIRECTS,
    build_side,
    built_once,
    leaks,
    mark,
    namespace_patterns,
    response_text,
    run_cell,
    sent_text,
)
from ..factories import EnrolmentFactory, LearnerFactory

ROLES = ["owner", "classmate", "trainer", "anonymous"]
OWNER = ("learner first name",)


@dataclass(frozen=True)
class Route:
    """What one learner URL answers. ``forged``: it names one of the owner's things (404 for anyone else).
    ``public``: open to everybody (shared content, images). ``owner`` / ``others``: answers by method to the owner / to
    another learner. ``body``: the POST body. ``shows``: owner secrets the owner's GET page shows."""

    methods: tuple[str, ...] = ("GET",)
    forged: bool = False
    public: bool = False
    open: bool = False  # also for people without an account (ADR 10): anonymous is answered as another learner
    owner: dict | None = None
    others: dict | None = None
    body: object = None
    shows: tuple[str, ...] = ()

    def answers(self, method: str, role: str) -> set[int]:
        default = {"GET": {200}, "POST": {302}}[method]
        if role == "owner":
            return set((self.owner or {}).get(method, default))
        if self.forged:
            return {404}
        return set((self.others or self.owner or {}).get(method, default))


def _step_body(w):
    return {"event_id": str(uuid.uuid4()), "action": "next"}


def _question_body(w):
    version = w.open_version
    return {"item": version.item.slug, "version": version.version, "action": "skip"}  # « Je ne sais pas »


def _run_body(w):
    return {"screen": w.running.screen, "action": "suivant"}


def _listen_sha(module, number):
    from tremplin.catalog.selectors import steps_of
    from tremplin.learner.views_listen import speech_key, step_speech

    return speech_key(step_speech(steps_of(module=module)[number - 1]))[:16]


REDIRECT = {"GET": {302}}
ROUTES: dict[str, Route] = {
    "home": Route(open=True),
    "track": Route(open=True),
    "module": Route(open=True),
    "step": Route(methods=("GET", "POST"), open=True, body=_step_body),
    "module_complete": Route(open=True, others=REDIRECT),  # not completed by another: back to the module
    "attestation": Route(others=REDIRECT, shows=OWNER),
    "asset": Route(public=True),
    "listen_step": Route(open=True),  # a step read aloud (ADR 13): shared content, like the step itself
    # Installable and offline (ADR 18): the same file for everybody, nothing about anyone.
    "service_worker": Route(public=True),
    "web_manifest": Route(public=True),
    "offline_texts": Route(public=True),
    "handout": Route(open=True),
    "keep": Route(methods=("GET", "POST"), owner=REDIRECT | {"POST": {302}}, body=lambda w: {"first_name": "Lina"}),
    "attach": Route(methods=("POST",), body=lambda w: {"action": "add"}),
    "diagnostic": Route(methods=("GET", "POST"), open=True),
    "diagnostic_question": Route(methods=("GET", "POST"), forged=True, body=_question_body),
    # The profile is answered already: back to the questions.
    "diagnostic_profile": Route(methods=("GET", "POST"), forged=True, owner=REDIRECT | {"POST": {302}},
                                body=lambda w: {"action": "skip"}),
    "diagnostic_results": Route(forged=True),
    "diagnostic_sheet": Route(forged=True, shows=OWNER),
    "diagnostic_image": Route(public=True),
    "simulators": Route(open=True),
    "simulator": Route(open=True),
    "simulator_start": Route(methods=("POST",), open=True, body=lambda w: {"mode": "guided"}),
    "simulator_run": Route(methods=("GET", "POST"), forged=True, owner={"GET": {200}, "POST": {302, 400}},
                           body=_run_body),
    "simulator_quit": Route(methods=("POST",), forged=True),
    "simulator_result": Route(forged=True),
    "cv_home": Route(),
    "cv_preview": Route(others=REDIRECT, shows=("cv target job", "cv e-mail")),  # no CV yet: its first section
    "cv_pdf": Route(others=REDIRECT, shows=("cv target job",)),
    "cv_live_preview": Route(methods=("POST",), owner={"POST": {200}}, shows=(),
                             body=lambda w: {"target_job": "Cariste"}),
    "cv_section": Route(methods=("GET", "POST"), shows=("cv e-mail",), body=lambda w: {
        "first_name": "Lina", "last_name": "Martin", "phone": "06 12 34 56 78", "email": "lina.martin@exemple.fr"}),
    # « Mon compte » (issue 16): each person reads and erases only their own account.
    "account": Route(shows=("learner login code (display)",)),
    "account_pdf": Route(shows=OWNER),
    "account_json": Route(shows=OWNER),
    # Without the box ticked nothing is erased (400); with it, a person can only ever erase their own account
    # (request.user: tests/privacy), which would move their enrolment in the owner's structure here.
    "account_erase": Route(methods=("GET", "POST"), owner={"GET": {200}, "POST": {400}}, body=lambda w: {}),
    "account_erased": Route(open=True, owner=REDIRECT, others=REDIRECT),  # no erasure in this session: home
}

ID_BUILDERS = {
    ("track", "slug"): lambda w: w.module.track.slug,
    ("simulator", "slug"): lambda w: w.simulator.slug,
    ("simulator_start", "slug"): lambda w: w.simulator.slug,
    ("listen_step", "sha"): lambda w: _listen_sha(w.module, 1),
    ("asset", "slug"): lambda w: w.asset.module.slug,
    ("asset", "sha"): lambda w: w.asset.sha,
    ("asset", "name"): lambda w: w.asset.name,
    ("diagnostic_image", "sha"): lambda w: w.image.sha,
    ("diagnostic_image", "name"): lambda w: w.image.name,
    "slug": lambda w: w.module.slug,
    "number": lambda w: 1,
    "section_slug": lambda w: "contact",
    ("diagnostic_question", "session_id"): lambda w: w.open_session.pk,
    ("diagnostic_profile", "session_id"): lambda w: w.open_session.pk,
    "session_id": lambda w: w.completed_session.pk,
    ("simulator_result", "attempt_id"): lambda w: w.finished.pk,
    "attempt_id": lambda w: w.running.pk,
}
# Path arguments that name shared things (curriculum, simulators, images, CV sections), not the owner's.
SHARED_KWARGS = {"slug", "number", "sha", "name", "section_slug"}


def learner_urls() -> list[tuple[str, list[str]]]:
    return sorted({name: kwargs for name, _route, kwargs in namespace_patterns("learner") if name}.items())


def test_every_learner_url_pattern_has_a_name_so_that_the_matrix_covers_it():
    unnamed = [route for name, route, _kwargs in namespace_patterns("learner") if not name]
    assert not unnamed, f"name these learner URL patterns so that the isolation matrix builds them: {unnamed}"


def test_every_declared_learner_route_still_exists():
    assert set(ROUTES) <= {name for name, _ in learner_urls()}, "remove the declarations of URLs that are gone"


# --- The owner and the others, built once -------------------------------------------------------------------


class World:
    pass


def _build(loaded_rows) -> World:
    from tremplin.cv.services import cv_update
    from tremplin.diagnostic.selectors import next_version_for, paper_form_versions
    from tremplin.diagnostic.services import paper_session_record, session_profile_save, session_start
    from tremplin.progress.services import event_record
    from tremplin.simulators.models import Simulator
    from tremplin.simulators.services import attempt_finish, attempt_start

    for loader in ("fixture_content", "real_bank", "real_simulators"):
        loaded_rows(loader).restore()
    w = World()
    w.side = build_side("Nous", marked=True)
    w.owner, w.trainer = w.side.learner, w.side.trainer
    w.classmate = EnrolmentFactory(organisation=w.side.organisation, learner=LearnerFactory()).learner
    w.module = w.side.assignment.module
    w.asset = ModuleAsset.objects.select_related("module").first()
    w.image = DiagnosticImage.objects.first()
    w.simulator = Simulator.objects.filter(is_active=True).first()
    w.completed_session = paper_session_record(learner=w.owner, trainer=w.trainer,
                                               answers={v.item.slug: 0 for v in paper_form_versions()})
    w.open_session = session_start(learner=w.owner)
    session_profile_save(session=w.open_session, profile={})  # its questions are next: an answer can be posted
    w.open_version = next_version_for(w.open_session)
    w.running = attempt_start(learner=w.owner, simulator=w.simulator, mode="practice")
    w.finished = attempt_finish(attempt=attempt_start(learner=w.owner, simulator=w.simulator, mode="check"))
    event_record(learner=w.owner, event_id=uuid.uuid4(), verb=Verb.COMPLETED, object_type=ObjectType.MODULE,
                 object_id=w.module.slug, module=w.module)
    job, email = mark("Metier"), f"{mark('cv').lower()}@exemple.fr"
    cv_update(learner=w.owner, values={"target_job": job, "contact": {
        "first_name": w.owner.first_name, "last_name": w.owner.last_name, "email": email, "phone": "0611223344"}})
    w.side.diagnostic_session = w.completed_session
    w.side.extra_secrets = {"open session id": str(w.open_session.pk), "running attempt id": str(w.running.pk),
                            "finished attempt id": str(w.finished.pk), "cv target job": job, "cv e-mail": email}
    assert all([w.asset, w.image, w.simulator, w.open_version])
    w.clients = _signed_in_clients(w)
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, loaded_rows):
    yield from built_once(django_db_blocker, lambda: _build(loaded_rows))


def _signed_in_clients(w) -> dict:
    """One client per role, signed in once for the module (their sessions live as long as the data)."""
    clients = {}
    for role, user in {"owner": w.owner, "classmate": w.classmate, "trainer": w.trainer, "anonymous": None}.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        clients[role] = (client, copy.deepcopy(client.cookies))
    return clients


def _client(w, role) -> Client:
    """The role's client with the cookies it had once signed in (what a cell wrote was rolled back)."""
    client, cookies = w.clients[role]
    client.cookies = copy.deepcopy(cookies)
    return client


def _expected(route: Route, method: str, role: str) -> set[int]:
    if route.public:
        return {200}
    if role == "anonymous":
        return route.answers(method, "classmate") if route.open else {302}
    if role == "trainer":
        return {403}
    return route.answers(method, role)


@pytest.mark.parametrize(("name", "kwargs"), learner_urls(), ids=[n for n, _ in learner_urls()])
def test_every_learner_url_answers_each_kind_of_visitor_and_shows_nobody_the_owners_things(world, db, name, kwargs):
    w = world
    route = ROUTES.get(name)
    assert route is not None, f"{name}: declare what it answers in ROUTES"
    builders = {k: ID_BUILDERS.get((name, k)) or ID_BUILDERS.get(k) for k in kwargs}
    assert None not in builders.values(), f"{name}: add a builder to ID_BUILDERS for {kwargs}"
    assert route.forged or not set(kwargs) - SHARED_KWARGS, f"{name} names the owner's things: forged=True"
    url = reverse(f"learner:{name}", kwargs={k: b(w) for k, b in builders.items()})
    secrets = w.side.secrets()
    owner_secrets = {k: v for k, v in secrets.items() if k.startswith(("learner", "cv", "open", "running",
                                                                     "finished", "diagnostic session"))}
    problems = []
    for method in ("GET", "POST"):
        for role in ROLES:
            data = route.body(w) if method == "POST" and route.body else {}
            user = {"owner": w.owner, "classmate": w.classmate, "trainer": w.trainer}.get(role)
            cell = run_cell(_client(w, role), method, url, data, w.side, user)
            status = cell.response.status_code
            if role == "owner" and (status == 405) == (method in route.methods):
                problems.append(f"{method}: the view {'refuses' if method in route.methods else 'accepts'} it: "
                                "declare its methods")
            if method not in route.methods:
                break
            if status not in _expected(route, method, role):
                problems.append(f"{method} {role}: {status}, expected {sorted(_expected(route, method, role))}")
            if role == "owner":
                if method == "GET" and status == 200:
                    shown = leaks(response_text(cell.response), {k: secrets[k] for k in route.shows})
                    if shown != sorted(route.shows):
                        problems.append(f"GET owner: shows {shown} of {sorted(route.shows)}: the absence check "
                                        "proves nothing unless the owner sees them")
                continue
            if role == "anonymous" and not route.public and not route.open:
                final = urlsplit(cell.landing[-1][0]).path if cell.landing else ""
                if final != reverse("accounts:learner_login"):
                    problems.append(f"{method} anonymous: lands on {final or 'nothing'}, not on the sign-in page")
            if cell.ours_changed:
                problems.append(f"{method} {role}: changed the owner's rows in {cell.ours_changed}")
            if status >= 400 and cell.counts_changed:
                problems.append(f"{method} {role}: refused ({status}) but wrote {cell.counts_changed}")
            for where, response in [(url, cell.response), *cell.landing]:
                if response.status_code in REDIRECTS:
                    continue
                found = leaks(response_text(response), owner_secrets, sent=sent_text(url, data))
                if found:
                    problems.append(f"{method} {role}: {where} shows the owner's {found}")
    assert not problems, f"{url}:\n" + "\n".join(problems)
