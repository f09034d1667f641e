"""Scoring an answer to one item version, and the order its choices are shown in.

Answers are read by ``tremplin.catalog.answers.read_response`` (shared with module quizzes).
Scoring always uses the version that was shown, passed in as ``kind`` and ``data``.
"""

from __future__ import annotations

import random
import re

# An e-mail or web address: one wrong dot or dash and the message goes nowhere, or to a copycat site.
_ADDRESS = re.compile(r"@|[\w-]\.[a-z]{2,}(?:/|$)", re.I)


def normalise_text(value: str) -> str:
    """Loose comparison for numbers and words: « 06 12 34 56 78 » is « 0612345678 »."""
    return re.sub(r"[\s.\-]+", "", value or "").casefold()


def is_address(answer: str) -> bool:
    return bool(_ADDRESS.search((answer or "").strip()))


def text_matches(given: str, answer: str) -> bool:
    """An address is compared exactly, case and surrounding spaces aside; anything else loosely."""
    if is_address(answer):
        return (given or "").strip().casefold() == answer.strip().casefold()
    return normalise_text(given) == normalise_text(answer)


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
        given = response.get("text", "")
        return any(text_matches(given, a) for a in data.get("answers") or [])
    return False
