"""Reading the statistics (used by /pilotage/ and /observatoire/): a handful of queries over ``PeriodFigure``,
whatever the number of learners or events.

Access is not checked here: screens pass only areas the person's ``NetworkScope`` covers.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.catalog.models import Module
from tremplin.organisations.models import Department, Organisation, Region, Territory

from .models import PeriodFigure
from .periods import ALL_START, Period, period_parse

__all__ = ["INDICATORS", "LEVELS", "NATIONAL", "Area", "Figures", "Indicator", "Period", "area_figures",
           "children_figures", "goal_progress", "period_parse", "share", "with_previous"]

LEVELS = ("national", "region", "department", "territory", "organisation")
GOAL = 1_000_000


@dataclass(frozen=True)
class Area:
    """Where figures are read: ``level`` one of LEVELS, ``code`` "" (national), an INSEE code (region,
    department) or the id as text (territory, organisation)."""

    level: str
    code: str
    name: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """(level, code) as stored."""
        if self.level == "national":
            return "national", ""
        if self.level in ("territory", "organisation"):
            try:
                return self.level, str(uuid.UUID(str(self.code)))
            except ValueError:
                return self.level, str(self.code)
        return self.level, str(self.code)


NATIONAL = Area("national", "", _("France"))


@dataclass(frozen=True)
class Indicator:
    slug: str
    label: str
    definition: str


INDICATORS: list[Indicator] = [
    Indicator("people_reached", _("Personnes touchées"),
              _("Personnes différentes qui ont fait au moins une activité d'apprentissage (une étape, une question, "
                "un simulateur, un positionnement) pendant la période. Une personne suivie par plusieurs structures "
                "compte une fois par territoire, et une fois dans chaque structure.")),
    Indicator("people_new", _("Nouvelles personnes"),
              _("Personnes touchées pendant la période qui n'avaient encore jamais eu d'activité d'apprentissage "
                "dans cette zone (ou cette structure) auparavant.")),
    Indicator("active_structures", _("Structures actives"),
              _("Structures qui ont eu au moins une activité pendant la période : une activité d'une personne "
                "qu'elles suivent, un atelier, ou un compte-rendu d'accompagnement.")),
    Indicator("active_trainers", _("Aidants actifs"),
              _("Membres des équipes qui ont noté une présence à un atelier ou rédigé un compte-rendu "
                "d'accompagnement pendant la période.")),
    Indicator("workshop", _("Ateliers"),
              _("Ateliers prévus à une date de la période, quel qu'en soit le nombre de participants.")),
    Indicator("attendance", _("Présences aux ateliers"),
              _("Présences notées aux ateliers de la période : une personne venue à trois ateliers compte trois "
                "fois.")),
    Indicator("module_completed", _("Modules terminés"),
              _("Modules terminés pendant la période (toutes les étapes vues et toutes les questions répondues), "
                "comptés par parcours et par thème.")),
    Indicator("simulator_passed", _("Simulateurs réussis"),
              _("Simulateurs de démarches réussis en mode vérification pendant la période.")),
    Indicator("accompaniment_total", _("Accompagnements"),
              _("Comptes-rendus d'accompagnement datés de la période, comptés aussi par thématique de La Coop de "
                "la médiation numérique (un compte-rendu avec trois thématiques compte une fois dans chacune).")),
    Indicator("impact_gained", _("Progression des compétences"),
              _("Parmi les personnes dont le dernier positionnement terminé tombe dans la période et qui en avaient "
                "déjà fait un avant, part de celles qui ont gagné au moins un niveau dans la compétence depuis leur "
                "premier positionnement.")),
]
INDICATOR_BY_SLUG = {indicator.slug: indicator for indicator in INDICATORS}
# Metrics whose total is the sum over their keys.
SUMMED = ("module_completed", "simulator_passed", "accompaniment")


class Figures(dict):
    """{slug: total} for every indicator (0 when nothing was counted), plus breakdowns read with ``by``:
    ``by("module_completed_track")``, ``by("module_completed_theme")``, ``by("module_completed")`` (by module),
    ``by("simulator_passed")``, ``by("accompaniment")`` (Coop theme), ``by("impact_assessed_twice")`` and
    ``by("impact_gained")`` (competence). ``no_data`` is True when the period holds nothing at all."""

    def __init__(self, rows: list[tuple[str, str, int]] | None = None, modules: dict | None = None) -> None:
        super().__init__({indicator.slug: 0 for indicator in INDICATORS})
        self.breakdowns: dict[str, dict[str, int]] = {}
        for metric, key, value in rows or []:
            if key or metric in SUMMED:
                self.breakdowns.setdefault(metric, {})[key] = value
                if metric in ("module_completed", "simulator_passed"):
                    self[metric] += value
            else:
                self[metric] = value
        self["impact_assessed_twice"] = sum(self.by("impact_assessed_twice").values())
        self["impact_gained"] = sum(self.by("impact_gained").values())
        tracks: dict[str, int] = {}
        themes: dict[str, int] = {}
        for slug, value in self.by("module_completed").items():
            track, module_themes = (modules or {}).get(slug, ("", []))
            tracks[track] = tracks.get(track, 0) + value
            for theme in module_themes:
                themes[theme] = themes.get(theme, 0) + value
        self.breakdowns["module_completed_track"] = tracks
        self.breakdowns["module_completed_theme"] = themes

    def by(self, metric: str) -> dict[str, int]:
        return dict(self.breakdowns.get(metric, {}))

    @property
    def no_data(self) -> bool:
        return not any(self.values())

    def impact(self) -> list[tuple[str, int, int, int | None]]:
        """[(competence slug, people assessed twice, people who gained a level, percent or None)]."""
        gained = self.by("impact_gained")
        return [(slug, n, gained.get(slug, 0), share(gained.get(slug, 0), n))
                for slug, n in sorted(self.by("impact_assessed_twice").items())]


def share(part: int, whole: int) -> int | None:
    """A rounded percentage, or None when there is nobody to divide by (shown as « pas de données »)."""
    return round(100 * part / whole) if whole else None


def _modules() -> dict[str, tuple[str, list[str]]]:
    return {slug: (track, themes or []) for slug, track, themes in
            Module.objects.values_list("slug", "track__slug", "themes")}


def _rows(period: Period, keys: list[tuple[str, str]]) -> dict[tuple[str, str], list[tuple[str, str, int]]]:
    """One query: the figures of several areas over ``period``."""
    found: dict[tuple[str, str], list[tuple[str, str, int]]] = {key: [] for key in keys}
    if not keys:
        return found
    by_level: dict[str, list[str]] = {}
    for level, code in keys:
        by_level.setdefault(level, []).append(code)
    where = Q()
    for level, codes in by_level.items():
        where |= Q(level=level, code__in=codes)
    for level, code, metric, key, value in PeriodFigure.objects.filter(where, period=period.kind,
                                                                       start=period.start).values_list(
            "level", "code", "metric", "key", "value"):
        found[(level, code)].append((metric, key, value))
    return found


def area_figures(*, area: Area, period: Period) -> Figures:
    """Every indicator of ``area`` over ``period`` (two queries)."""
    return Figures(_rows(period, [area.key])[area.key], _modules())


def with_previous(*, area: Area, period: Period) -> tuple[Figures, Figures]:
    """(figures of the period, figures of the period just before) — the previous ones are empty for « depuis le
    début ». Three queries."""
    previous = period.previous()
    current = area_figures(area=area, period=period)
    return current, (area_figures(area=area, period=previous) if previous else Figures())


def _children(area: Area, level: str, codes: list[str] | None) -> list[Area]:
    """The areas at ``level`` inside ``area`` (one query), restricted to ``codes`` when given."""
    parent_level, parent = area.key
    wanted = None if codes is None else {Area(level, code).key[1] for code in codes}
    if level == "region":
        rows = Region.objects.all()
        if parent_level == "territory":
            rows = rows.filter(departments__territories=parent).distinct()
        found = [Area("region", r.code, r.name) for r in rows.order_by("code")]
    elif level == "department":
        rows = Department.objects.all()
        if parent_level == "region":
            rows = rows.filter(region_id=parent)
        elif parent_level == "territory":
            rows = rows.filter(territories=parent)
        found = [Area("department", d.code, d.name) for d in rows.order_by("code")]
    elif level == "territory":
        rows = Territory.objects.all()
        if parent_level in ("region", "department"):
            rows = rows.filter(**{"departments__region_id" if parent_level == "region" else "departments": parent}
                               ).distinct()
        found = [Area("territory", str(t.pk), t.name) for t in rows.order_by("name")]
    elif level == "organisation":
        rows = Organisation.objects.all()
        if parent_level == "region":
            rows = rows.filter(commune__department__region_id=parent)
        elif parent_level == "department":
            rows = rows.filter(commune__department_id=parent)
        elif parent_level == "territory":
            rows = rows.filter(commune__department__territories=parent)
        if wanted is not None:  # a page of structures: read those only, never every structure of France
            ids = [pk for pk in (_uuid_or_none(code) for code in wanted) if pk is not None]
            rows = rows.filter(pk__in=ids)
        found = [Area("organisation", str(o.pk), o.name) for o in rows.order_by("name", "pk")]
    else:
        found = []
    if wanted is not None:
        found = [child for child in found if child.key[1] in wanted]
    return found


def _uuid_or_none(value: str):
    import uuid

    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return None


def children_figures(*, area: Area, period: Period, level: str, codes: list[str] | None = None
                     ) -> list[tuple[Area, Figures]]:
    """The figures of each area at ``level`` inside ``area`` (regions of France, departments of a region or a
    territory, structures of a department…), every child listed even with no data. Three queries."""
    children = _children(area, level, codes)
    rows = _rows(period, [child.key for child in children])
    modules = _modules()
    return [(child, Figures(rows[child.key], modules)) for child in children]


def goal_progress() -> tuple[int, int]:
    """(people reached since the beginning, the goal of one million) — one query."""
    value = PeriodFigure.objects.filter(period="all", start=ALL_START, level="national", code="",
                                        metric="people_reached", key="").values_list("value", flat=True).first()
    return value or 0, GOAL
