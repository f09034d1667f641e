"""What the public observatory may publish: statistical disclosure control (docs/areas/observatory.md).

Two rules, applied to every figure of every year at once (the years are linked: the people reached since the
beginning are the sum of each year's new people):

1. **Primary suppression**: a cell under 10 (zero included) is not published; it reads « < 10 ».
2. **Secondary suppression**: no combination of published cells may give a suppressed cell's exact value.
   The cells are linked by sums an attacker can write — national = departments + a remainder (people followed
   by no structure, double counts) that we assume the attacker knows (the worst case, so a remainder never
   protects anything); modules completed = the sum over tracks; people reached = new people + people already
   reached before (a cell never shown but protected as if it were: it is the difference of two published
   ones); people assessed twice = people who gained a level + those who did not; people reached since the
   beginning = the sum of the years' new people. More cells are masked (« masqué ») until, for every suppressed
   cell, we hold a **certificate**: another set of values, integers, that keeps every published cell and every
   sum, keeps each « < 10 » cell in 0–9 and each masked cell at 10 or more, and changes that cell. Then the
   published tables are consistent with two different values of it: nobody can compute it exactly.

The certificate is a *move*: +1 / −1 on a few suppressed cells that leaves every sum unchanged (a cycle in a
table with totals). Finding one is a small depth-first search; when none is found, the smallest published
department cell of one of the sums is masked too and the search starts again. This over-suppresses a little
compared with an optimal pattern; it never under-suppresses for the sums listed here, which
``tests/public/test_observatory_disclosure.py`` checks independently with integer programs.

Pure functions (``protect``) do the rules; ``publication()`` loads the figures (``figures.py``) and caches the
result until the rollups change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Max
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .figures import NATIONAL, Area, Figures, area_figures, children_figures
from .models import PeriodFigure, RollupWatermark
from .periods import ALL_START, Period, today

THRESHOLD = 10
PRIMARY, SECONDARY, PUBLISHED, HIDDEN = "primary", "secondary", "published", "hidden"

# Indicators published for each area (France and every department), in this order.
SCALARS = ("people_reached", "people_new", "active_structures", "active_trainers", "workshop", "attendance",
           "module_completed", "simulator_passed", "accompaniment_total")
# Breakdowns published for each area: {table: the scalar it sums to, or None when it does not add up
# (a module has several themes, a record several Coop themes)}.
BREAKDOWNS = {"module_completed_track": "module_completed", "module_completed_theme": None, "accompaniment": None}
# Published for France only (too few people per department): impact by competence.
IMPACT = ("impact_assessed_twice", "impact_gained")
RETURNING = "people_returning"  # hidden: people reached who were reached before (reached − new)
NOT_GAINED = "impact_not_gained"  # hidden: assessed twice − gained
GOAL = ("all", "people_reached", "", "")

CellId = tuple  # (year or "all", table, area code ("" = France), key)


@dataclass(frozen=True)
class Equation:
    """``total`` = Σ ``parts`` + a constant the attacker is assumed to know."""

    total: CellId
    parts: tuple[CellId, ...]


# -- the rules (pure) ---------------------------------------------------------------------------------------


def _bounds(status: str, value: int) -> tuple[int, float]:
    """What someone reading the publication knows of a cell that is not published."""
    if status == PRIMARY:
        return 0, THRESHOLD - 1
    if status == SECONDARY:
        return THRESHOLD, float("inf")
    return 0, float("inf")  # hidden: never shown, only known to be a count


class _Protector:
    def __init__(self, values: dict[CellId, int], hidden: set[CellId], equations: list[Equation]) -> None:
        self.values = values
        # A sum over nothing (no department yet) says nothing the attacker does not already assume.
        self.equations = [e for e in equations
                          if e.parts and e.total in values and all(p in values for p in e.parts)]
        self.status = {c: (HIDDEN if c in hidden else PRIMARY if v < THRESHOLD else PUBLISHED)
                       for c, v in values.items()}
        self.members: list[list[tuple[CellId, int]]] = [[(e.total, 1)] + [(p, -1) for p in e.parts]
                                                         for e in self.equations]
        self.coefficients = [dict(members) for members in self.members]
        self.of: dict[CellId, list[int]] = {}
        for index, members in enumerate(self.members):
            for cell, _coef in members:
                self.of.setdefault(cell, []).append(index)
        # The members of each sum that may move (not published): what a search looks through.
        self.open = [[(c, coef) for c, coef in members if self.status[c] != PUBLISHED] for members in self.members]
        self.certificates: dict[CellId, dict[CellId, int]] = {}
        self.exposed: list[CellId] = []  # nothing left to mask and still no certificate (checked by the tests)

    def needs_protection(self, cell: CellId) -> bool:
        status = self.status[cell]
        # A hidden cell is a difference of published ones (people reached before, people who did not gain a
        # level): protected from 1 to 9; zero says nothing about anyone (« everybody was new »).
        return status == PRIMARY or (status == HIDDEN and 0 < self.values[cell] < THRESHOLD)

    def movable(self, cell: CellId, step: int) -> bool:
        status = self.status[cell]
        if status == PUBLISHED:
            return False
        low, high = _bounds(status, self.values[cell])
        return low <= self.values[cell] + step <= high

    def find_move(self, cell: CellId, budget: int = 4000) -> dict[CellId, int] | None:
        for step in (1, -1):
            if self.movable(cell, step):
                self._budget = budget
                move = {cell: step}
                if self._balance(move):
                    return dict(move)
        return None

    def _balance(self, move: dict[CellId, int]) -> bool:
        self._budget -= 1
        if self._budget < 0 or len(move) > 24:
            return False
        worst = None
        for cell in move:
            for index in self.of.get(cell, ()):
                coefficients = self.coefficients[index]
                gap = sum(coefficients.get(member, 0) * step for member, step in move.items())
                if gap:
                    options = [(m, -gap // abs(gap) * coef) for m, coef in self.open[index] if m not in move]
                    options = [(m, s) for m, s in options if self.movable(m, s)]
                    if worst is None or len(options) < len(worst):
                        worst = options
                    if not options:
                        return False
        if worst is None:
            return True
        # Cells in few sums first (they close the cycle sooner), then the smallest.
        for member, step in sorted(worst, key=lambda o: (len(self.of.get(o[0], ())), self.values[o[0]], o[0])):
            move[member] = step
            if self._balance(move):
                return True
            del move[member]
            if self._budget < 0:
                return False
        return False

    def mask_one_more(self, cell: CellId) -> bool:
        """Mask the published cell nearest to ``cell`` through the sums: a department before France, the
        parts of a sum before its total, the smallest first. False when nothing is left to mask."""
        seen, frontier = {cell}, [cell]
        while frontier:
            candidates = []
            following = []
            for current in frontier:
                for index in self.of.get(current, ()):
                    for member, coef in self.members[index]:
                        if member in seen:
                            continue
                        seen.add(member)
                        following.append(member)
                        if self.status[member] == PUBLISHED:
                            candidates.append((len(member) > 2 and member[2] == "", coef == 1, self.values[member], member))
            if candidates:
                chosen = min(candidates)[-1]
                self.status[chosen] = SECONDARY
                for index in self.of.get(chosen, ()):
                    self.open[index].append((chosen, self.coefficients[index][chosen]))
                return True
            frontier = following
        return False

    def run(self) -> dict[CellId, str]:
        # One pass: masking more cells never breaks a certificate already found (a move leaves the masked
        # cells unchanged), so each cell is settled once.
        protected: set[CellId] = set()
        for cell in sorted((c for c in self.values if self.needs_protection(c)), key=repr):
            if cell in protected:
                continue
            while (move := self.find_move(cell)) is None:
                if not self.mask_one_more(cell):
                    # Every cell linked to it is already hidden: only the worst-case assumptions (the remainders
                    # known) pin it. Never seen outside an empty or degenerate publication.
                    self.exposed.append(cell)
                    move = {}
                    break
            for other in move:
                if self.needs_protection(other):
                    protected.add(other)
                    self.certificates.setdefault(other, move)
        return self.status


def protect(values: dict[CellId, int], *, hidden: Iterable[CellId] = (), equations: Iterable[Equation] = ()
            ) -> tuple[dict[CellId, str], dict[CellId, dict[CellId, int]]]:
    """(the status of every cell: published, primary (« < 10 »), secondary (masked) or hidden; and for each
    protected cell the move that proves it cannot be computed)."""
    protector = _Protector(dict(values), set(hidden), list(equations))
    return protector.run(), protector.certificates


# -- what the observatory publishes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One published cell: its value when published, else None and the reason."""

    status: str
    value: int | None

    @property
    def text(self) -> str:
        if self.status == PUBLISHED:
            return number_format(self.value, force_grouping=True)
        if self.status == PRIMARY:
            return _("< 10")
        return _("masqué")

    @property
    def published(self) -> bool:
        return self.status == PUBLISHED

    def __str__(self) -> str:
        return self.text


NOTHING = Shown(PRIMARY, None)


@dataclass
class Publication:
    years: list[int]
    departments: list[Area]
    cells: dict[CellId, Shown] = field(default_factory=dict)
    keys: dict[str, list[str]] = field(default_factory=dict)  # table → its keys, in order
    competences: list[str] = field(default_factory=list)

    def get(self, year: int | str, table: str, area: str = "", key: str = "") -> Shown:
        return self.cells.get((year, table, area, key), NOTHING)

    @property
    def goal(self) -> Shown:
        return self.cells.get(GOAL, NOTHING)

    def share(self, year: int, competence: str) -> int | None:
        """Percentage of people who gained a level, only when both counts it is made of are published."""
        assessed = self.get(year, "impact_assessed_twice", "", competence)
        gained = self.get(year, "impact_gained", "", competence)
        if assessed.published and gained.published and assessed.value:
            return round(100 * gained.value / assessed.value)
        return None

    def rows(self, *, area: str | None = None) -> Iterator[tuple[int | str, str, str, str, Shown]]:
        """(year, table, area code, key, cell) of every cell shown, France first then departments; only one
        department's cells when ``area`` is given."""
        for cell_id, shown in self.cells.items():
            if area is None or cell_id[2] == area:
                yield (*cell_id, shown)


def _version() -> str:
    """Changes whenever the rollups write figures: the mark they leave (``rollup.figures_written``), and the last
    figure's id for figures written any other way. Two index reads, never a count of the figures (millions)."""
    from .rollup import FIGURES_WRITTEN

    mark = RollupWatermark.objects.filter(name=FIGURES_WRITTEN).values_list("updated_at", flat=True).first()
    last = PeriodFigure.objects.aggregate(last=Max("id"))["last"]
    return f"{mark.isoformat() if mark else ''}:{last}"


def published_years() -> list[int]:
    """Every year from the first one with figures to the current one (the current year so far)."""
    first = (PeriodFigure.objects.filter(period="year").order_by("start").values_list("start", flat=True).first())
    current = today().year
    return list(range(first.year if first else current, current + 1))


def _load(years: list[int]) -> tuple[dict[CellId, int], set[CellId], list[Equation], list[Area], dict, list]:
    values: dict[CellId, int] = {}
    hidden: set[CellId] = set()
    equations: list[Equation] = []
    keys: dict[str, set[str]] = {table: set() for table in BREAKDOWNS}
    competences: set[str] = set()
    departments: list[Area] = []
    by_year: dict[int, list[tuple[Area, Figures]]] = {}
    for year in years:
        period = Period("year", dt.date(year, 1, 1))
        children = children_figures(area=NATIONAL, period=period, level="department")
        departments = [child for child, _figures in children]
        by_year[year] = [(NATIONAL, area_figures(area=NATIONAL, period=period)), *children]
        for _area, figures in by_year[year]:
            for table in BREAKDOWNS:
                keys[table].update(k for k, v in figures.by(table).items() if v)
        competences.update(figures_national for figures_national in by_year[year][0][1].by("impact_assessed_twice"))
    ordered = {table: sorted(found) for table, found in keys.items()}
    for year in years:
        areas = by_year[year]
        codes = [area.code for area, _f in areas[1:]]
        for area, figures in areas:
            code = "" if area.level == "national" else area.code
            for slug in SCALARS:
                values[(year, slug, code, "")] = int(figures[slug])
            values[(year, RETURNING, code, "")] = max(0, figures["people_reached"] - figures["people_new"])
            hidden.add((year, RETURNING, code, ""))
            equations.append(Equation((year, "people_reached", code, ""),
                                      ((year, "people_new", code, ""), (year, RETURNING, code, ""))))
            for table, total in BREAKDOWNS.items():
                found = figures.by(table)
                for key in ordered[table]:
                    values[(year, table, code, key)] = int(found.get(key, 0))
                if total:
                    equations.append(Equation((year, total, code, ""),
                                              tuple((year, table, code, key) for key in ordered[table])))
        # France = the departments + a remainder assumed known (autonomous learners, double counts).
        for table, table_keys in [(s, [""]) for s in (*SCALARS, RETURNING)] + list(ordered.items()):
            for key in table_keys:
                equations.append(Equation((year, table, "", key), tuple((year, table, c, key) for c in codes)))
        national = areas[0][1]
        assessed, gained = national.by("impact_assessed_twice"), national.by("impact_gained")
        for competence in sorted(competences):
            a, g = int(assessed.get(competence, 0)), int(gained.get(competence, 0))
            values[(year, "impact_assessed_twice", "", competence)] = a
            values[(year, "impact_gained", "", competence)] = g
            values[(year, NOT_GAINED, "", competence)] = max(0, a - g)
            hidden.add((year, NOT_GAINED, "", competence))
            equations.append(Equation((year, "impact_assessed_twice", "", competence),
                                      ((year, "impact_gained", "", competence), (year, NOT_GAINED, "", competence))))
    goal = area_figures(area=NATIONAL, period=Period("all", ALL_START))["people_reached"]
    values[GOAL] = int(goal)
    # Since the beginning = the sum of each year's new people (exact when every year with data is published).
    equations.append(Equation(GOAL, tuple((year, "people_new", "", "") for year in years)))
    return values, hidden, equations, departments, ordered, sorted(competences)


def compute_publication(years: list[int] | None = None) -> Publication:
    years = years or published_years()
    values, hidden, equations, departments, keys, competences = _load(years)
    status, _certificates = protect(values, hidden=hidden, equations=equations)
    publication = Publication(years=years, departments=departments, keys=keys, competences=competences)
    for cell_id in values:  # insertion order: year by year, France first, then departments
        if status[cell_id] == HIDDEN:
            continue
        publication.cells[cell_id] = Shown(status[cell_id],
                                           values[cell_id] if status[cell_id] == PUBLISHED else None)
    return publication


def publication() -> Publication:
    """The observatory's cells, computed once per state of the rollups (shared by every page and file)."""
    key = f"observatory:publication:{_version()}:{today().year}"
    found = cache.get(key)
    if found is None:
        found = compute_publication()
        cache.set(key, found, 24 * 3600)
    return found


def publication_file(name: str, build: Callable[[Publication], bytes]) -> bytes:
    """A file made from the publication (the open data CSV), kept as bytes for as long as the publication holds:
    a download then costs one cache read instead of loading every cell again."""
    key = f"observatory:file:{name}:{_version()}:{today().year}"
    found = cache.get(key)
    if found is None:
        found = build(publication())
        cache.set(key, found, 24 * 3600)
    return found

