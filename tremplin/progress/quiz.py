"""The rules of a module's steps, without HTTP: the learner's screens and the offline sync call them.

Pure functions: reading and grading an answer to a quiz step, the order choices are shown in,
the ids of the events a step produces, and when a module counts as done.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tremplin.catalog.answers import InvalidAnswer, read_response
from tremplin.catalog.enums import StepKind
from tremplin.catalog.models import Step

__all__ = ["Graded", "InvalidAnswer", "completion_event_id", "display_order", "event_id_parse", "first_not_done",
           "grade", "step_answer_read", "step_object_id"]


@dataclass(frozen=True)
class Graded:
    # What is stored in the event and shown back: choice indexes, or the ranks given (order steps).
    picked: list[int]
    correct: bool


def step_object_id(step: Step) -> str:
    """The event object of a step: ``module-slug/step-slug`` (stable across content versions)."""
    return f"{step.module.slug}/{step.slug}"


def event_id_parse(value: Any) -> uuid.UUID | None:
    """The client-generated event id (the idempotency key of a submit), or None if it isn't one."""
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def completion_event_id(advance_event_id: uuid.UUID) -> uuid.UUID:
    """The id of the module's "completed" event, derived from the last step's « Terminer » submit,
    so a replayed submit stores the completion once."""
    return uuid.uuid5(advance_event_id, "completed")


def display_order(step: Step) -> list[int]:
    """Order questions are shown shuffled, the same way every time, never already in order."""
    n = len(step.data["choices"])
    order = list(range(n))
    if step.kind == StepKind.ORDER:
        random.Random(f"{step.module_id}/{step.slug}").shuffle(order)
        if order == sorted(order):
            order.reverse()
    return order


def step_answer_read(step: Step, raw: Mapping[str, Any]) -> Graded:
    """Read and grade the learner's raw answer to a quiz step. Raises ``InvalidAnswer``."""
    if not step.is_question:
        raise InvalidAnswer(_("Cette étape n'attend pas de réponse."))
    response = read_response(step.kind, len(step.data["choices"]), raw)
    picked = response.get("choices", response.get("ranks"))
    return Graded(picked, grade(step, picked))


def grade(step: Step, picked: Sequence[int]) -> bool:
    choices = step.data["choices"]
    right = {i for i, c in enumerate(choices) if c.get("correct")}
    if step.kind in (StepKind.SINGLE, StepKind.PICTURE):
        return len(picked) == 1 and picked[0] in right
    if step.kind == StepKind.MULTIPLE:
        return set(picked) == right
    if step.kind == StepKind.ORDER:
        return list(picked) == list(range(1, len(choices) + 1))
    return False


def first_not_done(steps: Sequence[Step], *, seen: Iterable[str], answered: Iterable[str]) -> int | None:
    """Index of the first step not done yet, None when the module may be completed.

    A lesson step is done once seen (« Suivant » pressed on it); a quiz step once answered, rightly
    or not (the feedback lets the learner go on after a wrong answer).
    """
    seen, answered = set(seen), set(answered)
    for index, step in enumerate(steps):
        if step.slug not in (answered if step.is_question else seen):
            return index
    return None
