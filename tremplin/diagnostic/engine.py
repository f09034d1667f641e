"""The adaptive diagnostic's engine: pure functions over numpy arrays, no Django (see docs/adr/0005-adaptive-diagnostic.md).

Model. Each competence ``c`` has a latent ability ``theta_c`` (logit scale). An item answers the
two-parameter logistic model ``P(right) = 1 / (1 + exp(-a (theta - b)))``. Competences are
correlated (someone who cannot use a phone rarely manages online forms), so the prior is
hierarchical: ``theta_c = g + u_c`` with a general level ``g ~ N(mu, sd_general²)`` and a
specific part ``u_c ~ N(0, sd_specific²)``. Everything is computed exactly on a grid: the
posterior of each competence is an expected a posteriori (EAP) estimate that borrows strength
from the answers given in the other competences.

Levels are bands of theta cut at ``CUTS``; an item's author level sets its starting difficulty
(the lower cut of its level: a learner in the middle of that level answers it right about
4 times out of 5). ``recalibrate_difficulty`` re-estimates a difficulty from logged answers.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

LEVELS: tuple[str, ...] = ("debutant", "initie", "autonome", "confirme")
CUTS: tuple[float, ...] = (-1.5, 0.0, 1.5)
LEVEL_CENTRES: tuple[float, ...] = (-2.25, -0.75, 0.75, 2.25)
AUTHOR_DIFFICULTY: dict[str, float] = {"debutant": -3.0, "initie": -1.5, "autonome": 0.0, "confirme": 1.5}
DEFAULT_DISCRIMINATION = 2.0
GRID: tuple[float, ...] = tuple(round(-4.0 + 0.25 * i, 10) for i in range(33))
_GRID_SQ = tuple(t * t for t in GRID)
# Grid index where each level band starts (GRID is sorted), for fast sums per level.
_BAND_START = (0, *(next(i for i, t in enumerate(GRID) if t >= c) for c in CUTS), len(GRID))


@dataclass(frozen=True)
class Config:
    max_items: int = 25
    sd_target: float = 0.45  # a competence is settled when its posterior SD is below this
    prior_mean: float = 0.0
    sd_general: float = 1.5
    sd_specific: float = 0.8
    rotation_rounds: int = 2  # every competence gets this many items before the rest go where doubt is


@dataclass(frozen=True)
class Item:
    key: str
    competence: str
    difficulty: float
    discrimination: float = DEFAULT_DISCRIMINATION


@dataclass(frozen=True)
class Estimate:
    competence: str
    mean: float
    sd: float
    level: str
    level_probabilities: tuple[float, ...]
    n_items: int


def p_correct(theta: float, a: float, b: float) -> float:
    x = a * (theta - b)
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def information(theta: float, item: Item) -> float:
    p = p_correct(theta, item.discrimination, item.difficulty)
    return item.discrimination ** 2 * p * (1.0 - p)


def level_of(theta: float) -> str:
    return LEVELS[sum(theta >= c for c in CUTS)]


def level_index(level: str) -> int:
    return LEVELS.index(level)


def _normal(x: float, mean: float, sd: float) -> float:
    return math.exp(-0.5 * ((x - mean) / sd) ** 2)


def _normalised(values: Sequence[float]) -> list[float]:
    total = sum(values)
    if total <= 0 or not math.isfinite(total):
        return [1.0 / len(values)] * len(values)
    return [v / total for v in values]


_GRID_ARRAY = np.array(GRID)
_GRID_SQ_ARRAY = np.array(_GRID_SQ)
_BAND_EDGES = np.array(_BAND_START[:-1])


def _normalised_array(values: np.ndarray) -> np.ndarray:
    total = float(values.sum())
    if total <= 0 or not math.isfinite(total):
        return np.full(len(values), 1.0 / len(values))
    return values / total


def _p_correct_grid(a: float, b: float) -> np.ndarray:
    """``p_correct`` at every grid point (the logistic written so that it never overflows)."""
    x = a * (_GRID_ARRAY - b)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


@functools.lru_cache(maxsize=8)
def _grids(cfg: Config) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The prior over the general level and the kernel p(theta | g) for a configuration (built once: they
    depend on the configuration only). Kernel entries further than 4 SD from the diagonal are negligible and
    set to zero in the trimmed copy."""
    prior_g = np.array(_normalised([_normal(g, cfg.prior_mean, cfg.sd_general) for g in GRID]))
    # kernel[i][j] = p(theta_j | g_i), each row normalised over the theta grid.
    kernel = [_normalised([_normal(t, g, cfg.sd_specific) for t in GRID]) for g in GRID]
    reach = 4 * cfg.sd_specific
    trimmed = [[v if abs(g - t) <= reach else 0.0 for v, t in zip(row, GRID, strict=True)]
               for row, g in zip(kernel, GRID, strict=True)]
    for array in (prior_g, kernel_array := np.array(kernel), trimmed_array := np.array(trimmed)):
        array.setflags(write=False)
    return prior_g, kernel_array, trimmed_array


@dataclass
class Posterior:
    """Posterior over every competence given the answers so far; ``add`` folds in one more answer.

    Vectors over the grid are numpy arrays (the sums over the grid are small matrix products: a diagnostic
    question page, and the 1,000 simulated learners of the tests, spend most of their time here).
    """

    competences: tuple[str, ...]
    config: Config = field(default_factory=Config)

    def __post_init__(self) -> None:
        self._prior_g, self._kernel, self._kernel_trimmed = _grids(self.config)
        self._likelihood: dict[str, np.ndarray] = {}
        self._message: dict[str, np.ndarray] = {}  # m_c(g) = sum_theta p(theta|g) L_c(theta)
        self.counts: dict[str, int] = dict.fromkeys(self.competences, 0)

    def add(self, item: Item, correct: bool) -> None:
        c = item.competence
        p = _p_correct_grid(item.discrimination, item.difficulty)
        like = self._likelihood.get(c)
        like = (p if correct else 1.0 - p) * (1.0 if like is None else like)
        top = float(like.max()) or 1.0
        like = like / top
        self._likelihood[c] = like
        message = self._kernel @ like
        top = float(message.max()) or 1.0
        self._message[c] = message / top
        self.counts[c] = self.counts.get(c, 0) + 1

    def marginal(self, competence: str) -> list[float]:
        return self._marginal(competence).tolist()

    def _marginal(self, competence: str) -> np.ndarray:
        weights = self._prior_g
        for other, message in self._message.items():
            if other != competence:
                weights = weights * message
        theta_prior = weights @ self._kernel_trimmed
        like = self._likelihood.get(competence)
        if like is not None:
            theta_prior = theta_prior * like
        return _normalised_array(theta_prior)

    def estimate(self, competence: str, post: Sequence[float] | np.ndarray | None = None) -> Estimate:
        post = self._marginal(competence) if post is None else np.asarray(post, dtype=float)
        mean = float(post @ _GRID_ARRAY)
        var = max(0.0, float(post @ _GRID_SQ_ARRAY) - mean * mean)
        probs = _band_masses(post)
        level = LEVELS[max(range(len(LEVELS)), key=probs.__getitem__)]
        return Estimate(competence, round(mean, 4), round(math.sqrt(var), 4), level,
                        tuple(round(p, 4) for p in probs), self.counts.get(competence, 0))

    def estimates(self) -> dict[str, Estimate]:
        return {c: self.estimate(c) for c in self.competences}


def posterior_from(competences: Sequence[str], answers: Iterable[tuple[Item, bool]],
                   config: Config | None = None) -> Posterior:
    post = Posterior(tuple(competences), config or Config())
    for item, correct in answers:
        post.add(item, correct)
    return post


def _band_masses(post: Sequence[float] | np.ndarray) -> list[float]:
    return np.add.reduceat(np.asarray(post, dtype=float), _BAND_EDGES).tolist()


def _best_item(candidates: Sequence[Item], theta: float) -> Item | None:
    # Most informative at the current estimate; ties broken by key so the choice is reproducible.
    return max(candidates, key=lambda it: (round(information(theta, it), 9), it.key), default=None)


def next_item(posterior: Posterior, bank: Sequence[Item], asked: Sequence[str],
              config: Config | None = None) -> Item | None:
    """The next item to ask, or None when the test should stop.

    First a rotation: the competences are visited in turn until each has had
    ``rotation_rounds`` items, so all of them are covered. Then the next item goes to the
    competence whose level is the least certain. A competence is skipped when it is settled
    (posterior SD under the target) or has no item left. Within the competence, the item with
    the most information at the current estimate. The test stops at ``max_items`` or when every
    competence is settled.
    """
    cfg = config or posterior.config
    if len(asked) >= cfg.max_items:
        return None
    asked_set = set(asked)
    remaining: dict[str, list[Item]] = {c: [] for c in posterior.competences}
    for it in bank:
        if it.key not in asked_set and it.competence in remaining:
            remaining[it.competence].append(it)
    open_: list[tuple[str, np.ndarray, Estimate]] = []
    for c in posterior.competences:
        if not remaining[c]:
            continue
        if posterior.counts.get(c, 0) < cfg.rotation_rounds:
            # Rotation: the first competence (in framework order) with the fewest items so far.
            fewest = min(posterior.counts.get(x, 0) for x in posterior.competences if remaining[x])
            if posterior.counts.get(c, 0) == fewest:
                post = posterior._marginal(c)
                est = posterior.estimate(c, post)
                return _best_item(remaining[c], est.mean)
            continue
        post = posterior._marginal(c)
        est = posterior.estimate(c, post)
        if est.sd >= cfg.sd_target:
            open_.append((c, post, est))
    if not open_:
        return None
    c, post, est = min(open_, key=lambda x: (max(x[2].level_probabilities), x[0]))
    return _best_item(remaining[c], est.mean)


def recalibrate_difficulty(observations: Sequence[tuple[float, bool]], *, discrimination: float,
                           prior_difficulty: float, prior_sd: float = 0.5, iterations: int = 25) -> float:
    """Maximum a posteriori difficulty of one item given (ability, right?) pairs.

    The normal prior centred on the author's difficulty shrinks items with few answers
    toward what the author wrote; with many answers the data win. Newton-Raphson in 1-D.
    """
    b = prior_difficulty
    a = discrimination
    for _ in range(iterations):
        grad = -(b - prior_difficulty) / prior_sd ** 2
        hess = -1.0 / prior_sd ** 2
        for theta, correct in observations:
            p = p_correct(theta, a, b)
            grad += -a * ((1.0 if correct else 0.0) - p)
            hess += -a * a * p * (1.0 - p)
        step = grad / hess
        b -= max(-1.0, min(1.0, step))
        if abs(step) < 1e-6:
            break
    return round(max(-4.0, min(4.0, b)), 4)
