"""Writes of the simulators app: loading the files, and the life of an attempt."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tremplin.accounts.models import User
from tremplin.catalog.content_files import ContentError
from tremplin.progress.enums import ObjectType, Verb
from tremplin.progress.services import event_record

from . import engine
from .enums import Mode, Outcome
from .files import module_simulator_errors, read_simulators
from .models import Simulator, SimulatorAttempt
from .schema import SimulatorFile


class SimulatorsInvalid(Exception):
    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__(f"{len(errors)} erreur(s) dans les simulateurs")


@dataclass
class SimulatorsReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)


def simulators_load(*, root: Path, curriculum_root: Path | None = None) -> SimulatorsReport:
    """Validate every file (and, if given, the modules that name simulators), then load them all
    or nothing. Idempotent; a simulator whose file disappeared is deactivated, never deleted."""
    loaded, errors = read_simulators(root)
    if curriculum_root is not None and not errors:
        errors = module_simulator_errors(curriculum_root, {s.data.slug for s in loaded})
    if errors:
        raise SimulatorsInvalid(errors)
    report = SimulatorsReport()
    with transaction.atomic():
        for position, sim in enumerate(loaded):
            existing = Simulator.objects.filter(slug=sim.data.slug).first()
            if (existing and existing.content_version == sim.content_version and existing.is_active
                    and existing.position == position):
                report.unchanged.append(sim.data.slug)
                continue
            Simulator.objects.update_or_create(slug=sim.data.slug, defaults={
                "title": sim.data.title, "summary": sim.data.summary, "site_name": sim.data.site.name,
                "definition": sim.data.model_dump(mode="json"), "content_version": sim.content_version,
                "position": position, "is_active": True})
            (report.updated if existing else report.created).append(sim.data.slug)
        gone = Simulator.objects.filter(is_active=True).exclude(slug__in=[s.data.slug for s in loaded])
        report.deactivated = list(gone.values_list("slug", flat=True))
        gone.update(is_active=False)
    return report


@lru_cache(maxsize=64)
def _definition(slug: str, version: str, simulator_pk: int) -> SimulatorFile:
    return SimulatorFile.model_validate(Simulator.objects.only("definition").get(pk=simulator_pk).definition)


def definition_of(simulator: Simulator) -> SimulatorFile:
    """The validated file behind a simulator (cached per content version)."""
    return _definition(simulator.slug, simulator.content_version, simulator.pk)


def _event_id(attempt: SimulatorAttempt, what: str) -> uuid.UUID:
    return uuid.uuid5(attempt.id, what)


@transaction.atomic
def attempt_start(*, learner: User, simulator: Simulator, mode: str) -> SimulatorAttempt:
    if mode not in Mode.values:
        raise ValueError(f"mode inconnu : {mode}")
    first = definition_of(simulator).screens[0].slug
    attempt = SimulatorAttempt.objects.create(learner=learner, simulator=simulator, mode=mode, screen=first,
                                              content_version=simulator.content_version)
    event_record(learner=learner, event_id=_event_id(attempt, "attempted"), verb=Verb.ATTEMPTED,
                 object_type=ObjectType.SIMULATOR, object_id=simulator.slug, module=None,
                 response={"mode": mode})
    return attempt


def attempt_progress(*, attempt: SimulatorAttempt, screen: str | None = None, errors: int = 0,
                     hints: int = 0) -> None:
    """Move the attempt to another screen and add errors or hints (counters only, never values)."""
    updates: dict = {}
    if screen:
        updates["screen"] = screen
    if errors:
        updates["errors_count"] = F("errors_count") + errors
    if hints:
        updates["hints_used"] = F("hints_used") + hints
    if updates:
        SimulatorAttempt.objects.filter(pk=attempt.pk, outcome=Outcome.IN_PROGRESS).update(**updates)
        attempt.refresh_from_db(fields=["screen", "errors_count", "hints_used"])


@transaction.atomic
def attempt_finish(*, attempt: SimulatorAttempt) -> SimulatorAttempt:
    """The learner reached an end screen: outcome, score (check mode) and the learning event."""
    attempt = SimulatorAttempt.objects.select_for_update().select_related("simulator", "learner").get(pk=attempt.pk)
    if attempt.is_finished:
        return attempt
    now = timezone.now()
    duration_s = (now - attempt.started_at).total_seconds()
    sim = definition_of(attempt.simulator)
    score = engine.compute_score(errors=attempt.errors_count, hints=attempt.hints_used, duration_s=duration_s,
                                 expected_minutes=sim.expected_minutes)
    if attempt.mode == Mode.CHECK:
        attempt.score = score
        passed = score >= engine.PASS_MARK
        attempt.outcome = Outcome.PASSED if passed else Outcome.FAILED
        verb = Verb.PASSED if passed else Verb.FAILED
    else:
        attempt.outcome = Outcome.COMPLETED
        verb, passed = Verb.COMPLETED, None
    attempt.finished_at = now
    attempt.duration_ms = min(int(duration_s * 1000), 2**31 - 1)
    attempt.save(update_fields=["score", "outcome", "finished_at", "duration_ms"])
    event_record(learner=attempt.learner, event_id=_event_id(attempt, "finished"), verb=verb,
                 object_type=ObjectType.SIMULATOR, object_id=attempt.simulator.slug, module=None,
                 success=passed, score=attempt.score, duration_ms=attempt.duration_ms,
                 response={"mode": attempt.mode, "errors": attempt.errors_count, "hints": attempt.hints_used})
    return attempt


@transaction.atomic
def attempt_abandon(*, attempt: SimulatorAttempt) -> None:
    SimulatorAttempt.objects.filter(pk=attempt.pk, outcome=Outcome.IN_PROGRESS).update(
        outcome=Outcome.ABANDONED, finished_at=timezone.now())
