"""Reading and scoring an answer to one item version (plain HTML forms, no JavaScript needed).

Scoring always uses the version that was shown, passed in as ``kind`` and ``data``.
"""

from __future__ import annotations

import random
import re

from django.utils.translation import gettext as _

SKIP = {"skipped": True}


class InvalidAnswer(ValueError):
    pass


def normalise_text(value: str) -> str:
    return re.sub(r"[\s.\-]+", "", value or "").casefold()


def display_order(slug: str, kind: str, n: int) -> list[int]:
    """The order choices are shown in: shuffled the same way every time (authors write the right
    answer anywhere, often first), never already in order for ``order`` items. ``tap`` zones keep
    their numbers' order."""
    order = list(range(n))
    if kind == "tap":
        return order
    random.Random(f"diagnostic/{slug}").shuffle(order)
    if kind == "order" and order == sorted(order):
        order.reverse()
    return order


def _index(raw, n: int) -> int:
    try:
        i = int(raw)
    except (TypeError, ValueError):
        raise InvalidAnswer(_("Cette réponse n'existe pas. Choisissez dans la liste.")) from None
    if not 0 <= i < n:
        raise InvalidAnswer(_("Cette réponse n'existe pas. Choisissez dans la liste."))
    return i


def read_response(kind: str, data: dict, post) -> dict:
    """The learner's answer from the form; ``action=skip`` is « Je ne sais pas »."""
    if post.get("action") == "skip":
        return dict(SKIP)
    n = len(data.get("choices") or [])
    if kind in ("single", "tap"):
        raw = post.get("choice")
        if raw in (None, ""):
            raise InvalidAnswer(_("Choisissez une réponse, puis appuyez sur « Valider ». "
                                  "Vous pouvez aussi appuyer sur « Je ne sais pas »."))
        return {"choices": [_index(raw, n)]}
    if kind == "multiple":
        picked = sorted({_index(v, n) for v in post.getlist("choice")[:n]})
        if not picked:
            raise InvalidAnswer(_("Cochez au moins une réponse, puis appuyez sur « Valider ». "
                                  "Vous pouvez aussi appuyer sur « Je ne sais pas »."))
        return {"choices": picked}
    if kind == "order":
        ranks = []
        for i in range(n):
            raw = post.get(f"rank_{i}")
            if raw in (None, ""):
                raise InvalidAnswer(_("Donnez un numéro à chaque ligne."))
            ranks.append(_index(raw, n + 1))
        if sorted(ranks) != list(range(1, n + 1)):
            raise InvalidAnswer(_("Chaque numéro ne peut servir qu'une fois. Donnez un numéro différent à chaque ligne."))
        return {"ranks": ranks}
    if kind == "text":
        text = (post.get("text") or "").strip()[:200]
        if not text:
            raise InvalidAnswer(_("Écrivez votre réponse dans la case, puis appuyez sur « Valider »."))
        return {"text": text}
    raise InvalidAnswer(_("Cette question n'attend pas de réponse."))


def is_correct(kind: str, data: dict, response: dict) -> bool:
    if response.get("skipped"):
        return False
    choices = data.get("choices") or []
    right = sorted(i for i, c in enumerate(choices) if c.get("correct"))
    if kind in ("single", "tap", "multiple"):
        return sorted(response.get("choices") or []) == right
    if kind == "order":
        return response.get("ranks") == list(range(1, len(choices) + 1))
    if kind == "text":
        given = normalise_text(response.get("text", ""))
        return any(given == normalise_text(a) for a in data.get("answers") or [])
    return False
