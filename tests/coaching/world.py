"""Builds two organisations with one object of each coaching kind, for scoping and isolation tests.

``build_side("A")`` gives readable names ("Apprenant A", "Atelier A"…). ``build_side(..., marked=True)`` gives
every person and object a text found nowhere else ("ZorglubPrenom3fa9c1"…), so that a test can look for them in
any page, CSV or PDF and be sure that finding one means it leaked; ``side_extras`` adds the enrolment-side
objects (an invitation, an import, a duplicate, a sign-up link) and ``Side.secrets()`` lists everything that
another organisation must never read.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets as _random
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tremplin.accounts.codes import format_code, new_login_code
from tremplin.catalog.models import Module
from tremplin.coaching.enums import AccompanimentType, TypeLieu
from tremplin.coaching.services import (
    AccompanimentInput,
    accompaniment_record,
    assignment_create,
    attendance_record,
    group_create,
    note_add,
    workshop_create,
)
from tremplin.organisations.enums import MembershipRole

from ..factories import EnrolmentFactory, LearnerFactory, MembershipFactory, OrganisationFactory, StaffFactory


@dataclass
class Side:
    organisation: object
    trainer: object
    admin: object
    learner: object
    group: object
    workshop: object
    assignment: object
    note: object
    accompaniment: object
    # Added by side_extras() / the tests that need them.
    invitation: object = None
    learner_import: object = None
    twin: object = None
    signup_link: object = None
    referral: object = None  # received from a partner organisation
    diagnostic_session: object = None
    invitation_token: str = ""
    marked: bool = False
    extra_secrets: dict = field(default_factory=dict)
    row_queries: dict | None = None  # side_rows() compiles its queries once

    def secrets(self) -> dict[str, str]:
        """What identifies this organisation's people and objects: label → text (never shown to another one)."""
        found: dict[str, str] = {}
        people = {"learner": self.learner, "twin": self.twin, "trainer": self.trainer, "admin": self.admin}
        for label, person in people.items():
            if person is None:
                continue
            found[f"{label} id"] = str(person.pk)
            found[f"{label} id (hex)"] = person.pk.hex
            if self.marked:
                found[f"{label} first name"] = person.first_name
                if person.last_name:
                    found[f"{label} last name"] = person.last_name
            if person.is_learner:
                found[f"{label} login code"] = person.username
                found[f"{label} login code (display)"] = person.login_code_display
                if person.card_token:
                    found[f"{label} card token"] = person.card_token
            elif person.email:
                found[f"{label} e-mail"] = person.email
        objects = {"organisation": self.organisation, "group": self.group, "workshop": self.workshop,
                   "assignment": self.assignment, "note": self.note, "accompaniment": self.accompaniment,
                   "invitation": self.invitation, "learner import": self.learner_import,
                   "signup link": self.signup_link, "diagnostic session": self.diagnostic_session,
                   "referral": self.referral}
        for label, obj in objects.items():
            if obj is not None:
                found[f"{label} id"] = str(obj.pk)
                found[f"{label} id (hex)"] = obj.pk.hex
        if self.marked:
            found.update({"organisation name": self.organisation.name, "group name": self.group.name,
                          "workshop title": self.workshop.title, "note text": self.note.text})
            if self.invitation is not None:
                found["invitation e-mail"] = self.invitation.email
                found["invitation token hash"] = self.invitation.token_hash
            if self.invitation_token:
                found["invitation token"] = self.invitation_token
            if self.signup_link is not None:
                found["signup link label"] = self.signup_link.label
                found["signup link token"] = self.signup_link.token
            if self.referral is not None:
                found.update({"referral first name": self.referral.first_name,
                              "referral note": self.referral.diagnostic_note,
                              "referral reference": self.referral.reference})
            if self.learner_import is not None:
                for n, row in enumerate(self.learner_import.rows):
                    found[f"import row {n} first name"] = row["first_name"]
                    found[f"import row {n} last name"] = row["last_name"]
        found.update(self.extra_secrets)
        return found


def mark(label: str) -> str:
    """A word found nowhere else: a leak of it cannot be a coincidence."""
    return f"Zorglub{label}{_random.token_hex(3)}"


def build_side(name: str, module: Module | None = None, *, marked: bool = False) -> Side:
    def text(readable: str, label: str) -> str:
        return mark(label) if marked else readable

    org = OrganisationFactory(name=text(name, "Structure"))
    trainer = MembershipFactory(organisation=org, user=_staff(text(f"Formateur {name}", "Formateur"), marked)).user
    admin = MembershipFactory(organisation=org, role=MembershipRole.ADMIN,
                              user=_staff(text(f"Responsable {name}", "Responsable"), marked)).user
    learner = EnrolmentFactory(organisation=org, learner=_learner(text(f"Apprenant {name}", "Prenom"),
                                                                  text("", "Nom"), marked)).learner
    group = group_create(organisation=org, name=text(f"Groupe {name}", "Groupe"), members=[learner],
                         created_by=trainer)
    workshop = workshop_create(organisation=org, created_by=trainer, title=text(f"Atelier {name}", "Atelier"),
                               date=timezone.localdate(), start_time=dt.time(14, 0), duration_minutes=90,
                               theme="email", group=group)
    attendance_record(workshop=workshop, present=[learner], recorded_by=trainer)
    module = module or Module.objects.filter(is_active=True).first()
    assignment = assignment_create(organisation=org, created_by=trainer, module=module, group=group)
    note = note_add(organisation=org, learner=learner, author=trainer,
                    text=f"Très motivée {mark('Note')}." if marked else "Très motivée.")
    accompaniment = accompaniment_record(organisation=org, mediateur=trainer, data=AccompanimentInput(
        type=AccompanimentType.INDIVIDUEL, date=timezone.localdate(), duree=30, type_lieu=TypeLieu.LIEU_ACTIVITE,
        thematiques=["email"], materiel=["ordinateur"], learner=learner))
    return Side(org, trainer, admin, learner, group, workshop, assignment, note, accompaniment, marked=marked)


def _staff(first_name: str, marked: bool):
    if not marked:
        return StaffFactory(first_name=first_name)
    return StaffFactory(first_name=first_name, email=f"{mark('courriel').lower()}@exemple.fr")


def _learner(first_name: str, last_name: str, marked: bool):
    if not marked:
        return LearnerFactory(first_name=first_name)
    code = new_login_code()
    assert format_code(code) != code
    return LearnerFactory(first_name=first_name, last_name=last_name, username=code)


def side_extras(side: Side) -> Side:
    """An invitation, an import waiting for confirmation, a duplicate of the learner and a sign-up link."""
    from tremplin.organisations.models import Invitation, LearnerImport, SignupLink

    def text(readable: str, label: str) -> str:
        return mark(label) if side.marked else readable

    org = side.organisation
    side.invitation_token = _random.token_urlsafe(32)
    side.invitation = Invitation.objects.create(
        organisation=org, email=f"{text('invite', 'invite').lower()}-{_random.token_hex(3)}@exemple.fr",
        token_hash=hashlib.sha256(side.invitation_token.encode()).hexdigest(), invited_by=side.admin,
        expires_at=timezone.now() + dt.timedelta(days=7))
    side.learner_import = LearnerImport.objects.create(
        organisation=org, created_by=side.trainer,
        rows=[{"line": 2, "first_name": text("Nora", "Importe"), "last_name": text("", "ImporteNom"),
               "birth_year": None, "phone": "", "email": ""}])
    twin = _learner(side.learner.first_name, side.learner.last_name, side.marked)  # same person, typed twice
    side.twin = EnrolmentFactory(organisation=org, learner=twin).learner
    side.referral = _referral_to(side, text)
    side.signup_link = SignupLink.objects.create(
        organisation=org, created_by=side.trainer, token=_random.token_urlsafe(18), label=text("Atelier", "Lien"),
        expires_at=timezone.now() + dt.timedelta(hours=2))
    return side


def _referral_to(side: Side, text):
    """A person sent to the side's organisation by a partner (a third organisation, with a prescriber)."""
    import uuid

    from tremplin.coaching.services import referral_send

    partner = OrganisationFactory(name=text("Partenaire", "Partenaire"))
    prescriber = MembershipFactory(organisation=partner, role=MembershipRole.PRESCRIBER,
                                   user=_staff(text("Conseillère", "Conseillere"), side.marked)).user
    referral, _created = referral_send(
        from_organisation=partner, sent_by=prescriber, to_organisation=side.organisation, client_token=uuid.uuid4(),
        first_name=text("Yasmine", "Oriente"), phone="0611223344", themes=["email"], urgency="normal",
        diagnostic_note=text("Débutante", "Positionnement"), consent=True)
    return referral


# --- What a side owns, and what a response shows --------------------------------------------------------------


def side_rows(side: Side) -> dict[str, list[tuple]]:
    """Every row that belongs to the side's organisation or names its people and objects, field by field.

    Equal before and after a request: nothing of the side was written, changed or deleted."""
    from django.db import connection

    if side.row_queries is None:  # compiled once: building ORM queries costs more than running them
        side.row_queries = {name: qs.order_by("pk").values_list().query.sql_with_params()
                            for name, qs in _side_querysets(side).items()}
    found = {}
    with connection.cursor() as cursor:
        for name, (sql, params) in side.row_queries.items():
            cursor.execute(sql, params)
            found[name] = cursor.fetchall()
    return found


def _side_querysets(side: Side) -> dict:
    from django.db.models import Q

    from tremplin.accounts.models import User
    from tremplin.coaching.models import Accompaniment, Assignment, Attendance, Group, Note, Referral, Workshop
    from tremplin.cv.models import CV
    from tremplin.diagnostic.models import DiagnosticAnswer, DiagnosticSession
    from tremplin.organisations.models import (
        Enrolment,
        Invitation,
        LearnerImport,
        LearnerShare,
        Membership,
        Organisation,
        SignupLink,
    )
    from tremplin.progress.models import LearningEvent, ModuleProgress
    from tremplin.simulators.models import SimulatorAttempt

    org = side.organisation
    people = [p.pk for p in (side.learner, side.twin, side.trainer, side.admin) if p is not None]
    learners = [p.pk for p in (side.learner, side.twin) if p is not None]
    return {
        "user": User.objects.filter(pk__in=people),
        "organisation": Organisation.objects.filter(pk=org.pk),
        "enrolment": Enrolment.objects.filter(Q(organisation=org) | Q(learner__in=learners)),
        "membership": Membership.objects.filter(Q(organisation=org) | Q(user__in=people)),
        "invitation": Invitation.objects.filter(organisation=org),
        "learner import": LearnerImport.objects.filter(organisation=org),
        "signup link": SignupLink.objects.filter(organisation=org),
        "learner share": LearnerShare.objects.filter(Q(learner__in=learners) | Q(from_organisation=org)
                                                     | Q(to_organisation=org)),
        "group": Group.objects.filter(organisation=org),
        "group member": Group.members.through.objects.filter(Q(group__organisation=org) | Q(user__in=learners)),
        "workshop": Workshop.objects.filter(Q(organisation=org) | Q(group__organisation=org)),
        "attendance": Attendance.objects.filter(Q(workshop__organisation=org) | Q(learner__in=learners)),
        "assignment": Assignment.objects.filter(Q(organisation=org) | Q(learner__in=learners)
                                                | Q(group__organisation=org)),
        "note": Note.objects.filter(Q(organisation=org) | Q(learner__in=learners)),
        "accompaniment": Accompaniment.objects.filter(Q(organisation=org) | Q(learner__in=learners)
                                                      | Q(workshop__organisation=org)),
        "diagnostic session": DiagnosticSession.objects.filter(learner__in=learners),
        "diagnostic answer": DiagnosticAnswer.objects.filter(session__learner__in=learners),
        "learning event": LearningEvent.objects.filter(learner__in=learners),
        "module progress": ModuleProgress.objects.filter(learner__in=learners),
        "simulator attempt": SimulatorAttempt.objects.filter(learner__in=learners),
        "cv": CV.objects.filter(learner__in=learners),
        "referral": Referral.objects.filter(Q(organisation=org) | Q(from_organisation=org) | Q(learner__in=learners)),
    }


def rows_written() -> int:
    """How many rows this connection has inserted, changed or deleted so far (its transaction on PostgreSQL, the
    connection on SQLite), read in one step: equal before and after a request that wrote nothing."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables")
            return int(cursor.fetchone()[0])
    connection.ensure_connection()
    return connection.connection.total_changes


def row_counts() -> dict[str, int]:
    """The number of rows of every table of the project's apps (one query), the audit log apart."""
    from django.db import connection

    tables, sql = _count_query()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


@functools.cache
def _count_query() -> tuple[list[str], str]:
    from django.apps import apps
    from django.db import connection

    tables = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)
                     if m.__module__.startswith("tremplin.") and m._meta.label != "audit.AuditEntry"})
    quote = connection.ops.quote_name
    return tables, "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def response_text(response) -> str:
    """Everything a visitor can read in a response: the headers that carry text and the body, decoded by type
    (HTML and CSV as text, PDF through pypdf, XLSX through openpyxl). An unknown type fails: teach it here."""
    import html
    import io

    parts = [response.get("Location", ""), response.get("Content-Disposition", "")]
    data = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "").split(";")[0].strip()
    if kind == "application/pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        parts += [page.extract_text() or "" for page in reader.pages]
        parts += [str(value) for value in (reader.metadata or {}).values()]
    elif kind == XLSX:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        parts += [str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                  for cell in row if cell is not None]
    elif kind.startswith("text/") or kind in {"application/json", "application/manifest+json", "image/svg+xml",
                                              "application/javascript"}:
        parts.append(html.unescape(data.decode("utf-8", errors="replace")))
    elif kind == "audio/ogg":
        pass  # a step read aloud (ADR 13): shared content, no words to read in the file itself
    else:
        raise AssertionError(f"response_text cannot read {kind!r} yet: teach it, so that leaks in it are seen")
    return "\n".join(parts)


def _squeeze(text: str) -> str:
    import re

    return re.sub(r"\s+", "", text).lower()


def leaks(text: str, secrets: dict[str, str], *, sent: str = "") -> list[str]:
    """The labels of the secrets found in ``text`` (case and spacing ignored: PDFs break lines anywhere).
    A secret the visitor sent themself (``sent``: their URL and form) may come back to them: it is not a leak."""
    body, sent = _squeeze(text), _squeeze(sent)
    return sorted(label for label, value in secrets.items()
                  if value and _squeeze(value) not in sent and _squeeze(value) in body)


def built_once(django_db_blocker, build):
    """Build data once for a whole test module (a generator for a module-scoped fixture): inside a transaction
    rolled back after the module's last test; each test still runs in its own rolled-back transaction."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- Calling URLs ------------------------------------------------------------------------------------------------

REDIRECTS = {301, 302, 303, 307, 308}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            converters = getattr(p.pattern, "converters", {}) or {}
            yield p.name, prefix + str(p.pattern), list(converters) or list(p.pattern.regex.groupindex)


def namespace_patterns(namespace: str) -> list[tuple[str | None, str, list[str]]]:
    """(name, route, path arguments) of every pattern of a URL namespace, named or not."""
    _prefix, resolver = get_resolver().namespace_dict[namespace]
    return list(_walk(resolver.url_patterns))


@dataclass
class Cell:
    response: object
    landing: list = field(default_factory=list)  # (url, response) of each redirect followed
    ours_changed: list = field(default_factory=list)
    counts_changed: dict = field(default_factory=dict)
    audit_about_us: int = 0


def sent_text(url: str, data: dict) -> str:
    """What a visitor sends: the URL and every value of the form (uploaded files read)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    values = []
    for value in data.values():
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, SimpleUploadedFile):
                v.seek(0)
                values.append(v.read().decode())
                v.seek(0)
            else:
                values.append(str(v))
    return url + " " + " ".join(values)


def run_cell(client, method, url, data, ours: Side, user) -> Cell:
    """One request (and the redirects it leads to) inside a transaction rolled back afterwards, with what it
    wrote: the side's rows that changed, the row counts that changed, the audit entries about the side in the
    name of ``user``."""
    from django.db import transaction
    from django.db.models import Q

    from tremplin.audit.models import AuditEntry

    ours_ids = [str(obj.pk) for obj in (ours.organisation, ours.learner, ours.twin, ours.trainer, ours.admin,
                                        ours.group, ours.workshop, ours.invitation) if obj is not None]
    about_us = Q(organisation_id=ours.organisation.pk) | Q(target_id__in=ours_ids)
    with transaction.atomic():  # every cell starts from the same data: what a request writes is rolled back
        rows, counts = side_rows(ours), row_counts()
        audit = AuditEntry.objects.filter(about_us, actor=user).count() if user else 0
        written = rows_written()
        response = client.post(url, data) if method == "POST" else client.get(url, data)
        cell = Cell(response)
        hop = response
        while hop.status_code in REDIRECTS and len(cell.landing) < 5:
            target = hop["Location"]
            hop = client.get(target)
            cell.landing.append((target, hop))
        # Read again only if the database says a row was written (most cells write nothing): the same answer,
        # without two dozen queries a cell.
        nothing_written = rows_written() == written
        after = rows if nothing_written else side_rows(ours)
        cell.ours_changed = [table for table in rows if rows[table] != after[table]]
        now = counts if nothing_written else row_counts()
        cell.counts_changed = {t: (counts[t], now[t]) for t in counts if counts[t] != now[t]}
        if user:
            cell.audit_about_us = AuditEntry.objects.filter(about_us, actor=user).count() - audit
        transaction.set_rollback(True)
    return cell
