"""The network of ``tests/network_world.py`` with figures: ``PeriodFigure`` rows written straight (as the rollups
would) so that every area, this year and last year, reads distinct numbers a test can look for on the screen, in
the exports and in the PDF."""

from __future__ import annotations

import datetime as dt

from tremplin.stats.figures import INDICATORS
from tremplin.stats.models import PeriodFigure
from tremplin.stats.periods import Period, today

from ..network_world import NetworkWorld, build_network

PLAIN = [i.slug for i in INDICATORS if i.slug not in ("module_completed", "simulator_passed", "impact_gained",
                                                      "accompaniment_total")]


def areas(world: NetworkWorld) -> dict[str, tuple[str, str]]:
    return {"national": ("national", ""), "r1": ("region", world.r1.code), "r2": ("region", world.r2.code),
            "d1": ("department", world.d1.code), "d2": ("department", world.d2.code),
            "d3": ("department", world.d3.code), "hub": ("territory", str(world.hub.pk)),
            "dep3": ("territory", str(world.dep3.pk)), "alpha": ("organisation", str(world.alpha.pk)),
            "beta": ("organisation", str(world.beta.pk)), "gamma": ("organisation", str(world.gamma.pk))}


def value(area_index: int, metric_index: int, *, previous: bool = False) -> int:
    """A number unique to (area, metric, period), easy to find in a page: 7 3 1 → 7301."""
    return 1000 * (area_index + 1) + 100 * metric_index + (1 if not previous else 2) * 7 + 11


def seed_figures(world: NetworkWorld, *, year: Period | None = None) -> dict:
    """Figures of every area for this year and the year before; returns {(area, slug, previous): value}."""
    year = year or Period.containing("year", today())
    rows, expected = [], {}
    for previous, period in ((False, year), (True, year.previous())):
        for a, (name, (level, code)) in enumerate(areas(world).items()):
            for m, slug in enumerate(PLAIN):
                v = value(a, m, previous=previous)
                rows.append(PeriodFigure(period="year", start=period.start, level=level, code=code, metric=slug,
                                         key="", value=v))
                expected[(name, slug, previous)] = v
            module = 30 + a + (5 if previous else 0)
            rows.append(PeriodFigure(period="year", start=period.start, level=level, code=code,
                                     metric="module_completed", key="module-x", value=module))
            expected[(name, "module_completed", previous)] = module
            rows.append(PeriodFigure(period="year", start=period.start, level=level, code=code,
                                     metric="impact_assessed_twice", key="email", value=8))
            rows.append(PeriodFigure(period="year", start=period.start, level=level, code=code,
                                     metric="impact_gained", key="email", value=6 if not previous else 2))
    rows.append(PeriodFigure(period="all", start=dt.date(2000, 1, 1), level="national", code="",
                             metric="people_reached", key="", value=123456))
    PeriodFigure.objects.bulk_create(rows)
    return expected


def network_with_figures(prefix: str = "9") -> tuple[NetworkWorld, dict]:
    world = build_network(prefix)
    return world, seed_figures(world)
