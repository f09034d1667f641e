"""Acceptance point 4: 1,000 simulated learners with known levels take the real item bank.

Run with ``-s`` to see the figures. Seeded: the same figures every run.
"""

import time

from tremplin.diagnostic.content_files import read_bank
from tremplin.diagnostic.schema import COMPETENCES
from tremplin.diagnostic.simulation import bank_items, simulate

from .conftest import BANK


def test_a_thousand_simulated_learners_get_their_level_right_at_least_80_percent_of_the_time():
    bank = bank_items(read_bank(BANK))
    started = time.perf_counter()
    report = simulate(bank, COMPETENCES, learners=1000, seed=2026)
    elapsed = time.perf_counter() - started
    print(f"\n{report.summary()} – {elapsed:.1f} s")
    assert report.learners == 1000 and report.estimates == 8000
    assert report.exact_rate >= 0.80
    assert report.within_one_rate >= 0.98
    assert report.mean_length <= 25
