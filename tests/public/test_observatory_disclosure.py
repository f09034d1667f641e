"""The differencing test: nobody can compute a suppressed cell from what the observatory publishes.

The published tables are read back from the open data file, as anyone would. The sums that link them are written
here, independently of ``stats.publication``: France = the departments + the remainder (autonomous learners,
double counts — assumed known: the worst case), a total = its categories, people reached = new people + people
reached before, the goal = the sum of each year's new people, and a theme never above its total. For every cell
that is not published, two integer programs (scipy's HiGHS) find its smallest and its largest value consistent
with all of that: they must differ. The same computation on the naive publication (only the cells under 10
hidden) finds the leaks, so the test can fail.
"""

from __future__ import annotations

import csv
import io
import random

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from tremplin.stats.figures import NATIONAL, area_figures, children_figures, goal_progress
from tremplin.stats.periods import ALL_START, Period
from tremplin.stats.publication import Equation, protect

from .observatory_world import LAST_YEAR, THIS_YEAR, small_world

pytestmark = pytest.mark.django_db
BIG = 10**7
ADDITIVE = {"module_completed": "module_completed_track"}  # total: the table of its categories
NOT_ADDITIVE = {"module_completed_theme": "module_completed", "accompaniment": "accompaniment_total"}


def published_cells(client) -> dict[tuple, tuple[str, int | None]]:
    """{(year, indicator, department code, detail): (status, value)} read from /observatoire/donnees.csv."""
    content = client.get("/observatoire/donnees.csv").content.decode("utf-8-sig")
    cells = {}
    for row in csv.DictReader(io.StringIO(content), delimiter=";"):
        year = "all" if row["annee"] == "depuis le début" else int(row["annee"])
        cells[(year, row["indicateur"], row["code_departement"], row["detail"])] = (
            row["statut"], int(row["valeur"]) if row["valeur"] else None)
    return cells


def true_values(cells) -> dict[tuple, int]:
    """The real figures behind every published cell (the reading API, not the publication)."""
    truth = {}
    for year in sorted({c[0] for c in cells if c[0] != "all"}):
        period = Period("year", ALL_START.replace(year=year))
        areas = [(NATIONAL, area_figures(area=NATIONAL, period=period)),
                 *children_figures(area=NATIONAL, period=period, level="department")]
        for area, figures in areas:
            code = "" if area.level == "national" else area.code
            for (y, table, c, key) in cells:
                if y == year and c == code:
                    truth[(y, table, c, key)] = figures.by(table).get(key, 0) if key else figures[table]
    truth[("all", "people_reached", "", "")] = goal_progress()[0]
    return truth


class Knowledge:
    """What a reader knows: published values, bounds of the others, linear sums and inequalities."""

    def __init__(self, cells: dict[tuple, tuple[str, int | None]], truth: dict[tuple, int]) -> None:
        self.known = {c: v for c, (status, v) in cells.items() if status == "publié"}
        self.bounds = {c: (0, 9) if status == "inférieur à 10" else (10, BIG)
                       for c, (status, v) in cells.items() if status != "publié"}
        self.truth = dict(truth)
        self.rows: list[tuple[dict, float, float]] = []  # ({cell: coefficient}, low, high) on the true values
        self.hidden: list[tuple] = []
        cells_list = list(cells)
        years = sorted({c[0] for c in cells_list if c[0] != "all"})
        codes = sorted({c[2] for c in cells_list if c[2]})
        for (year, table, code, key) in cells_list:
            if year == "all" or code:
                continue
            parts = [(year, table, d, key) for d in codes if (year, table, d, key) in cells]
            if parts:  # France = Σ departments + a remainder the reader is assumed to know
                remainder = truth[(year, table, "", key)] - sum(truth[p] for p in parts)
                self.equal({(year, table, "", key): 1, **{p: -1 for p in parts}}, remainder)
        for year in years:
            for code in ["", *codes]:
                for total, table in ADDITIVE.items():
                    parts = [c for c in cells_list if c[:3] == (year, table, code)]
                    if parts and (year, total, code, "") in cells:
                        self.equal({(year, total, code, ""): 1, **{p: -1 for p in parts}}, 0)
                for table, total in NOT_ADDITIVE.items():
                    for part in (c for c in cells_list if c[:3] == (year, table, code)):
                        if (year, total, code, "") in cells:
                            self.rows.append(({part: 1, (year, total, code, ""): -1}, -np.inf, 0))
                reached, new = (year, "people_reached", code, ""), (year, "people_new", code, "")
                if reached in cells:
                    self.difference(reached, new, (year, "before", code, ""))
            for key in {c[3] for c in cells_list if c[0] == year and c[1] == "impact_assessed_twice"}:
                self.difference((year, "impact_assessed_twice", "", key), (year, "impact_gained", "", key),
                                (year, "not_gained", "", key))
        self.equal({("all", "people_reached", "", ""): 1, **{(y, "people_new", "", ""): -1 for y in years}}, 0)

    def equal(self, coefficients: dict, constant: int) -> None:
        self.rows.append((coefficients, constant, constant))

    def difference(self, total, part, rest) -> None:
        """total = part + rest, the rest never shown (hidden, 0 or more)."""
        self.truth[rest] = self.truth[total] - self.truth[part]
        self.bounds[rest] = (0, BIG)
        self.hidden.append(rest)
        self.equal({total: 1, part: -1, rest: -1}, 0)

    def _linked(self, cell) -> tuple[list, list]:
        """The unknown cells and the rows linked to ``cell`` through rows holding unknowns (the rest cannot
        change its range): smaller programs, same answer."""
        rows_of: dict = {}
        for number, (coefficients, _low, _high) in enumerate(self.rows):
            for c in coefficients:
                if c in self.bounds:
                    rows_of.setdefault(c, []).append(number)
        cells, rows, frontier = {cell}, set(), [cell]
        while frontier:
            current = frontier.pop()
            for number in rows_of.get(current, ()):
                if number not in rows:
                    rows.add(number)
                    for c in self.rows[number][0]:
                        if c in self.bounds and c not in cells:
                            cells.add(c)
                            frontier.append(c)
        return sorted(cells, key=repr), sorted(rows)

    def range_of(self, cell) -> tuple[float, float]:
        """Smallest and largest integer value of ``cell`` consistent with everything the reader knows."""
        unknown, linked_rows = self._linked(cell)
        index = {c: i for i, c in enumerate(unknown)}
        matrix, lows, highs = [], [], []
        for coefficients, low, high in (self.rows[n] for n in linked_rows):
            row = np.zeros(len(unknown))
            shift = 0
            for c, coef in coefficients.items():
                if c in index:
                    row[index[c]] += coef
                else:
                    shift += coef * self.known[c]
            if row.any():
                matrix.append(row)
                lows.append(low - shift)
                highs.append(high - shift)
        bounds = Bounds([self.bounds[c][0] for c in unknown], [self.bounds[c][1] for c in unknown])
        constraints = [LinearConstraint(np.array(matrix), lows, highs)] if matrix else []
        found = []
        for sign in (1, -1):
            objective = np.zeros(len(unknown))
            objective[index[cell]] = sign
            result = milp(objective, constraints=constraints, bounds=bounds, integrality=np.ones(len(unknown)))
            assert result.success, result.message
            found.append(sign * result.fun)
            if found[0] < self.truth[cell] - 0.5:  # already two possible values: the largest is not needed
                return found[0], self.truth[cell]
        return found[0], found[1]

    def exact_cells(self) -> list[tuple]:
        """Cells under 10 (shown « < 10 », or hidden differences from 1 to 9) whose value can be computed."""
        protected = [c for c, b in self.bounds.items() if b == (0, 9)]
        protected += [c for c in self.hidden if 0 < self.truth[c] < 10]
        exact = []
        for cell in protected:
            low, high = self.range_of(cell)
            assert low - 1e-6 <= self.truth[cell] <= high + 1e-6, (cell, low, high)  # the model is right
            if high - low < 0.5:
                exact.append((cell, round(low)))
        return exact


def naive(cells, truth):
    """The same tables with only the cells under 10 hidden."""
    return {c: (("publié", truth[c]) if truth[c] >= 10 else ("inférieur à 10", None)) for c in cells}


def test_no_published_combination_gives_back_a_suppressed_cell_where_naive_publication_would(client):
    small_world()
    cells = published_cells(client)
    truth = true_values(cells)
    assert all(v is None or v == truth[c] for c, (_s, v) in cells.items())  # published values are the true ones

    leaks = Knowledge(naive(cells, truth), truth).exact_cells()
    assert ((THIS_YEAR, "people_reached", "52", ""), 3) in leaks  # France minus the other departments
    assert ((LAST_YEAR, "people_new", "", ""), 4) in leaks  # the goal minus this year's new people
    assert ((THIS_YEAR, "module_completed_track", "10", "emploi"), 4) in leaks  # Aube's total minus a track

    assert Knowledge(cells, truth).exact_cells() == []
    assert any(status == "masqué" for status, _v in cells.values())


def table_2d(rng: random.Random, rows: int, columns: int) -> tuple[dict, list[Equation]]:
    """A department × category table with its totals, many small cells."""
    values, equations = {}, []
    for r in range(rows):
        for c in range(columns):
            values[(r, c)] = rng.choice([0, 1, 2, 5, 9, 10, 12, 30, 80])
    for r in range(rows):
        values[(r, "T")] = sum(values[(r, c)] for c in range(columns))
        equations.append(Equation((r, "T"), tuple((r, c) for c in range(columns))))
    for c in [*range(columns), "T"]:
        values[("N", c)] = sum(values[(r, c)] for r in range(rows)) + rng.choice([0, 3])
        equations.append(Equation(("N", c), tuple((r, c) for r in range(rows))))
    values[("N", "T")] = sum(values[("N", c)] for c in range(columns))
    equations.append(Equation(("N", "T"), tuple(("N", c) for c in range(columns))))
    return values, equations


@pytest.mark.parametrize("seed", range(12))
def test_random_tables_with_totals_leave_no_suppressed_cell_computable(seed):
    rng = random.Random(seed)
    values, equations = table_2d(rng, rng.randint(2, 5), rng.randint(2, 5))
    status, certificates = protect(values, equations=equations)
    knowledge = Knowledge.__new__(Knowledge)
    knowledge.known = {c: v for c, v in values.items() if status[c] == "published"}
    knowledge.bounds = {c: (0, 9) if status[c] == "primary" else (10, BIG)
                        for c in values if status[c] != "published"}
    knowledge.truth, knowledge.hidden = values, []
    knowledge.rows = []
    for e in equations:  # the remainders of France are known: the constants are the true ones
        constant = values[e.total] - sum(values[p] for p in e.parts)
        knowledge.equal({e.total: 1, **{p: -1 for p in e.parts}}, constant)
    assert knowledge.exact_cells() == []
    for cell, move in certificates.items():  # each certificate is another table with the same published cells
        assert move.get(cell) and all(status[c] != "published" for c in move)
