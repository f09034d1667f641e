"""The diagnostic's simulation (1,000 learners on the real item bank), with robustness variants.

Run: .venv/bin/python bench/diagnostic_simulation.py  (no database needed)
"""

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tremplin.diagnostic.content_files import read_bank  # noqa: E402
from tremplin.diagnostic.engine import Item  # noqa: E402
from tremplin.diagnostic.schema import COMPETENCES  # noqa: E402
from tremplin.diagnostic.simulation import bank_items, simulate  # noqa: E402


def main() -> None:
    bank = bank_items(read_bank(ROOT / "content" / "diagnostic" / "fr"))
    started = time.perf_counter()
    report = simulate(bank, COMPETENCES, learners=1000, seed=2026)
    print(f"model as assumed      : {report.summary()} ({time.perf_counter() - started:.1f} s)")
    rng = random.Random(7)
    offset = {it.key: rng.gauss(0, 0.4) for it in bank}
    shifted = simulate(bank, COMPETENCES, truth=lambda it: Item(it.key, it.competence, it.difficulty + offset[it.key],
                                                               it.discrimination))
    print(f"authors off by ±0.4   : {shifted.summary()}")
    flatter = simulate(bank, COMPETENCES, truth=lambda it: Item(it.key, it.competence, it.difficulty, 1.5))
    print(f"items less sharp (1.5): {flatter.summary()}")
    guessing = simulate(bank, COMPETENCES, guessing=0.1)
    print(f"10 % lucky guesses    : {guessing.summary()}")


if __name__ == "__main__":
    main()
