"""The adaptive diagnostic's engine: pure Python, no Django (see docs/adr/0005-adaptive-diagnostic.md).

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

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import mul

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


@dataclass
class Posterior:
    """Posterior over every competence given the answers so far; ``add`` folds in one more answer."""

    competences: tuple[str, ...]
    config: Config = field(default_factory=Config)

    def __post_init__(self) -> None:
        cfg = self.config
        self._prior_g = _normalised([_normal(g, cfg.prior_mean, cfg.sd_general) for g in GRID])
        # kernel[i][j] = p(theta_j | g_i), each row normalised over the theta grid.
        self._kernel = [_normalised([_normal(t, g, cfg.sd_specific) for t in GRID]) for g in GRID]
        # Columns of the kernel, trimmed to where p(theta_j | g) is not negligible (4 SD).
        reach = 4 * cfg.sd_specific
        self._kernel_t = []
        for j, t in enumerate(GRID):
            rows = [i for i, g in enumerate(GRID) if abs(g - t) <= reach]
            self._kernel_t.append((rows[0], rows[-1] + 1, [self._kernel[i][j] for i in rows]))
        self._likelihood: dict[str, list[float]] = {}
        self._message: dict[str, list[float]] = {}  # m_c(g) = sum_theta p(theta|g) L_c(theta)
        self.counts: dict[str, int] = dict.fromkeys(self.competences, 0)

    def add(self, item: Item, correct: bool) -> None:
        c = item.competence
        like = self._likelihood.get(c) or [1.0] * len(GRID)
        a, b = item.discrimination, item.difficulty
        like = [v * (p if correct else 1.0 - p) for v, p in zip(like, (p_correct(t, a, b) for t in GRID), strict=True)]
        top = max(like) or 1.0
        like = [v / top for v in like]
        self._likelihood[c] = like
        message = [sum(map(mul, row, like)) for row in self._kernel]
        top = max(message) or 1.0
        self._message[c] = [m / top for m in message]
        self.counts[c] = self.counts.get(c, 0) + 1

    def marginal(self, competence: str) -> list[float]:
        weights = list(self._prior_g)
        for other, message in self._message.items():
            if other != competence:
                weights = list(map(mul, weights, message))
        theta_prior = [sum(map(mul, weights[lo:hi], col)) for lo, hi, col in self._kernel_t]
        like = self._likelihood.get(competence)
        if like is not None:
            theta_prior = list(map(mul, theta_prior, like))
        return _normalised(theta_prior)

    def estimate(self, competence: str, post: Sequence[float] | None = None) -> Estimate:
        post = self.marginal(competence) if post is None else post
        mean = sum(map(mul, post, GRID))
        var = max(0.0, sum(map(mul, post, _GRID_SQ)) - mean * mean)
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


def _band_masses(post: Sequence[float]) -> list[float]:
    return [sum(post[_BAND_START[k]:_BAND_START[k + 1]]) for k in range(len(LEVELS))]


def _expected_accuracy(post: Sequence[float], item: Item) -> float:
    """Probability of naming the right level after this item's answer (whatever it is)."""
    right = [p * p_correct(t, item.discrimination, item.difficulty) for p, t in zip(post, GRID, strict=True)]
    wrong = [p - r for p, r in zip(post, right, strict=True)]
    # sum over answers of P(answer) * max_level P(level | answer) = sum over answers of max_level P(level, answer)
    return max(_band_masses(right)) + max(_band_masses(wrong))


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
    open_: list[tuple[str, list[float], Estimate]] = []
    for c in posterior.competences:
        if not remaining[c]:
            continue
        if posterior.counts.get(c, 0) < cfg.rotation_rounds:
            # Rotation: the first competence (in framework order) with the fewest items so far.
            fewest = min(posterior.counts.get(x, 0) for x in posterior.competences if remaining[x])
            if posterior.counts.get(c, 0) == fewest:
                post = posterior.marginal(c)
                est = posterior.estimate(c, post)
                return _best_item(remaining[c], est.mean)
            continue
        post = posterior.marginal(c)
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
