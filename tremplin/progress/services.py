"""Recording learning events and deriving module progress from them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tremplin.accounts.models import User
from tremplin.catalog.enums import QUESTION_KINDS
from tremplin.catalog.models import Module, Step

from .enums import ObjectType, ProgressStatus, Verb
from .models import LearningEvent, ModuleProgress, wrong_first_count
from .quiz import Graded, completion_event_id, first_not_done, step_answer_read, step_object_id
from .selectors import event_moment, step_slugs_done


class EventConflict(Exception):
    """The event id is already used by another learner."""


def _module_layout(module: Module) -> tuple[dict[str, int], list[str]]:
    steps = list(module.steps.filter(is_active=True).values_list("slug", "position", "kind"))
    positions = {slug: pos for slug, pos, _kind in steps}
    questions = [slug for slug, _pos, kind in steps if kind in QUESTION_KINDS]
    return positions, questions


def _apply(progress: ModuleProgress, event: LearningEvent, positions: dict[str, int], questions: list[str]) -> None:
    """Fold one event into a progress row. Used live and by rebuild, so both always agree."""
    when = event.stored_at or timezone.now()
    progress.last_activity_at = max(filter(None, [progress.last_activity_at, when]))
    if progress.started_at is None:
        progress.started_at = when
    if progress.status == ProgressStatus.NOT_STARTED:
        progress.status = ProgressStatus.IN_PROGRESS
    step_slug = event.object_id.split("/", 1)[1] if "/" in event.object_id else None
    if event.verb == Verb.EXPERIENCED and step_slug in positions:
        progress.furthest_position = max(progress.furthest_position, positions[step_slug])
    elif event.verb == Verb.ANSWERED and step_slug in positions:
        record = progress.answers.get(step_slug, {})
        record.setdefault("first", bool(event.success))
        record["last"] = bool(event.success)
        progress.answers = {**progress.answers, step_slug: record}
        progress.wrong_first_answers = wrong_first_count(progress.answers)  # bulk_create (the rebuild) skips save()
    elif event.verb == Verb.COMPLETED and event.object_type == ObjectType.MODULE:
        progress.status = ProgressStatus.COMPLETED
        progress.completed_at = progress.completed_at or when
        progress.furthest_position = max(progress.furthest_position, max(positions.values(), default=-1))
        if questions:
            firsts = [progress.answers.get(q, {}).get("first", False) for q in questions]
            progress.score = round(sum(firsts) / len(questions), 3)


def event_record(
    *,
    learner: User,
    event_id: uuid.UUID | str,
    verb: str,
    object_type: str,
    object_id: str,
    module: Module | None = None,
    success: bool | None = None,
    score: float | None = None,
    response: dict | list | None = None,
    duration_ms: int | None = None,
    client_timestamp: datetime | None = None,
) -> tuple[LearningEvent, bool]:
    """Store an event once (the id is the idempotency key) and update the module's progress."""
    event_id = uuid.UUID(str(event_id))
    existing = LearningEvent.objects.filter(pk=event_id).first()
    if existing is not None:
        if existing.learner_id != learner.pk:
            raise EventConflict(str(event_id))
        return existing, False
    try:
        with transaction.atomic():
            event = LearningEvent.objects.create(
                id=event_id, learner=learner, verb=verb, object_type=object_type, object_id=object_id[:200],
                module=module, content_version=module.content_version if module else "", success=success,
                score=score, response=response, duration_ms=duration_ms, client_timestamp=client_timestamp)
            if module is not None:
                progress, _ = ModuleProgress.objects.select_for_update().get_or_create(learner=learner, module=module)
                positions, questions = _module_layout(module)
                if client_timestamp is None:
                    _apply(progress, event, positions, questions)
                else:  # made on the device, perhaps before events already here: refold in the order they happened
                    progress = _refold(progress, positions, questions)
                progress.save()
    except IntegrityError:
        # The same id arrived twice at once (double tap): the other request stored it.
        existing = LearningEvent.objects.filter(pk=event_id).first()
        if existing is None:
            raise
        if existing.learner_id != learner.pk:
            raise EventConflict(str(event_id)) from None
        return existing, False
    return event, True


def _refold(progress: ModuleProgress, positions: dict[str, int], questions: list[str]) -> ModuleProgress:
    """The row again from its events in the order they happened (an answer sent late still counts as the first
    one if it was made first)."""
    fresh = ModuleProgress(pk=progress.pk, learner_id=progress.learner_id, module_id=progress.module_id)
    events = LearningEvent.objects.filter(learner_id=progress.learner_id, module_id=progress.module_id)
    for event in events.order_by(event_moment(), "stored_at", "id"):
        _apply(fresh, event, positions, questions)
    return fresh


@transaction.atomic
def progress_rebuild(*, learner: User | None = None) -> int:
    """Recompute every ModuleProgress (of one learner, or everyone) from the events, in the order they happened."""
    events = LearningEvent.objects.filter(module__isnull=False).order_by("learner_id", "module_id", event_moment(),
                                                                         "stored_at", "id")
    rows = ModuleProgress.objects.all()
    if learner is not None:
        events = events.filter(learner=learner)
        rows = rows.filter(learner=learner)
    rows.delete()
    layouts: dict[int, tuple[dict[str, int], list[str]]] = {}
    built: dict[tuple, ModuleProgress] = {}
    for event in events.select_related("module").iterator(chunk_size=2000):
        module = event.module
        assert module is not None  # events without a module are filtered out above
        key = (event.learner_id, module.pk)
        if key not in built:
            built[key] = ModuleProgress(learner_id=event.learner_id, module_id=module.pk)
        if module.pk not in layouts:
            layouts[module.pk] = _module_layout(module)
        _apply(built[key], event, *layouts[module.pk])
    ModuleProgress.objects.bulk_create(built.values(), batch_size=1000)
    return len(built)


@transaction.atomic
def step_answer(*, learner: User, step: Step, raw: Mapping[str, Any], event_id: uuid.UUID | str,
                client_timestamp: datetime | None = None) -> Graded:
    """Grade the learner's raw answer to a quiz step and record it (once per ``event_id``).

    ``client_timestamp``: when the device says it happened (an answer made offline, sent later).
    Raises ``InvalidAnswer`` (nothing recorded) or ``EventConflict``.
    """
    graded = step_answer_read(step, raw)
    event_record(learner=learner, event_id=event_id, verb=Verb.ANSWERED, object_type=ObjectType.QUESTION,
                 object_id=step_object_id(step), module=step.module, success=graded.correct,
                 response={"choices": graded.picked}, client_timestamp=client_timestamp)
    return graded


@dataclass(frozen=True)
class Advance:
    """Where « Suivant » leads. ``next_number`` is 1-based among the module's active steps."""

    completed: bool = False
    next_number: int | None = None
    # The module can't be completed yet: next_number is the first step not done.
    not_done: bool = False


@transaction.atomic
def step_advance(*, learner: User, step: Step, event_id: uuid.UUID | str,
                 client_timestamp: datetime | None = None) -> Advance:
    """« Suivant » on ``step``: the learner has seen it. On the last step, complete the module when
    every step is done (see ``quiz.first_not_done``); otherwise say which step to do first.

    Replaying the same ``event_id`` stores nothing new. Raises ``EventConflict``.
    """
    event_id = uuid.UUID(str(event_id))
    module = step.module
    steps = list(module.steps.filter(is_active=True).order_by("position"))
    index = next((i for i, s in enumerate(steps) if s.pk == step.pk), None)
    if index is None:
        raise ValueError(f"{step} is not an active step of its module")
    event_record(learner=learner, event_id=event_id, verb=Verb.EXPERIENCED,
                 object_type=ObjectType.QUESTION if step.is_question else ObjectType.STEP,
                 object_id=step_object_id(step), module=module, client_timestamp=client_timestamp)
    if index + 1 < len(steps):
        return Advance(next_number=index + 2)
    seen, answered = step_slugs_done(learner=learner, module=module)
    missing = first_not_done(steps, seen=seen, answered=answered)
    if missing is not None:
        return Advance(next_number=missing + 1, not_done=True)
    event_record(learner=learner, event_id=completion_event_id(event_id), verb=Verb.COMPLETED,
                 object_type=ObjectType.MODULE, object_id=module.slug, module=module,
                 client_timestamp=client_timestamp)
    return Advance(completed=True)


@transaction.atomic
def guest_attach(*, guest: User, learner: User) -> int:
    """What a guest did on a device joins the account its owner signed in with; the guest is deleted.

    Returns how many learning events joined (0 when the guest had already been attached: a double tap,
    a second tab)."""
    from tremplin.organisations.services import learner_history_move

    locked = User.objects.select_for_update().filter(pk=guest.pk, is_guest=True).first()
    if locked is None:
        return 0
    moved = learner_history_move(source=locked, target=learner)
    locked.delete()
    progress_rebuild(learner=learner)
    return moved.get("progress.LearningEvent", 0)
