"""Writes of the diagnostic: loading the bank, sessions, answers, results, recalibration."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tremplin.accounts.models import User
from tremplin.audit.services import audit_log
from tremplin.catalog.answers import read_response
from tremplin.catalog.content_files import ContentError
from tremplin.progress.enums import ObjectType, Verb
from tremplin.progress.services import event_record

from . import engine
from .content_files import Bank, read_bank
from .enums import SessionMode, SessionStatus
from .models import (
    Competence,
    DiagnosticAnswer,
    DiagnosticImage,
    DiagnosticItem,
    DiagnosticItemVersion,
    DiagnosticSession,
    FrameworkRelease,
)
from .scoring import is_correct

EVENT_NAMESPACE = uuid.UUID("0c6b7f1e-5d1a-4f7e-9a55-3a2f3c1d0e05")


class BankInvalid(Exception):
    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__(f"{len(errors)} erreur(s) dans le positionnement")


@dataclass
class BankReport:
    version: str
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)


@transaction.atomic
def bank_load(*, root: Path, bank: Bank | None = None) -> BankReport:
    """Validate then load framework + items. All or nothing; idempotent; never deletes."""
    bank = bank or read_bank(root)
    if bank.errors or bank.framework is None:
        raise BankInvalid(bank.errors)
    report = BankReport(bank.version)
    competences = {}
    for position, c in enumerate(bank.framework.competences):
        competences[c.slug], _ = Competence.objects.update_or_create(slug=c.slug, defaults={
            "position": position, "title": c.title, "summary": c.summary, "crcn": c.crcn, "digcomp": c.digcomp,
            "levels": c.levels.model_dump(), "is_active": True})
    for name, svg in bank.images.items():
        sha = hashlib.sha256(svg.encode()).hexdigest()[:16]
        DiagnosticImage.objects.update_or_create(name=name, defaults={"content": svg, "sha": sha})
    seen = set()
    for loaded in bank.items:
        data = loaded.data
        seen.add(data.slug)
        item, created = DiagnosticItem.objects.get_or_create(slug=data.slug, defaults={
            "competence": competences[loaded.competence], "position": loaded.position})
        prior = engine.AUTHOR_DIFFICULTY[data.level]
        version, v_created = DiagnosticItemVersion.objects.get_or_create(item=item, version=loaded.version, defaults={
            "level": data.level, "kind": data.kind, "data": data.model_dump(exclude={"slug", "level", "kind"}),
            "prior_difficulty": prior, "difficulty": prior, "discrimination": engine.DEFAULT_DISCRIMINATION})
        changed = item.current_id != version.pk or not item.is_active or item.position != loaded.position \
            or item.competence_id != competences[loaded.competence].pk
        item.current, item.is_active, item.position = version, True, loaded.position
        item.competence = competences[loaded.competence]
        item.save()
        (report.created if created else report.new_versions if v_created or changed else report.unchanged).append(
            data.slug)
    for item in DiagnosticItem.objects.filter(is_active=True).exclude(slug__in=seen):
        item.is_active = False
        item.save(update_fields=["is_active"])
        report.deactivated.append(item.slug)
    paper_form = list(bank.framework.paper_form)
    profile = [q.model_dump() for q in bank.framework.profile_questions]
    last = FrameworkRelease.objects.first()
    if last is None or (last.version, last.paper_form, last.profile_questions) != (report.version, paper_form, profile):
        FrameworkRelease.objects.create(version=report.version, paper_form=paper_form, profile_questions=profile)
    return report


def session_start(*, learner: User, started_by: User | None = None) -> DiagnosticSession:
    """The learner's open session (resumed, even days later) or a new one. A trainer starting it
    marks it accompanied."""
    mode = SessionMode.ACCOMPANIED if started_by is not None and started_by.pk != learner.pk else SessionMode.ALONE
    with transaction.atomic():
        session = DiagnosticSession.objects.select_for_update().filter(
            learner=learner, status=SessionStatus.IN_PROGRESS).first()
        if session is None:
            try:
                with transaction.atomic():
                    session = DiagnosticSession.objects.create(learner=learner, mode=mode,
                                                               started_by=started_by if mode != SessionMode.ALONE else None)
            except IntegrityError:  # two taps on « Commencer » at once
                session = DiagnosticSession.objects.get(learner=learner, status=SessionStatus.IN_PROGRESS)
        elif mode == SessionMode.ACCOMPANIED and session.mode != mode:
            session.mode, session.started_by = mode, started_by
            session.save(update_fields=["mode", "started_by", "last_activity_at"])
    if mode == SessionMode.ACCOMPANIED:
        audit_log(actor=started_by, action="diagnostic.accompanied_start", target_type="learner",
                  target_id=learner.pk, detail={"session": str(session.pk)})
    return session


def session_profile_save(*, session: DiagnosticSession, profile: dict[str, list[str]]) -> None:
    if session.profile is None:
        session.profile = profile
        session.save(update_fields=["profile", "last_activity_at"])


def _event_id(session: DiagnosticSession, what: str) -> uuid.UUID:
    return uuid.uuid5(EVENT_NAMESPACE, f"{session.pk}/{what}")


def answer_record(*, session: DiagnosticSession, version: DiagnosticItemVersion, response: dict,
                  entered_by: User | None = None) -> tuple[DiagnosticAnswer, bool]:
    """Store the answer to ``version`` (the version shown) once; later replays return the first one."""
    correct = is_correct(version.kind, version.data, response)
    with transaction.atomic():
        locked = DiagnosticSession.objects.select_for_update().get(pk=session.pk)
        existing = DiagnosticAnswer.objects.filter(session=locked, item_id=version.item_id).first()
        if existing is not None:
            return existing, False
        answer = DiagnosticAnswer.objects.create(
            session=locked, item_id=version.item_id, item_version=version, position=locked.answers.count(),
            response=response, correct=correct, entered_by=entered_by)
        locked.save(update_fields=["last_activity_at"])
        event_record(learner=locked.learner, event_id=_event_id(locked, f"item/{version.item.slug}"),
                     verb=Verb.ANSWERED, object_type=ObjectType.DIAGNOSTIC_ITEM,
                     object_id=f"diagnostic/{version.item.slug}", module=None, success=correct,
                     response={"version": version.version, **response})
    return answer, True


def answer_submit(*, session: DiagnosticSession, version: DiagnosticItemVersion, raw: Mapping[str, Any],
                  entered_by: User | None = None) -> tuple[DiagnosticAnswer, bool]:
    """Read the learner's raw answer to ``version`` (the version shown; ``action=skip`` is « Je ne
    sais pas ») and record it. An item already answered keeps its first answer (``False``), whatever
    ``raw`` holds. Raises ``InvalidAnswer`` (nothing recorded)."""
    existing = DiagnosticAnswer.objects.filter(session=session, item_id=version.item_id).first()
    if existing is not None:
        return existing, False
    response = read_response(version.kind, len(version.data.get("choices") or []), raw, skippable=True)
    return answer_record(session=session, version=version, response=response, entered_by=entered_by)


def _answers_for_engine(session: DiagnosticSession) -> list[tuple[engine.Item, bool]]:
    rows = session.answers.select_related("item_version", "item__competence").order_by("position")
    return [(engine.Item(a.item.slug, a.item.competence.slug, a.item_version.difficulty,
                         a.item_version.discrimination), a.correct) for a in rows]


def results_compute(session: DiagnosticSession) -> dict[str, dict]:
    competences = list(Competence.objects.filter(is_active=True).values_list("slug", flat=True))
    post = engine.posterior_from(competences, _answers_for_engine(session))
    return {c: {"level": e.level, "theta": e.mean, "sd": e.sd, "n": e.n_items,
                "probabilities": list(e.level_probabilities)} for c, e in post.estimates().items()}


def session_complete(*, session: DiagnosticSession) -> DiagnosticSession:
    with transaction.atomic():
        locked = DiagnosticSession.objects.select_for_update().get(pk=session.pk)
        if locked.is_completed:
            return locked
        locked.results = results_compute(locked)
        locked.status = SessionStatus.COMPLETED
        locked.completed_at = timezone.now()
        locked.save(update_fields=["results", "status", "completed_at", "last_activity_at"])
        event_record(learner=locked.learner, event_id=_event_id(locked, "completed"), verb=Verb.COMPLETED,
                     object_type=ObjectType.DIAGNOSTIC, object_id="diagnostic", module=None,
                     response={"session": str(locked.pk), "mode": locked.mode,
                               "levels": {c: r["level"] for c, r in locked.results.items()}})
    return locked


def paper_session_record(*, learner: User, trainer: User, answers: dict[str, int | None],
                         profile: dict[str, list[str]] | None = None) -> DiagnosticSession:
    """A paper diagnostic typed in by a trainer: the fixed form's answers (choice index, None = blank)."""
    from .selectors import paper_form_versions

    versions = {v.item.slug: v for v in paper_form_versions()}
    with transaction.atomic():
        session = DiagnosticSession.objects.create(learner=learner, mode=SessionMode.PAPER, started_by=trainer,
                                                   status=SessionStatus.COMPLETED, profile=profile or {})
        for slug, version in versions.items():
            choice = answers.get(slug)
            response = {"skipped": True} if choice is None else {"choices": [choice]}
            answer_record(session=session, version=version, response=response, entered_by=trainer)
        session.results = results_compute(session)
        session.completed_at = timezone.now()
        session.save(update_fields=["results", "completed_at", "last_activity_at"])
        event_record(learner=learner, event_id=_event_id(session, "completed"), verb=Verb.COMPLETED,
                     object_type=ObjectType.DIAGNOSTIC, object_id="diagnostic", module=None,
                     response={"session": str(session.pk), "mode": session.mode,
                               "levels": {c: r["level"] for c, r in session.results.items()}})
        audit_log(actor=trainer, action="diagnostic.paper_entered", target_type="learner", target_id=learner.pk,
                  detail={"session": str(session.pk)})
    return session


@dataclass
class CalibrationReport:
    items: int = 0
    recalibrated: list[tuple[str, float, float, int]] = field(default_factory=list)  # slug, before, after, n


@transaction.atomic
def item_params_recalibrate(*, min_answers: int = 20, prior_sd: float = 0.5, rounds: int = 3) -> CalibrationReport:
    """Re-estimate item difficulties from completed sessions' answers (see ADR 0005).

    Alternates, ``rounds`` times: abilities of every session (EAP with the current difficulties),
    then each item version's difficulty (MAP with a normal prior on the author's difficulty).
    """
    report = CalibrationReport()
    sessions = list(DiagnosticSession.objects.filter(status=SessionStatus.COMPLETED))
    answers = list(DiagnosticAnswer.objects.filter(session__in=sessions)
                   .select_related("item__competence").values_list(
                       "session_id", "item_version_id", "item__slug", "item__competence__slug", "correct"))
    versions = {v.pk: v for v in DiagnosticItemVersion.objects.filter(
        pk__in={a[1] for a in answers}).select_related("item")}
    competences = list(Competence.objects.filter(is_active=True).values_list("slug", flat=True))
    difficulty = {pk: v.difficulty for pk, v in versions.items()}
    by_session: dict = {}
    for session_id, version_id, slug, comp, correct in answers:
        by_session.setdefault(session_id, []).append((version_id, slug, comp, correct))
    for _ in range(rounds):
        thetas: dict[tuple, float] = {}
        for session_id, rows in by_session.items():
            post = engine.posterior_from(competences, [
                (engine.Item(slug, comp, difficulty[v], versions[v].discrimination), ok) for v, slug, comp, ok in rows])
            for comp in {r[2] for r in rows}:
                thetas[(session_id, comp)] = post.estimate(comp).mean
        observations: dict[int, list[tuple[float, bool]]] = {}
        for session_id, rows in by_session.items():
            for v, _slug, comp, ok in rows:
                observations.setdefault(v, []).append((thetas[(session_id, comp)], ok))
        for v, obs in observations.items():
            if len(obs) >= min_answers:
                difficulty[v] = engine.recalibrate_difficulty(
                    obs, discrimination=versions[v].discrimination,
                    prior_difficulty=versions[v].prior_difficulty, prior_sd=prior_sd)
    now = timezone.now()
    counts: dict[int, int] = {}
    for _s, v, *_rest in answers:
        counts[v] = counts.get(v, 0) + 1
    for pk, version in versions.items():
        report.items += 1
        if counts.get(pk, 0) < min_answers:
            continue
        before = version.difficulty
        version.difficulty, version.n_answers, version.calibrated_at = difficulty[pk], counts[pk], now
        version.save(update_fields=["difficulty", "n_answers", "calibrated_at"])
        report.recalibrated.append((version.item.slug, before, version.difficulty, counts[pk]))
    return report
