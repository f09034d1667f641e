"""What a /pilotage/ page shows, computed once and read by the screen, the CSV/XLSX exports and the PDF report
(so that they always carry the same figures). Figures come from ``tremplin.stats.figures``; which areas may be read
is decided by the caller (the scoped selectors of ``organisations``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tremplin.stats.figures import (
    INDICATORS,
    Area,
    Figures,
    Period,
    children_figures,
    goal_progress,
    share,
    with_previous,
)

# The few figures each child area shows in the children table (and its chart: the first one).
CHILD_COLUMNS = ("people_reached", "people_new", "active_trainers", "module_completed", "accompaniment_total")
IMPACT = "impact_gained"


@dataclass(frozen=True)
class Row:
    """One indicator over the period and the period before."""

    slug: str
    label: str
    definition: str
    value: int
    previous: int | None  # None for « depuis le début » (no period before)
    text: str  # the value as read on the screen (a share for the impact)
    previous_text: str

    @property
    def difference(self) -> int | None:
        return None if self.previous is None else self.value - self.previous

    @property
    def trend(self) -> str:
        """↑, ↓ or = (with the difference beside it: the arrow never speaks alone)."""
        difference = self.difference
        if difference is None:
            return ""
        return "↑" if difference > 0 else "↓" if difference < 0 else "="

    @property
    def trend_text(self) -> str:
        difference = self.difference
        if difference is None:
            return "—"
        if difference > 0:
            return _("↑ hausse de %(n)s") % {"n": difference}
        if difference < 0:
            return _("↓ baisse de %(n)s") % {"n": -difference}
        return _("= stable")


@dataclass(frozen=True)
class Child:
    area: Area
    url: str
    figures: Figures
    extra: str = ""  # a structure's commune

    def values(self) -> list[int]:
        return [self.figures.get(slug, 0) for slug in CHILD_COLUMNS]


@dataclass(frozen=True)
class Breakdown:
    """A figure split by track, theme or competence (its own table, exported like the others)."""

    slug: str
    title: str
    header: list[str]
    rows: list[list]


def _breakdowns(figures: Figures) -> list[Breakdown]:
    from tremplin.catalog.models import Track
    from tremplin.coaching.enums import THEME_LABELS
    from tremplin.diagnostic.models import Competence

    tracks = dict(Track.objects.values_list("slug", "title"))
    themes = {str(k): str(v) for k, v in THEME_LABELS.items()}
    competences = dict(Competence.objects.values_list("slug", "title"))

    def counted(values: dict[str, int], names: dict[str, str]) -> list[list]:
        return [[names.get(key) or key or _("Autre"), value]
                for key, value in sorted(values.items(), key=lambda kv: (-kv[1], names.get(kv[0], kv[0])))
                if value]

    impact = [[competences.get(slug, slug), assessed, gained,
               _("%(percent)s %%") % {"percent": percent} if percent is not None else _("pas de données")]
              for slug, assessed, gained, percent in figures.impact()]
    return [
        Breakdown("parcours", _("Modules terminés par parcours"), [_("Parcours"), _("Modules terminés")],
                  counted(figures.by("module_completed_track"), tracks)),
        Breakdown("themes", _("Modules terminés par thème"), [_("Thème"), _("Modules terminés")],
                  counted(figures.by("module_completed_theme"), themes)),
        Breakdown("accompagnements", _("Accompagnements par thématique de La Coop"),
                  [_("Thématique"), _("Accompagnements")], counted(figures.by("accompaniment"), themes)),
        Breakdown("competences", _("Progression par compétence"),
                  [_("Compétence"), _("Personnes positionnées deux fois"), _("Personnes qui ont gagné un niveau"),
                   _("Part")], impact),
    ]


@dataclass
class Dashboard:
    area: Area
    period: Period
    rows: list[Row]
    no_data: bool
    goal: tuple[int, int]
    children: list[Child] = field(default_factory=list)
    children_title: str = ""
    breakdowns: list[Breakdown] = field(default_factory=list)

    @property
    def previous(self) -> Period | None:
        return self.period.previous()

    @property
    def goal_reached_text(self) -> str:
        """« 12 345 », the way figures read in French (a narrow no-break space between thousands)."""
        return f"{self.goal[0]:,}".replace(",", "\u202f")

    @property
    def goal_text(self) -> str:
        return f"{self.goal[1]:,}".replace(",", "\u202f")

    @property
    def goal_percent(self) -> str:
        reached, goal = self.goal
        return f"{100 * reached / goal:.2f}".replace(".", ",") if goal else "0"

    @property
    def child_columns(self) -> list[str]:
        labels = {indicator.slug: str(indicator.label) for indicator in INDICATORS}
        return [labels.get(slug, slug) for slug in CHILD_COLUMNS]

    def indicator_table(self) -> list[list]:
        """The indicators table as exported (header first)."""
        previous = self.previous
        header = [_("Indicateur"), self.period.label]
        if previous is not None:
            header += [previous.label, _("Évolution")]
        header.append(_("Définition"))
        table = [header]
        for row in self.rows:
            line = [row.label, row.value if row.slug != IMPACT else row.text]
            if previous is not None:
                line += [row.previous if row.slug != IMPACT else row.previous_text, row.difference]
            line.append(row.definition)
            table.append(line)
        return table

    def breakdown(self, slug: str) -> Breakdown | None:
        return next((b for b in self.breakdowns if b.slug == slug), None)

    def children_table(self) -> list[list]:
        table = [[self.children_title, *self.child_columns]]
        for child in self.children:
            table.append([child.area.name, *child.values()])
        return table


def _impact_text(figures: Figures) -> str:
    percent = share(figures.get(IMPACT, 0), figures.get("impact_assessed_twice", 0))
    if percent is None:
        return _("pas de données")
    return _("%(percent)s %% (%(gained)s sur %(assessed)s)") % {
        "percent": percent, "gained": figures.get(IMPACT, 0), "assessed": figures.get("impact_assessed_twice", 0)}


def dashboard(*, area: Area, period: Period, children: list[tuple[Area, str, str]] | None = None,
              child_level: str = "", children_title: str = "") -> Dashboard:
    """The figures of ``area`` over ``period`` and the period before, and of each child area (given by the caller
    as (area, url, extra) — only the children the person may read)."""
    current, before = with_previous(area=area, period=period)
    has_previous = period.previous() is not None
    rows = []
    for indicator in INDICATORS:
        value = current.get(indicator.slug, 0)
        previous = before.get(indicator.slug, 0) if has_previous else None
        if indicator.slug == IMPACT:
            text, previous_text = _impact_text(current), _impact_text(before) if has_previous else ""
        else:
            text, previous_text = str(value), str(previous) if has_previous else ""
        rows.append(Row(indicator.slug, str(indicator.label), str(indicator.definition), value, previous, text,
                        previous_text))
    board = Dashboard(area=area, period=period, rows=rows, no_data=current.no_data, goal=goal_progress(),
                      children_title=children_title, breakdowns=_breakdowns(current))
    if children:
        found = {child.key: figures for child, figures in children_figures(
            area=area, period=period, level=child_level, codes=[child.code for child, _url, _extra in children])}
        board.children = [Child(child, url, found.get(child.key) or Figures(), extra)
                          for child, url, extra in children]
    return board
