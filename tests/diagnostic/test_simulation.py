"""Acceptance point 4: simulated learners with known levels take the real item bank.

Run with ``-s`` to see the figures. Seeded: the same figures every run. The first test is the case where
answers follow the engine's own model (1,000 learners); the others are the ways real items differ from
it (the bench prints them too), 250 learners each to keep every test to a few seconds.
"""

import time

import pytest

from tremplin.diagnostic.content_files import read_bank
from tremplin.diagnostic.engine import Config
from tremplin.diagnostic.schema import COMPETENCES
from tremplin.diagnostic.simulation import bank_items, guess_rates, robustness_variants, simulate

from .conftest import BANK

LEVELS = range(4)  # Débutant, Initié, Autonome, Confirmé


@pytest.fixture(scope="module")
def bank():
    content = read_bank(BANK)
    return bank_items(content), guess_rates(content)


def run(bank_and_guesses, learners, **variant):
    started = time.perf_counter()
    report = simulate(bank_and_guesses[0], COMPETENCES, learners=learners, seed=2026, **variant)
    print(f"\n{report.summary()} – exact par niveau "
          f"{', '.join(f'{report.exact_rate_at(level):.0%}' for level in LEVELS)} – "
          f"deux niveaux trop haut {report.overestimated_by_two_rate():.2%} – {time.perf_counter() - started:.1f} s")
    return report


def test_a_thousand_simulated_learners_get_their_level_right_at_least_80_percent_of_the_time(bank):
    report = run(bank, 1000)
    assert report.learners == 1000 and report.estimates == 8000
    assert report.exact_rate >= 0.80
    assert report.within_one_rate >= 0.98
    assert all(report.exact_rate_at(level) >= 0.75 for level in LEVELS)  # no level is sacrificed to the others
    assert report.overestimated_by_two_rate() <= 0.001
    # How often the diagnostic stops before its 25 questions: never. Settling all 8 competences (posterior SD
    # under 0.45) needs about 4 answers each, more than the cap allows, so the cap always ends it. If the
    # engine learns to stop earlier, this figure moves: check the accuracy above still holds, then update it.
    assert report.stopped_early_rate == 0.0
    assert set(report.lengths) == {Config().max_items}


# (variant, least exact rate, least « within one level » rate, least exact rate at each level, most « two levels
# too high » rate). Figures at seed 2026: ±0.4 gives 79.3 % exact; a 1-to-3 spread of discriminations 82.2 %.
VARIANTS = [
    ("difficultés d'auteur fausses de ±0,4", 0.75, 0.99, 0.70, 0.001),
    ("discriminations de 1 à 3", 0.78, 0.99, 0.75, 0.001),
    # A known weakness (59.6 % exact, beginners right 36 % of the time, 4 % of estimates two levels too high): the
    # engine has no guessing parameter, so a person who picks at random instead of pressing « Je ne sais pas » is
    # placed too high. These floors keep it from getting worse; raise them when the engine models guessing.
    ("réponses au hasard sur les questions à choix", 0.55, 0.94, 0.30, 0.05),
]


@pytest.mark.parametrize(("variant", "exact", "within_one", "each_level", "two_too_high"), VARIANTS)
def test_levels_stay_right_when_items_do_not_behave_as_the_engine_assumes(bank, variant, exact, within_one,
                                                                          each_level, two_too_high):
    report = run(bank, 250, **robustness_variants(*bank)[variant])
    assert report.estimates == 2000
    assert report.exact_rate >= exact
    assert report.within_one_rate >= within_one
    assert min(report.exact_rate_at(level) for level in LEVELS) >= each_level
    assert report.overestimated_by_two_rate() <= two_too_high
    assert report.stopped_early_rate == 0.0


def test_guessing_rates_are_the_chance_of_a_random_pick_for_each_kind_of_question():
    content = read_bank(BANK)
    rates = guess_rates(content)
    for item in content.items:
        n = len(item.data.choices or [])
        expected = {"single": 1 / n if n else 0, "tap": 1 / n if n else 0, "multiple": 1 / (2 ** n - 1) if n else 0,
                    "order": {3: 1 / 6, 4: 1 / 24, 5: 1 / 120}.get(n), "text": 0.0}[item.data.kind]
        assert rates[item.data.slug] == pytest.approx(expected), item.data.slug
    assert sum(rate > 0 for rate in rates.values()) >= 90  # nearly every item can be answered by luck
