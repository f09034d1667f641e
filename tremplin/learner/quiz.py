"""Reading a learner's answer from a plain HTML form (works without JavaScript)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tremplin.catalog.enums import StepKind
from tremplin.catalog.models import Step


@dataclass
class Answer:
    response: list[int]
    correct: bool


class InvalidAnswer(ValueError):
    pass


def display_order(step: Step) -> list[int]:
    """Order questions are shown shuffled, the same way every time, never already in order."""
    n = len(step.data["choices"])
    order = list(range(n))
    if step.kind == StepKind.ORDER:
        random.Random(f"{step.module_id}/{step.slug}").shuffle(order)
        if order == sorted(order):
            order.reverse()
    return order


def _int(value: str, n: int) -> int:
    try:
        i = int(value)
    except (TypeError, ValueError):
        raise InvalidAnswer(_("Cette réponse n'existe pas. Choisissez dans la liste.")) from None
    if not 0 <= i < n:
        raise InvalidAnswer(_("Cette réponse n'existe pas. Choisissez dans la liste."))
    return i


def read_answer(step: Step, post) -> Answer:
    choices = step.data["choices"]
    n = len(choices)
    correct_set = {i for i, c in enumerate(choices) if c.get("correct")}
    if step.kind in (StepKind.SINGLE, StepKind.PICTURE):
        raw = post.get("choice")
        if raw in (None, ""):
            raise InvalidAnswer(_("Choisissez une réponse, puis appuyez sur « Valider »."))
        i = _int(raw, n)
        return Answer([i], i in correct_set)
    if step.kind == StepKind.MULTIPLE:
        picked = sorted({_int(v, n) for v in post.getlist("choice")[:n]})
        if not picked:
            raise InvalidAnswer(_("Cochez au moins une réponse, puis appuyez sur « Valider »."))
        return Answer(picked, set(picked) == correct_set)
    if step.kind == StepKind.ORDER:
        ranks = []
        for i in range(n):
            raw = post.get(f"rank_{i}")
            if raw in (None, ""):
                raise InvalidAnswer(_("Donnez un numéro à chaque ligne."))
            ranks.append(_int(raw, n + 1))
        if sorted(ranks) != list(range(1, n + 1)):
            raise InvalidAnswer(_("Chaque numéro ne peut servir qu'une fois. Donnez un numéro différent à chaque ligne."))
        return Answer(ranks, ranks == list(range(1, n + 1)))
    raise InvalidAnswer(_("Cette étape n'attend pas de réponse."))
