"""Charts drawn on the server as SVG, read by everyone: ``role="img"`` with a title and a description, every bar
labelled with its name and its figure in text (colour never carries the information alone), colours of at least
3:1 against the white page, and the same figures in a table beside each chart. No JavaScript, no chart library."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

BAR = "#1d4f91"  # 8.6:1 on white
INK = "#1a1a1a"
TRACK = "#595959"  # the goal's frame: 7:1 on white
WIDTH = 640
LABEL_WIDTH = 230
ROW = 30
MAX_LABEL = 32


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


def bar_chart(*, ident: str, title: str, description: str, bars: list[Bar]) -> SafeString:
    """Horizontal bars, one per line: name at the left, bar, figure at the end of the bar."""
    top = max((bar.value for bar in bars), default=0)
    room = WIDTH - LABEL_WIDTH - 90
    height = max(ROW * len(bars), ROW) + 10
    lines = []
    for i, bar in enumerate(bars):
        y = 5 + i * ROW
        length = round(room * bar.value / top) if top else 0
        lines.append((y + 19, LABEL_WIDTH - 8, _short(bar.label), LABEL_WIDTH, y + 5, max(length, 1) if bar.value
                      else 0, LABEL_WIDTH + length + 6, y + 19, _number(bar.value)))
    body = format_html_join(
        "", '<text x="{1}" y="{0}" text-anchor="end" fill="' + INK + '" font-size="14">{2}</text>'
            '<rect x="{3}" y="{4}" width="{5}" height="20" fill="' + BAR + '"></rect>'
            '<text x="{6}" y="{7}" fill="' + INK + '" font-size="14">{8}</text>', lines)
    if not bars:
        body = format_html('<text x="10" y="25" fill="{}" font-size="14">{}</text>', INK, _("Rien à montrer."))
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{0}-t {0}-d" viewBox="0 0 {1} {2}" width="100%" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{0}-t">{3}</title><desc id="{0}-d">{4}</desc>{5}</svg>',
        ident, WIDTH, height, title, description, body)


def goal_chart(*, ident: str, reached: int, goal: int) -> SafeString:
    """How far toward the goal: a framed bar, the figures written under it."""
    room = WIDTH - 20
    length = min(room, round(room * reached / goal)) if goal else 0
    title = _("Progression vers l'objectif d'un million de personnes")
    description = _("%(reached)s personnes touchées depuis le début, sur un objectif de %(goal)s.") % {
        "reached": _number(reached), "goal": _number(goal)}
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{0}-t {0}-d" viewBox="0 0 {1} 64" width="100%" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{0}-t">{2}</title><desc id="{0}-d">{3}</desc>'
        '<rect x="10" y="8" width="{4}" height="24" fill="none" stroke="{5}" stroke-width="2"></rect>'
        '<rect x="10" y="8" width="{6}" height="24" fill="{7}"></rect>'
        '<text x="10" y="54" fill="{8}" font-size="14">{3}</text></svg>',
        ident, WIDTH, title, description, room, TRACK, length, BAR, INK)
