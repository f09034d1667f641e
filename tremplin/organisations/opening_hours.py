"""A minimal reading of OpenStreetMap ``opening_hours`` strings: the common « Mo-Fr 09:00-12:00,14:00-17:00; Sa … ».

Enough to say the hours in plain French and to know whether a place opens on Saturday. Anything richer
(months, week numbers, public holidays, comments) is not understood: ``describe`` then returns None and the
screen shows the text as published.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_NAMES = {"Mo": gettext_lazy("lundi"), "Tu": gettext_lazy("mardi"), "We": gettext_lazy("mercredi"),
             "Th": gettext_lazy("jeudi"), "Fr": gettext_lazy("vendredi"), "Sa": gettext_lazy("samedi"),
             "Su": gettext_lazy("dimanche")}
_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_SPAN = rf"{_DAY}(?:-{_DAY})?"
_TIME = r"\d{1,2}:\d{2}"
_RULE = re.compile(rf"^(?P<days>{_SPAN}(?:,{_SPAN})*)\s+(?P<times>{_TIME}-{_TIME}(?:\s*,\s*{_TIME}-{_TIME})*|off|closed)$")


def _days_of(selector: str) -> list[str]:
    days: list[str] = []
    for span in selector.split(","):
        start, _sep, end = span.partition("-")
        i, j = DAYS.index(start), DAYS.index(end or start)
        days.extend(DAYS[i:j + 1] if i <= j else DAYS[i:] + DAYS[:j + 1])
    return days


def parse(text: str) -> list[tuple[str, list[str], list[tuple[str, str]]]] | None:
    """[(day selector, days, [(from, to)…])] for each rule, or None if the string is not understood."""
    text = (text or "").strip()
    if not text:
        return []
    if text == "24/7":
        return [("Mo-Su", list(DAYS), [("00:00", "24:00")])]
    rules = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        match = _RULE.match(part)
        if not match:
            return None
        times = match.group("times")
        spans = [] if times in ("off", "closed") else [
            tuple(t.strip().split("-")) for t in times.split(",")]
        rules.append((match.group("days"), _days_of(match.group("days")), spans))
    return rules


def open_days(text: str) -> set[str] | None:
    """The days the place opens (later rules override earlier ones, as in OSM), or None if not understood."""
    rules = parse(text)
    if rules is None:
        return None
    opened: set[str] = set()
    for _selector, days, spans in rules:
        if spans:
            opened.update(days)
        else:
            opened.difference_update(days)
    return opened


def opens_on_saturday(text: str) -> bool:
    """True when the hours say the place opens on Saturday; a string we do not understand but that names
    Saturday (« Sa ») counts too, so that no open place is hidden by our limits."""
    days = open_days(text)
    if days is None:
        return bool(re.search(r"\bSa\b", text or ""))
    return "Sa" in days


def _time(value: str) -> str:
    hours, minutes = value.split(":")
    hours = str(int(hours))
    return f"{hours} h" if minutes == "00" else f"{hours} h {minutes}"


def _days_phrase(selector: str) -> str:
    parts = []
    for span in selector.split(","):
        start, _sep, end = span.partition("-")
        if end:
            parts.append(_("du %(start)s au %(end)s") % {"start": DAY_NAMES[start], "end": DAY_NAMES[end]})
        else:
            parts.append(str(DAY_NAMES[start]))
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def describe(text: str) -> list[str] | None:
    """Plain French lines (« Du lundi au vendredi : 9 h – 12 h, 14 h – 17 h »), or None if not understood."""
    rules = parse(text)
    if rules is None:
        return None
    if text.strip() == "24/7":
        return [_("Tous les jours, jour et nuit")]
    lines = []
    for selector, _days, spans in rules:
        if spans:
            hours = ", ".join(f"{_time(a)} – {_time(b)}" for a, b in spans)
        else:
            hours = _("fermé")
        lines.append(_("%(days)s : %(hours)s") % {"days": _days_phrase(selector), "hours": hours})
    return lines
