"""Every trainer URL × every kind of visitor, generated from the ``trainer`` URL namespace, checked by content.

Two organisations are built once for the module: « ours », whose people and objects carry words found nowhere
else (``Side.secrets()``: names, login codes, ids, note text, group name, e-mails…), and « theirs ». Every URL of
the namespace must be declared in ``ROUTES`` (what it answers) and be buildable (``ID_BUILDERS``); a new URL
fails until it is. Each URL is called with every method it accepts, GET with a query and POST with a plausible
body that names our objects (forged ids in fields, hidden fields and query parameters). Expected answers:

- anonymous → a redirect that lands on the sign-in page;
- our learner → 403;
- our trainer and admin → the declared answer (pages reserved to admins: 403 for a trainer);
- a trainer or an admin of another organisation, and a trainer of both organisations working for the other one →
  404 for a URL that names one of our objects (a forged id), their own organisation's page otherwise;
- the partner who sent us a person (a prescriber of a third organisation) → 403 except on their own referral
  pages, where they read what they sent and how far it got, nothing else of ours.

And for every visitor who is not one of ours: none of our secrets appears in the answer, nor where its redirects
land (HTML, CSV, PDF and XLSX bodies read), nothing of ours is written or changed (every row that belongs to our
organisation or names our people, compared field by field), nothing at all is written when the answer is 4xx
(row counts of every table), and no audit entry about us is written in their name.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ..coaching.world import (
    Side,
    build_side,
    built_once,
    leaks,
    namespace_patterns,
    response_text,
    run_cell,
    sent_text,
    side_extras,
)
from ..factories import MembershipFactory, StaffFactory

OURS = {"trainer", "admin"}
OTHERS = {"other_trainer", "other_admin", "trainer_of_both"}
ROLES = ["anonymous", "learner", "trainer", "admin", "other_trainer", "other_admin", "partner"]
Body = Callable[[Side, Side], dict]


@dataclass(frozen=True)
class Route:
    """What one trainer URL answers.

    ``forged``: the URL names one of our objects (in its path or in its POST body), so any other organisation
    gets 404. ``query`` / ``body``: the GET query and the POST body sent by everybody (naming our objects).
    ``ours_post`` / ``theirs_post``: what a POST answers to our staff / to another organisation's staff when the
    URL does not name our object (400: the body's forged ids are refused). ``shows``: secrets that our admin's
    page shows (so that their absence from another organisation's page proves something). ``public``: secrets
    the page shows to anyone by design."""

    methods: tuple[str, ...] = ("GET",)
    forged: bool = False
    admin_only: bool = False
    query: Body | None = None
    body: Body | None = None
    ours_post: frozenset = frozenset({302})
    theirs_post: frozenset = frozenset({302})
    shows: tuple[str, ...] = ()
    public: tuple[str, ...] = ()  # secrets this page shows to anyone by design (a structure's name, say)
    partner: dict | None = None  # answers by method to the partner who sent us a referral (default: 403)
    partner_sees: tuple[str, ...] = ()  # secrets of ours the partner reads there by design (what they sent)


def _workshop_body(ours, theirs):
    return {"title": "Atelier du lundi", "date": timezone.localdate().isoformat(), "start_time": "10:00",
            "duration_minutes": "90", "theme": "email", "level": "debutant", "group": ours.group.pk}


def _record_body(ours, theirs):
    return {"type": "individuel", "date": timezone.localdate().isoformat(), "duree": "30",
            "type_lieu": "lieu_activite", "thematiques": ["email"], "learner": ours.learner.pk,
            "atelier": ours.workshop.pk, "beneficiaire_genre": "non_communique",
            "beneficiaire_tranche_age": "non_communique", "beneficiaire_statut_social": "non_communique"}


def _import_body(ours, theirs):
    rows = f"Prénom;Nom\n{ours.learner.first_name};{ours.learner.last_name}\nAline;Martin\n"
    return {"file": SimpleUploadedFile("liste.csv", rows.encode(), content_type="text/csv")}


def _referral_body(ours, theirs):
    # To a structure nobody here belongs to: the partner who sent theirs a person.
    return {"token": str(uuid.uuid4()), "organisation": theirs.referral.from_organisation.pk, "first_name": "Lina",
            "themes": ["email"], "urgency": "normal", "consent": "on"}


def _covering_territory(ours, theirs):
    """A territory of the network covering our department (and theirs: both structures are in Angers)."""
    from tremplin.organisations.models import Territory

    territory, created = Territory.objects.get_or_create(name="Territoire de la matrice", kind="department")
    if created:
        territory.departments.set([ours.organisation.commune.department])
    return territory


def _coordination_body(ours, theirs):
    return {"territory": _covering_territory(ours, theirs).pk, "action": "partager",
            "organisation": ours.organisation.pk}


def _paper_body(ours, theirs):
    from tremplin.diagnostic.selectors import paper_form_versions

    return {version.item.slug: "0" for version in paper_form_versions()}


LEARNER = ("learner first name", "learner login code (display)")
# What the partner who sent us a person reads about that referral: what they sent, where, and how far it got.
SENT = ("organisation name", "organisation id", "organisation id (hex)", "referral first name", "referral id",
        "referral id (hex)", "referral reference", "referral note")
PARTNER_PAGE = {"GET": {200}, "POST": {302}}
ROUTES: dict[str, Route] = {
    # The organisation and its staff.
    "home": Route(shows=("workshop title",), partner={"GET": {302}}, partner_sees=SENT),  # to their referrals
    "organisation": Route(shows=("trainer first name", "admin e-mail")),
    "organisation_switch": Route(methods=("POST",), forged=True, partner={"POST": {404}}, body=lambda o, t: {
        "organisation": o.organisation.pk, "next": reverse("trainer:learners")}),
    "organisation_place": Route(methods=("GET", "POST"), admin_only=True, body=lambda o, t: {
        "nom": "Espace numérique", "adresse": "1 rue de la Paix", "code_postal": "49000",
        "organisation": o.organisation.pk}),
    "organisation_edit": Route(methods=("GET", "POST"), admin_only=True, shows=("organisation name",), body=lambda o, t: {
        "name": "Structure renommée", "type": "ASSO", "commune": "49007", "organisation": o.organisation.pk}),
    "organisation_invite": Route(methods=("POST",), admin_only=True, body=lambda o, t: {
        "email": "nouvelle.personne@exemple.fr", "role": "trainer", "organisation": o.organisation.pk}),
    "invitation_cancel": Route(methods=("POST",), forged=True, admin_only=True),
    "member_update": Route(methods=("POST",), forged=True, admin_only=True, body=lambda o, t: {"role": "admin"}),
    # Sharing the learner list with a territory's coordination (ADR 14, revised): each manager for their own
    # structure (another structure's manager granting the same territory grants it for theirs, never ours).
    "coordination": Route(methods=("GET", "POST"), admin_only=True, body=_coordination_body,
                          query=lambda o, t: {"territoire": _covering_territory(o, t).pk}),
    # Learners, cards, imports, duplicates, sharing, sign-up links.
    "learners": Route(query=lambda o, t: {"q": o.learner.first_name}, shows=LEARNER),
    "learners_export": Route(shows=LEARNER),
    "learner_enrol": Route(methods=("GET", "POST"), ours_post=frozenset({200}), theirs_post=frozenset({200}),
                           body=lambda o, t: {"first_name": o.learner.first_name,
                                              "last_name": o.learner.last_name}),
    # A code without its PIN (with both, the person is there and agrees: enrolling them is the point).
    "learner_enrol_existing": Route(methods=("GET", "POST"), ours_post=frozenset({400}),
                                    theirs_post=frozenset({400}),
                                    body=lambda o, t: {"code": o.learner.login_code_display, "pin": "0000"}),
    "import_upload": Route(methods=("GET", "POST"), body=_import_body),
    "import_preview": Route(methods=("GET", "POST"), forged=True, shows=("import row 0 first name",)),
    "cards": Route(),
    "cards_pdf": Route(query=lambda o, t: {"apprenant": o.learner.pk}, shows=LEARNER),
    "cards_forget": Route(methods=("POST",)),
    "cards_reprint": Route(methods=("GET", "POST"), theirs_post=frozenset({400}), shows=LEARNER,
                           query=lambda o, t: {"q": o.learner.first_name},
                           body=lambda o, t: {"learners": [o.learner.pk, o.twin.pk], "confirm": "on"}),
    "duplicates": Route(shows=("learner first name", "twin login code (display)")),
    "duplicates_merge": Route(methods=("POST",), forged=True, body=lambda o, t: {
        "kept": o.learner.pk, "duplicates": [o.twin.pk]}),
    "learner_account": Route(forged=True, shows=LEARNER),
    "learner_pin_reset": Route(methods=("POST",), forged=True, ours_post=frozenset({200})),
    "learner_share": Route(methods=("POST",), forged=True, body=lambda o, t: {
        "organisation": t.organisation.pk, "consent": "on"}),
    "signup_links": Route(methods=("GET", "POST"), shows=("signup link label",),
                          body=lambda o, t: {"label": "Atelier du jeudi", "hours": "24"}),
    "signup_link": Route(forged=True, shows=("signup link label", "signup link token")),
    # Groups, workshops, assignments.
    "group_list": Route(shows=("group name",)),
    "group_create": Route(methods=("GET", "POST"), theirs_post=frozenset({400}), shows=LEARNER,
                          body=lambda o, t: {"name": "Groupe du soir", "members": [o.learner.pk]}),
    "group_detail": Route(methods=("GET", "POST"), forged=True, shows=("group name", *LEARNER),
                          body=lambda o, t: {"name": o.group.name, "members": [o.learner.pk, o.twin.pk]}),
    "workshop_list": Route(shows=("workshop title",)),
    "workshop_create": Route(methods=("GET", "POST"), theirs_post=frozenset({400}), shows=("group name",),
                             query=lambda o, t: {"groupe": o.group.pk}, body=_workshop_body),
    "workshop_detail": Route(forged=True, shows=("workshop title", "learner first name")),
    "workshop_attendance": Route(methods=("GET", "POST"), forged=True, shows=("learner first name",),
                                 body=lambda o, t: {"present": [o.learner.pk, o.twin.pk]}),
    "assignment_list": Route(shows=("group name",)),
    "assignment_create": Route(methods=("GET", "POST"), theirs_post=frozenset({400}), shows=("group name", *LEARNER),
                               query=lambda o, t: {"pour": f"learner:{o.learner.pk}"},
                               body=lambda o, t: {"content": f"module:{o.assignment.module.slug}",
                                                  "target": f"learner:{o.learner.pk}"}),
    "assignment_delete": Route(methods=("POST",), forged=True),
    # Follow-up and records.
    "followup_grid": Route(query=lambda o, t: {"groupe": o.group.pk}, shows=("learner first name",)),
    "followup_export": Route(query=lambda o, t: {"groupe": o.group.pk}, shows=("learner first name",)),
    "followup_learner": Route(forged=True, shows=("learner first name", "note text")),
    "note_add": Route(methods=("POST",), forged=True, body=lambda o, t: {"text": "Revient jeudi."}),
    "record_list": Route(shows=("learner first name",)),
    "record_create": Route(methods=("GET", "POST"), theirs_post=frozenset({400}), shows=("workshop title",),
                           query=lambda o, t: {"apprenant": o.learner.pk, "atelier": o.workshop.pk},
                           body=_record_body),
    "record_export": Route(),
    # Referrals: ours received one from a partner (a third organisation).
    "referral_sent_list": Route(partner=PARTNER_PAGE, partner_sees=SENT),
    "referral_create": Route(methods=("GET", "POST"), body=_referral_body, partner=PARTNER_PAGE,
                             public=("organisation name", "organisation id", "organisation id (hex)")),  # any
    "referral_slip": Route(forged=True, partner=PARTNER_PAGE, partner_sees=SENT),
    "referral_list": Route(shows=("referral first name",)),
    "referral_detail": Route(forged=True, shows=("referral first name", "referral note")),
    "referral_act": Route(methods=("POST",), forged=True, body=lambda o, t: {"action": "accept"}),
    "record_detail": Route(forged=True, shows=("learner first name",)),
    # The curriculum, shared by every organisation.
    "content_catalogue": Route(),
    "content_guide": Route(),
    "content_guide_pdf": Route(),
    "content_handout_pdf": Route(),
    # The diagnostic.
    "diagnostic_overview": Route(shows=("learner first name",)),
    "diagnostic_paper_pdf": Route(),
    "diagnostic_learner": Route(forged=True, shows=("learner first name",)),
    "diagnostic_accompanied_start": Route(methods=("POST",), forged=True),
    "diagnostic_paper_entry": Route(methods=("GET", "POST"), forged=True, shows=("learner first name",),
                                    body=_paper_body),
    "diagnostic_session_sheet": Route(forged=True, shows=("learner first name", "learner last name")),
    # Personal data (issue 16): a copy and erasure on the person's behalf; erasures; the admins' audit log.
    "learner_data": Route(forged=True, shows=("learner first name",)),
    "learner_data_pdf": Route(forged=True, shows=("learner first name",)),
    "learner_data_json": Route(forged=True, shows=("learner first name", "note text")),
    "learner_erase": Route(methods=("POST",), forged=True, body=lambda o, t: {"confirm": "oui", "everywhere": "oui"}),
    "erasures": Route(),
    "journal": Route(admin_only=True, query=lambda o, t: {"action": "learner.pin_reset"},
                       shows=("trainer first name", "learner first name")),
    "journal_export": Route(admin_only=True),
}

# Deliberate exceptions: (url name, method, role) → answers, each with its reason.
OVERRIDES = {
    # An import is visible to the person who uploaded it only (it holds their file).
    ("import_preview", "GET", "admin"): {404}, ("import_preview", "POST", "admin"): {404},
    # Cards carry secret PINs kept in the printing trainer's session only: our trainer has one waiting (see
    # _build), nobody else has any.
    **{("cards_pdf", "GET", role): {404} for role in ("admin", *OTHERS)},
    # The slip belongs to the partner who sent the person: we received the referral, we did not send it.
    ("referral_slip", "GET", "trainer"): {404}, ("referral_slip", "GET", "admin"): {404},
    # A trainer of both organisations may switch to ours: that is what the switch is for.
    ("organisation_switch", "POST", "trainer_of_both"): {302},
}
# Cells where the visitor legitimately reads our data (they just became one of ours).
ACTS_FOR_US = {("organisation_switch", "POST", "trainer_of_both")}

# kwarg, or (url name, kwarg) → the id of that object in an organisation's fixture.
ID_BUILDERS = {
    "group_id": lambda s: s.group.pk,
    "workshop_id": lambda s: s.workshop.pk,
    "assignment_id": lambda s: s.assignment.pk,
    "learner_id": lambda s: s.learner.pk,
    "accompaniment_id": lambda s: s.accompaniment.pk,
    "note_id": lambda s: s.note.pk,
    "referral_id": lambda s: s.referral.pk,
    "slug": lambda s: s.assignment.module.slug,
    "session_id": lambda s: s.diagnostic_session.pk,
    ("member_update", "user_id"): lambda s: s.trainer.pk,
    ("learner_account", "pk"): lambda s: s.learner.pk,
    ("learner_pin_reset", "pk"): lambda s: s.learner.pk,
    ("learner_share", "pk"): lambda s: s.learner.pk,
    ("learner_data", "pk"): lambda s: s.learner.pk,
    ("learner_data_pdf", "pk"): lambda s: s.learner.pk,
    ("learner_data_json", "pk"): lambda s: s.learner.pk,
    ("learner_erase", "pk"): lambda s: s.learner.pk,
    ("invitation_cancel", "pk"): lambda s: s.invitation.pk,
    ("import_preview", "pk"): lambda s: s.learner_import.pk,
    ("signup_link", "pk"): lambda s: s.signup_link.pk,
}
# Path arguments that name shared, non-tenant things (a curriculum module's slug).
SHARED_KWARGS = {"slug"}


# --- The URLs --------------------------------------------------------------------------------------------------


def trainer_urls() -> list[tuple[str, list[str]]]:
    return sorted({name: kwargs for name, _route, kwargs in namespace_patterns("trainer") if name}.items())


def _builder(name: str, kwarg: str):
    return ID_BUILDERS.get((name, kwarg)) or ID_BUILDERS.get(kwarg)


def test_every_trainer_url_pattern_has_a_name_so_that_the_matrix_covers_it():
    unnamed = [route for name, route, _kwargs in namespace_patterns("trainer") if not name]
    assert not unnamed, f"name these trainer URL patterns so that the isolation matrix builds them: {unnamed}"


def test_every_declared_route_still_exists():
    assert set(ROUTES) <= {name for name, _ in trainer_urls()}, "remove the declarations of URLs that are gone"


# --- The two organisations, built once -------------------------------------------------------------------------


def _with_diagnostic(side: Side) -> Side:
    """A completed paper diagnostic for the side's learner."""
    from tremplin.diagnostic.selectors import paper_form_versions
    from tremplin.diagnostic.services import paper_session_record

    answers = {v.item.slug: 0 for v in paper_form_versions()}
    side.diagnostic_session = paper_session_record(learner=side.learner, trainer=side.trainer, answers=answers)
    return side


def _build(loaded_rows):
    loaded_rows("fixture_content").restore()
    loaded_rows("real_bank").restore()
    ours = _with_diagnostic(side_extras(build_side("Nous", marked=True)))
    theirs = _with_diagnostic(side_extras(build_side("Eux")))
    # A trainer of both organisations, working for theirs: what they see there must not come from ours.
    both = StaffFactory(first_name="Deux structures")
    MembershipFactory(organisation=theirs.organisation, user=both)
    MembershipFactory(organisation=ours.organisation, user=both)
    ours.clients = _signed_in_clients(ours, theirs, both)
    # Our trainer gives our learner a new PIN: a card waits to be printed in their session only.
    trainer = ours.clients["trainer"][0]
    assert trainer.post(reverse("trainer:learner_pin_reset", args=[ours.learner.pk])).status_code == 200
    ours.clients["trainer"] = (trainer, copy.deepcopy(trainer.cookies))
    ours.learner.refresh_from_db()  # a new card token too
    learner = ours.clients["learner"][0]
    learner.force_login(ours.learner)  # a new PIN signs the person out everywhere
    ours.clients["learner"] = (learner, copy.deepcopy(learner.cookies))
    return ours, theirs, both


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, loaded_rows):
    yield from built_once(django_db_blocker, lambda: _build(loaded_rows))


# --- One cell ----------------------------------------------------------------------------------------------------


def _signed_in_clients(ours, theirs, both) -> dict:
    """One client per role, signed in once for the module (their sessions live as long as the data)."""
    clients = {}
    users = {"anonymous": None, "learner": ours.learner, "trainer": ours.trainer, "admin": ours.admin,
             "other_trainer": theirs.trainer, "other_admin": theirs.admin, "trainer_of_both": both,
             "partner": ours.referral.sent_by}
    for role, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        if role == "trainer_of_both":
            switched = client.post(reverse("trainer:organisation_switch"), {"organisation": theirs.organisation.pk})
            assert switched.status_code == 302
        clients[role] = (client, copy.deepcopy(client.cookies))
    return clients


def _client(role, ours, theirs, both) -> Client:
    """The role's client, with the cookies it had once signed in (a cell's messages or new session are dropped;
    what a cell wrote in the session table was rolled back with it)."""
    client, cookies = ours.clients[role]
    client.cookies = copy.deepcopy(cookies)
    return client


def _expected(name: str, route: Route, method: str, role: str) -> set[int]:
    if (name, method, role) in OVERRIDES:
        return OVERRIDES[(name, method, role)]
    if role == "anonymous":
        return {302}
    if role == "learner":
        return {403}
    if role == "partner":
        return set((route.partner or {}).get(method, {403}))
    if route.admin_only and role in {"trainer", "other_trainer", "trainer_of_both"}:
        return {403}
    if role in OURS:
        return {200} if method == "GET" else set(route.ours_post)
    if route.forged:
        return {404}
    return {200} if method == "GET" else set(route.theirs_post)


def _check(name, route, method, role, url, data, cell, ours) -> list[str]:
    problems = []
    status = cell.response.status_code
    if status not in _expected(name, route, method, role):
        problems.append(f"{role}: {status}, expected {sorted(_expected(name, route, method, role))}")
    if role == "anonymous":
        final = urlsplit(cell.landing[-1][0]).path if cell.landing else ""
        if final != reverse("accounts:learner_login") or cell.landing[-1][1].status_code != 200:
            problems.append(f"anonymous: lands on {final or 'nothing'}, not on the sign-in page")
    if role in OURS or (name, method, role) in ACTS_FOR_US:
        return problems
    # Not one of ours: nothing of ours written, and (if refused) nothing written at all.
    if cell.ours_changed:
        problems.append(f"{role}: changed our rows in {cell.ours_changed}")
    if status >= 400 and cell.counts_changed:
        problems.append(f"{role}: refused ({status}) but wrote {cell.counts_changed}")
    if cell.audit_about_us:
        problems.append(f"{role}: {cell.audit_about_us} audit entries about our organisation in their name")
    if role == "learner":
        return problems
    allowed = set(route.public) | (set(route.partner_sees) if role == "partner" else set())
    secrets = {k: v for k, v in ours.secrets().items() if k not in allowed}
    if role == "trainer_of_both":  # they belong to ours too: the navigation's organisation switch names it
        for label in ("organisation name", "organisation id", "organisation id (hex)"):
            secrets.pop(label, None)
    sent = sent_text(url, data)
    for where, response in [(url, cell.response), *cell.landing]:
        if role != "anonymous" and where != url and response.status_code != 200:
            problems.append(f"{role}: a redirect lands on {where} answering {response.status_code}")
        found = leaks(response_text(response), secrets, sent=sent)
        if found:
            problems.append(f"{role}: {where} shows our {found}")
    return problems


def _url_and_route(name, kwargs, ours):
    route = ROUTES.get(name)
    assert route is not None, f"{name}: declare what it answers in ROUTES"
    missing = [k for k in kwargs if _builder(name, k) is None]
    assert not missing, f"{name}: add a builder to ID_BUILDERS for {missing}"
    assert route.forged or not set(kwargs) - SHARED_KWARGS, f"{name} names an object in its path: forged=True"
    return reverse(f"trainer:{name}", kwargs={k: _builder(name, k)(ours) for k in kwargs}), route


def _data(route, method, ours, theirs) -> dict:
    maker = route.body if method == "POST" else route.query
    return maker(ours, theirs) if maker else {}


@pytest.mark.parametrize(("name", "kwargs"), trainer_urls(), ids=[n for n, _ in trainer_urls()])
def test_every_trainer_url_answers_each_kind_of_visitor_and_shows_no_other_organisation_anything(
        world, db, name, kwargs):
    ours, theirs, both = world
    url, route = _url_and_route(name, kwargs, ours)
    problems = []
    for method in ("GET", "POST"):
        for role in ("admin", *(r for r in ROLES if r != "admin")):
            data = _data(route, method, ours, theirs)
            client = _client(role, ours, theirs, both)
            cell = run_cell(client, method, url, data, ours, _user(role, ours, theirs, both))
            if role == "admin" and (cell.response.status_code == 405) == (method in route.methods):
                problems.append(f"{method}: the view {'refuses' if method in route.methods else 'accepts'} it: "
                                "declare its methods")
            if method not in route.methods:
                break  # our admin was told 405: nobody else is asked
            problems += [f"{method} {p}" for p in _check(name, route, method, role, url, data, cell, ours)]
            if role == "admin" and method == "GET" and cell.response.status_code == 200:
                secrets = ours.secrets()
                shown = leaks(response_text(cell.response), {k: secrets[k] for k in route.shows})
                if sorted(route.shows) != shown:
                    problems.append(f"admin: GET shows {shown} of {sorted(route.shows)}: the absence check proves "
                                    "nothing unless our admin sees them")
    assert not problems, f"{url}:\n" + "\n".join(problems)


def _user(role, ours, theirs, both):
    return {"anonymous": None, "learner": ours.learner, "trainer": ours.trainer, "admin": ours.admin,
            "other_trainer": theirs.trainer, "other_admin": theirs.admin, "trainer_of_both": both,
            "partner": ours.referral.sent_by}[role]


@pytest.mark.parametrize(("name", "kwargs"), trainer_urls(), ids=[n for n, _ in trainer_urls()])
def test_a_trainer_of_two_organisations_working_for_the_other_one_sees_nothing_of_ours(world, db, name, kwargs):
    ours, theirs, both = world
    url, route = _url_and_route(name, kwargs, ours)
    problems = []
    for method in route.methods:
        data = _data(route, method, ours, theirs)
        cell = run_cell(_client("trainer_of_both", ours, theirs, both), method, url, data, ours, both)
        problems += [f"{method} {p}" for p in _check(name, route, method, "trainer_of_both", url, data, cell, ours)]
    assert not problems, f"{url}:\n" + "\n".join(problems)


# --- The public links: invitations and workshop sign-up -------------------------------------------------------

JOIN_TOKENS = {"invitation": lambda s: s.invitation_token, "signup": lambda s: s.signup_link.token}
JOIN_BODIES = {
    "invitation": {"first_name": "Intrus", "password": "une phrase assez longue", "password2": "une phrase assez longue"},
    "signup": {"first_name": "Intrus"},
}
# What a link's page says by design to whoever holds the link.
JOIN_SHOWS = {"invitation": {"organisation name", "invitation e-mail", "admin first name", "admin e-mail"},
              "signup": {"organisation name", "signup link label", "signup link token"}}


def test_every_public_link_is_declared():
    names = {name for name, _route, _kwargs in namespace_patterns("join")}
    assert names == set(JOIN_TOKENS), "declare every join: URL (token, body, what it shows) in this file"


@pytest.mark.parametrize("name", sorted(JOIN_TOKENS))
def test_a_public_link_opens_with_its_token_only_and_shows_nothing_else(world, db, name):
    ours, theirs, both = world
    secrets = ours.secrets()
    forged_tokens = {
        "random": "x" * 43, "an id": str(ours.invitation.pk if name == "invitation" else ours.signup_link.pk),
        "a hash": ours.invitation.token_hash, "the other link's": ours.signup_link.token if name == "invitation"
        else ours.invitation_token}
    problems = []
    for role in ("anonymous", "learner", "other_trainer", "other_admin"):
        url = reverse(f"join:{name}", args=[JOIN_TOKENS[name](ours)])
        cell = run_cell(_client(role, ours, theirs, both), "GET", url, {}, ours, None)
        if cell.response.status_code != 200:
            problems.append(f"{role}: the real link answers {cell.response.status_code}")
        found = leaks(response_text(cell.response), {k: v for k, v in secrets.items() if k not in JOIN_SHOWS[name]},
                      sent=url)
        if found:
            problems.append(f"{role}: the real link shows {found}")
        for what, token in forged_tokens.items():
            url = reverse(f"join:{name}", args=[token])
            for method in ("GET", "POST"):
                data = dict(JOIN_BODIES[name]) if method == "POST" else {}
                cell = run_cell(_client(role, ours, theirs, both), method, url, data, ours, None)
                if cell.response.status_code != 404:
                    problems.append(f"{role}: {method} with {what} token answers {cell.response.status_code}")
                if cell.ours_changed or cell.counts_changed:
                    problems.append(f"{role}: {method} with {what} token wrote {cell.ours_changed} "
                                    f"{cell.counts_changed}")
                found = leaks(response_text(cell.response), secrets, sent=url)
                if found:
                    problems.append(f"{role}: {method} with {what} token shows {found}")
    assert not problems, "\n".join(problems)


def test_the_matrix_reads_every_kind_of_body_it_meets():
    """A CSV, a PDF and an XLSX carrying a secret are all caught (the check itself can fail)."""
    import io

    from django.http import HttpResponse
    from openpyxl import Workbook
    from weasyprint import HTML

    from tremplin.lib.pdf import pdf_response

    secret = {"name": "ZorglubTest42"}
    csv = HttpResponse("\ufeffPrénom;Nom\nZorglubTest42;X\n", content_type="text/csv; charset=utf-8")
    book, out = Workbook(), io.BytesIO()
    book.active.append(["ZorglubTest42"])
    book.save(out)
    xlsx = HttpResponse(out.getvalue(), content_type="application/vnd.openxmlformats-officedocument"
                                                     ".spreadsheetml.sheet")
    pdf = pdf_response(HTML(string="<p>Prénom : ZorglubTest42</p>").write_pdf(), "x.pdf")
    for response in (csv, xlsx, pdf):
        assert leaks(response_text(response), secret) == ["name"], response["Content-Type"]
    assert leaks(response_text(csv), secret, sent="?q=ZorglubTest42") == []
