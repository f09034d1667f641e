"""Erasing a learner (the right to erasure, and retention): one transactional, idempotent service (ADR 0015).

What identifies the person goes: their account row (code, PIN hash, card token, names, birth year, phone), notes
written about them, the free text of records and referrals, their CV, the structures' contact e-mails, the typed
answers of the diagnostic, the sign-in attempts kept under their code. What counts goes on counting: learning
events, progress, diagnostics, simulator attempts, attendance, records, referrals and enrolments move to a fresh
inactive learner row with no name (« une personne effacée ») that no screen lists and nobody can sign in as, so
recomputing the rollups gives the same figures; the rollups' own ``ActivityDay.person`` is rewritten to it too.
The audit trail keeps its entries, pointing at the anonymous row.

A learner another structure follows too, erased at one structure's request and not at the person's, only leaves
that structure: its rows about the person go to an anonymous row of their own, the person and the other
structures keep everything else.

Every table that points at a learner must say what erasure does with it (``POLICY``): a table nobody declared
stops the erasure before anything is written (``UndeclaredPersonalData``), and a test lists the registry.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from tremplin.accounts.codes import format_code
from tremplin.accounts.enums import UserKind
from tremplin.accounts.models import User
from tremplin.audit.models import AuditEntry
from tremplin.audit.services import audit_log
from tremplin.organisations.access import Scope, parse_id, tenant_q
from tremplin.organisations.models import LearnerImport, Organisation
from tremplin.organisations.services import _organisation_path, _rows_about_a_learner

ANONYMOUS_PREFIX = "efface-"  # never a login code (codes are 6 letters and digits, no dash)

# What erasure does with each table that points at a learner: (model label, field) → action.
#   move     the row counts in statistics: it goes to the anonymous learner row
#   scrub    like move, and the listed free-text/contact fields are emptied (SCRUB)
#   delete   the row only serves to follow the person (a note, a CV, a consent to share)
#   staff    a table about staff members: a learner never has a row there (one would stop the erasure)
POLICY: dict[tuple[str, str], str] = {
    ("organisations.Enrolment", "learner"): "scrub",
    ("organisations.LearnerShare", "learner"): "delete",
    ("organisations.Membership", "user"): "staff",
    ("organisations.NetworkMembership", "user"): "staff",
    ("diagnostic.DiagnosticSession", "learner"): "scrub",
    ("simulators.SimulatorAttempt", "learner"): "move",
    ("progress.LearningEvent", "learner"): "move",
    ("progress.ModuleProgress", "learner"): "move",
    ("cv.CV", "learner"): "delete",
    ("coaching.Group_members", "user"): "delete",
    ("coaching.Attendance", "learner"): "move",
    ("coaching.Assignment", "learner"): "delete",
    ("coaching.Note", "learner"): "delete",
    ("coaching.Accompaniment", "learner"): "scrub",
    ("coaching.Referral", "learner"): "scrub",
}
SCRUB: dict[str, dict[str, Any]] = {
    "organisations.Enrolment": {"contact_email": "", "client_token": None},
    "diagnostic.DiagnosticSession": {"profile": {}},
    "coaching.Accompaniment": {"notes": ""},
    "coaching.Referral": {"first_name": "", "phone": "", "diagnostic_note": ""},
}


class UndeclaredPersonalData(RuntimeError):
    """A table points at the learner and ``POLICY`` does not say what erasure does with it: nothing is erased."""


class NotALearner(ValueError):
    pass


@dataclass
class Erasure:
    """What one erasure did. ``already``: the person was erased before (nothing written this time)."""

    reference: str = ""
    everywhere: bool = True
    already: bool = False
    organisations: list[uuid.UUID] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def rows_about_a_learner() -> list[tuple[Any, str, str]]:
    """(model, field, action) of every table pointing at a learner; raises for a table ``POLICY`` lacks."""
    out, missing = [], []
    for model, name in _rows_about_a_learner():
        action = POLICY.get((model._meta.label, name))
        if action is None:
            missing.append(f"{model._meta.label}.{name}")
        else:
            out.append((model, name, action))
    if missing:
        raise UndeclaredPersonalData("say in tremplin.privacy.erasure.POLICY what erasure does with "
                                     + ", ".join(missing))
    return out


def request_key(learner_id: object) -> str:
    """A keyed hash of the erased id: recognises the same request sent again without keeping the id."""
    secret = str(settings.SECRET_KEY).encode()
    return hmac.new(secret, f"erasure:{learner_id}".encode(), hashlib.sha256).hexdigest()[:32]


def new_reference() -> str:
    """A short number the person can write down: « E-7KX4-MP2Q »."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    chars = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"E-{chars[:4]}-{chars[4:]}"


def erasure_done(*, learner_id: object) -> AuditEntry | None:
    """The audit entry of an erasure of this id already done (the same request sent twice), or ``None``.
    ``learner_id`` is the learner's id, or "<learner id>:<structure id>" for leaving one structure."""
    return (AuditEntry.objects.filter(action="learner.erase", detail__request=request_key(learner_id))
            .order_by("at").first())


def erasure_requested(*, scope: Scope, learner_id: object) -> AuditEntry | None:
    """The erasure of this learner already done for the scope's structure (a request sent twice), or ``None``."""
    pk = parse_id(learner_id)
    if pk is None:
        return None
    keys = [request_key(pk), request_key(f"{pk}:{scope.organisation.pk}")]
    return AuditEntry.objects.filter(tenant_q(scope), action="learner.erase", detail__request__in=keys).first()


def _anonymous_learner(original: User) -> User:
    return User.objects.create(username=f"{ANONYMOUS_PREFIX}{uuid.uuid4().hex}", kind=UserKind.LEARNER,
                               first_name="", is_active=False, is_guest=original.is_guest,
                               password=make_password(None), date_joined=original.date_joined)


def _apply(rows, model, name: str, action: str, anonymous: User) -> int:
    if action == "staff":
        if rows.exists():
            raise UndeclaredPersonalData(f"{model._meta.label}.{name} holds a learner: staff tables never should")
        return 0
    if action == "delete":
        return rows.delete()[0]
    values: dict[str, Any] = {name: anonymous}
    if action == "scrub":
        values.update(SCRUB.get(model._meta.label, {}))
    return rows.update(**values)


def _typed_answers_scrub(anonymous: User) -> None:
    """Answers typed as text (the diagnostic's « text » items) may hold anything the person wrote."""
    from tremplin.diagnostic.models import DiagnosticAnswer
    from tremplin.progress.models import LearningEvent

    DiagnosticAnswer.objects.filter(session__learner=anonymous, response__has_key="text").update(response={})
    LearningEvent.objects.filter(learner=anonymous, response__has_key="text").update(response=None)


def _audit_repoint(old: User, anonymous: User, organisation: Organisation | None) -> int:
    """Entries about the person (or by them) point at the anonymous row; their ids leave every detail."""
    old_id, old_hex = str(old.pk), old.pk.hex
    entries = AuditEntry.objects.annotate(text=Cast("detail", TextField())).filter(
        Q(target_id__in=[old_id, old_hex]) | Q(actor=old) | Q(text__contains=old_id) | Q(text__contains=old_hex))
    if organisation is not None:
        entries = entries.filter(organisation_id=organisation.pk)
    changed = 0
    for entry in entries:
        if entry.target_id in (old_id, old_hex):
            entry.target_id = str(anonymous.pk)
        if entry.actor_id == old.pk:
            entry.actor = anonymous
        text = json.dumps(entry.detail)
        if old_id in text or old_hex in text:
            entry.detail = json.loads(text.replace(old_id, str(anonymous.pk)).replace(old_hex, anonymous.pk.hex))
        entry.save(update_fields=["target_id", "actor", "detail"])
        changed += 1
    return changed


def _imports_scrub(learner: User, organisation: Organisation | None) -> None:
    """An import file's error lines name people who already exist (« Ali Ben, code K7M-4PX »)."""
    code = format_code(learner.username)
    imports = LearnerImport.objects.filter(errors__icontains=code)
    if organisation is not None:
        imports = imports.filter(organisation=organisation)
    for item in imports:
        item.errors = [e if code not in str(e.get("message", "")) else
                       {"line": e.get("line"), "message": "—"} for e in item.errors]
        item.save(update_fields=["errors"])


def _sign_in_traces_delete(learner: User) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    names = {learner.username, format_code(learner.username)}
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=names).delete()


def _stats_person_replace(old: uuid.UUID, new: uuid.UUID) -> int:
    """The rollups keep a bare learner id (``ActivityDay.person``): it becomes the anonymous one, counts unchanged."""
    from tremplin.stats import rollup

    replace = getattr(rollup, "person_replace", None)
    if replace is not None:
        return replace(old=old, new=new)
    from tremplin.stats.models import ActivityDay  # until stats exposes person_replace (notes/privacy-needs.md)

    return ActivityDay.objects.filter(person=old).update(person=new)


@transaction.atomic
def learner_erase(*, learner_id: object, actor: User | None, organisation: Organisation | None = None,
                  everywhere: bool = True, requested_by: str = "learner", reason: str = "request") -> Erasure:
    """Erase a learner (``everywhere``), or only what ``organisation`` keeps about them.

    ``everywhere=False`` needs ``organisation``; when no other structure follows the person it becomes a full
    erasure (nothing would be left to follow). Asked twice, it erases once: the second call finds nothing and
    answers ``already`` with the first reference. ``requested_by``: "learner", "trainer" or "retention".
    """
    if not everywhere and organisation is None:
        raise ValueError("leaving a structure needs the structure")
    learner_id = parse_id(learner_id)
    learner = (User.objects.select_for_update().filter(pk=learner_id, kind=UserKind.LEARNER, is_active=True).first()
               if learner_id is not None else None)
    followed = list(Organisation.objects.filter(enrolments__learner=learner).order_by("pk")) if learner else []
    leaving = not everywhere and organisation is not None and len(followed) > 1
    key = request_key(f"{learner_id}:{organisation.pk}" if leaving else learner_id)  # type: ignore[union-attr]
    if learner is None or (not everywhere and organisation.pk not in {o.pk for o in followed}):  # type: ignore[union-attr]
        done = erasure_done(learner_id=learner_id) or (
            erasure_done(learner_id=f"{learner_id}:{organisation.pk}") if organisation is not None else None)
        if done is not None:
            return Erasure(reference=done.detail.get("reference", ""), everywhere=done.detail.get("everywhere", True),
                           already=True)
        raise NotALearner("no active learner with this id here")
    if learner.username.startswith(ANONYMOUS_PREFIX):
        raise NotALearner("already anonymous")
    everywhere = not leaving
    original_id = learner.pk
    policy = rows_about_a_learner()
    anonymous = _anonymous_learner(learner)
    result = Erasure(reference=new_reference(), everywhere=everywhere)
    for model, name, action in policy:
        rows = model._default_manager.filter(**{name: learner})
        if not everywhere:
            path = _organisation_path(model)
            if path is None:
                continue  # the person's own history stays with them (other structures follow them)
            rows = rows.filter(**{path: organisation})
        count = _apply(rows, model, name, action, anonymous)
        if count:
            result.counts[model._meta.label] = count
    if not everywhere:
        from tremplin.organisations.models import LearnerShare

        LearnerShare.objects.filter(Q(from_organisation=organisation) | Q(to_organisation=organisation),
                                    learner=learner).delete()
    _audit_repoint(learner, anonymous, None if everywhere else organisation)
    _imports_scrub(learner, None if everywhere else organisation)
    if everywhere:
        _typed_answers_scrub(anonymous)
        _sign_in_traces_delete(learner)
        _stats_person_replace(learner.pk, anonymous.pk)
        learner.groups.clear()
        learner.user_permissions.clear()
        learner.delete()
        result.organisations = [o.pk for o in followed]
    else:
        result.organisations = [organisation.pk]  # type: ignore[union-attr]
    detail = {"reference": result.reference, "everywhere": everywhere, "requested_by": requested_by,
              "reason": reason, "request": key, "counts": result.counts}
    by = anonymous if actor is not None and actor.pk in (original_id, None) else actor
    targets: list[uuid.UUID | None] = [*result.organisations] or [None]
    for org_id in targets:
        audit_log(actor=by, action="learner.erase", target_type="learner", target_id=anonymous.pk,
                  organisation_id=org_id, detail=detail)
    return result
