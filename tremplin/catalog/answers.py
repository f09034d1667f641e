"""Reading a learner's raw answer to a choice, ordering or typing question.

One reader for every question of the product: module quiz steps (``progress``) and diagnostic
items (``diagnostic``). ``raw`` is what the learner sent: a Django ``QueryDict`` from a plain
HTML form (works without JavaScript) or a plain mapping, as the offline queue will send it
(``{"choice": "1"}``, ``{"choice": ["0", 2]}``, ``{"rank_0": "2", …}``, ``{"text": "…"}``).

The result is a small dict stored as is in events and answers: ``{"choices": [indexes]}``,
``{"ranks": [ranks]}``, ``{"text": str}`` or ``SKIP``. Grading belongs to each app.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

SKIP = {"skipped": True}
MAX_TEXT = 200

CHOICE_KINDS = {"single", "picture", "tap"}


class InvalidAnswer(ValueError):
    """The answer can't be read; ``str(exc)`` is a French sentence to show the learner."""


def _values(raw: Mapping[str, Any], key: str) -> list:
    if hasattr(raw, "getlist"):
        return raw.getlist(key)
    value = raw.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _index(value: Any, n: int) -> int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidAnswer(_("Cette réponse n'existe pas. Choisissez dans la liste."))
    try:
        i = int(value)
    except ValueError:
        raise InvalidAnswer(_("Cette réponse n'existe pas. Choisissez dans la liste.")) from None
    if not 0 <= i < n:
        raise InvalidAnswer(_("Cette réponse n'existe pas. Choisissez dans la liste."))
    return i


def read_response(kind: str, n_choices: int, raw: Mapping[str, Any], *, skippable: bool = False) -> dict:
    """The answer in ``raw`` to a question of ``kind`` with ``n_choices`` choices.

    ``skippable`` questions (the diagnostic) accept ``action=skip`` (« Je ne sais pas ») and say so
    when the learner sends nothing. Raises ``InvalidAnswer``.
    """
    if skippable and raw.get("action") == "skip":
        return dict(SKIP)
    hint = " " + _("Vous pouvez aussi appuyer sur « Je ne sais pas ».") if skippable else ""
    if kind in CHOICE_KINDS:
        value = raw.get("choice")
        if value in (None, ""):
            raise InvalidAnswer(_("Choisissez une réponse, puis appuyez sur « Valider ».") + hint)
        return {"choices": [_index(value, n_choices)]}
    if kind == "multiple":
        picked = sorted({_index(v, n_choices) for v in _values(raw, "choice")[:n_choices]})
        if not picked:
            raise InvalidAnswer(_("Cochez au moins une réponse, puis appuyez sur « Valider ».") + hint)
        return {"choices": picked}
    if kind == "order":
        ranks = []
        for i in range(n_choices):
            value = raw.get(f"rank_{i}")
            if value in (None, ""):
                raise InvalidAnswer(_("Donnez un numéro à chaque ligne."))
            ranks.append(_index(value, n_choices + 1))
        if sorted(ranks) != list(range(1, n_choices + 1)):
            raise InvalidAnswer(_("Chaque numéro ne peut servir qu'une fois. Donnez un numéro différent à chaque ligne."))
        return {"ranks": ranks}
    if kind == "text":
        value = raw.get("text")
        # NUL can't be stored in PostgreSQL text or JSON: drop it rather than fail.
        text = (value if isinstance(value, str) else "").replace("\x00", "").strip()[:MAX_TEXT]
        if not text:
            raise InvalidAnswer(_("Écrivez votre réponse dans la case, puis appuyez sur « Valider »."))
        return {"text": text}
    raise InvalidAnswer(_("Cette question n'attend pas de réponse."))
