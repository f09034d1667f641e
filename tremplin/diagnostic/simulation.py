"""Simulated learners taking the adaptive diagnostic (used by the simulation test and the bench).

A simulated learner has a true level per competence. Levels are correlated the way real
learners' are: a general level drawn uniformly among the 4, and each competence one level
lower or higher than it 2 times out of 10 each. Inside its level band the true ability is
uniform. Each answer is drawn from the 2PL model with the item's true parameters.

``robustness_variants`` gives the ways real items differ from what the engine assumes (the bench
prints them all; the simulation test asserts each): author difficulties off by 0.4, lucky guesses
on choice items, discriminations spread around the assumed 2.0.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .engine import CUTS, LEVELS, Config, Item, Posterior, level_index, next_item, p_correct

EDGE = 3.0  # the outer bands (Débutant, Confirmé) are as wide as the inner ones


@dataclass
class SimulationReport:
    learners: int
    estimates: int
    exact: int
    within_one: int
    lengths: list[int] = field(default_factory=list)
    confusion: dict[tuple[int, int], int] = field(default_factory=dict)  # (true level, estimated level) -> count
    max_items: int = Config().max_items

    @property
    def stopped_early_rate(self) -> float:
        """Share of diagnostics that ended before the cap on questions (every competence settled)."""
        return sum(n < self.max_items for n in self.lengths) / len(self.lengths)

    def exact_rate_at(self, level: int) -> float:
        """Share of the competences truly at ``level`` (0 = Débutant) that were estimated at that level."""
        total = sum(n for (true, _), n in self.confusion.items() if true == level)
        return self.confusion.get((level, level), 0) / total

    def overestimated_by_two_rate(self) -> float:
        """Share of all estimates placed two levels or more above the truth (a beginner told « Autonome »)."""
        return sum(n for (true, est), n in self.confusion.items() if est - true >= 2) / self.estimates

    @property
    def exact_rate(self) -> float:
        return self.exact / self.estimates

    @property
    def within_one_rate(self) -> float:
        return self.within_one / self.estimates

    @property
    def mean_length(self) -> float:
        return sum(self.lengths) / len(self.lengths)

    def summary(self) -> str:
        lengths = sorted(self.lengths)
        return (f"{self.learners} apprenants simulés, {self.estimates} niveaux estimés : "
                f"exact {self.exact_rate:.1%}, à un niveau près {self.within_one_rate:.2%}, "
                f"longueur moyenne {self.mean_length:.1f} questions "
                f"(min {lengths[0]}, médiane {lengths[len(lengths) // 2]}, max {lengths[-1]}), "
                f"arrêt avant {self.max_items} questions {self.stopped_early_rate:.1%}")


def draw_learner(rng: random.Random, competences: Sequence[str]) -> tuple[dict[str, int], dict[str, float]]:
    general = rng.randrange(len(LEVELS))
    levels, thetas = {}, {}
    for c in competences:
        r = rng.random()
        level = min(len(LEVELS) - 1, max(0, general + (-1 if r < 0.2 else 1 if r >= 0.8 else 0)))
        low = CUTS[level - 1] if level > 0 else -EDGE
        high = CUTS[level] if level < len(CUTS) else EDGE
        levels[c], thetas[c] = level, rng.uniform(low, high)
    return levels, thetas


def simulate(bank: Sequence[Item], competences: Sequence[str], *, learners: int = 1000, seed: int = 2026,
             config: Config | None = None,
             truth: Callable[[Item], Item] | None = None,
             guessing: float | Mapping[str, float] = 0.0) -> SimulationReport:
    """Run ``learners`` simulated diagnostics. ``truth`` maps the engine's item to the item as it
    really behaves (to test robustness to wrong author difficulties); ``guessing`` adds lucky guesses,
    the same chance for every item or one per item key."""
    cfg = config or Config()
    rng = random.Random(seed)
    real = {it.key: (truth(it) if truth else it) for it in bank}
    guess = guessing if isinstance(guessing, Mapping) else {it.key: guessing for it in bank}
    report = SimulationReport(learners, 0, 0, 0, max_items=cfg.max_items)
    for _ in range(learners):
        levels, thetas = draw_learner(rng, competences)
        post = Posterior(tuple(competences), cfg)
        asked: list[str] = []
        while (item := next_item(post, bank, asked, cfg)) is not None:
            r = real[item.key]
            p = p_correct(thetas[item.competence], r.discrimination, r.difficulty)
            g = guess.get(item.key, 0.0)
            p = g + (1 - g) * p
            post.add(item, rng.random() < p)
            asked.append(item.key)
        report.lengths.append(len(asked))
        for c in competences:
            est = level_index(post.estimate(c).level)
            report.estimates += 1
            report.exact += est == levels[c]
            report.within_one += abs(est - levels[c]) <= 1
            report.confusion[(levels[c], est)] = report.confusion.get((levels[c], est), 0) + 1
    return report


def bank_items(bank) -> list[Item]:
    """Engine items from a content bank (``content_files.read_bank``), at the author's difficulty."""
    from .engine import AUTHOR_DIFFICULTY, DEFAULT_DISCRIMINATION

    return [Item(it.data.slug, it.competence, AUTHOR_DIFFICULTY[it.data.level], DEFAULT_DISCRIMINATION)
            for it in bank.items]


def guess_rates(bank) -> dict[str, float]:
    """The chance of a right answer by picking at random, per item of a content bank: one choice among n
    (single, tap), a non-empty set among 2^n - 1 (multiple), an order among n! (order); nil for typed text."""
    rates = {}
    for it in bank.items:
        n = len(it.data.choices or [])
        kind = it.data.kind
        rates[it.data.slug] = (1 / n if kind in ("single", "tap") and n else
                               1 / (2 ** n - 1) if kind == "multiple" and n else
                               1 / math.factorial(n) if kind == "order" and n else 0.0)
    return rates


def robustness_variants(bank: Sequence[Item], guesses: Mapping[str, float], *, seed: int = 7) -> dict[str, dict]:
    """``simulate`` keyword arguments for items that do not behave as the engine assumes, by French label."""
    rng = random.Random(seed)
    offset = {it.key: rng.choice((-0.4, 0.4)) for it in bank}
    sharpness = {it.key: rng.uniform(1.0, 3.0) for it in bank}
    return {
        "difficultés d'auteur fausses de ±0,4": {
            "truth": lambda it: replace(it, difficulty=it.difficulty + offset[it.key])},
        "réponses au hasard sur les questions à choix": {"guessing": dict(guesses)},
        "discriminations de 1 à 3": {"truth": lambda it: replace(it, discrimination=sharpness[it.key])},
    }
