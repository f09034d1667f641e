"""How long one PIN check costs: our tuned Argon2id against Django's default Argon2 (the baseline).

Run: make bench. Prints milliseconds per hash and the ratio to the baseline measured in the same process.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import Argon2PasswordHasher  # noqa: E402

from tremplin.accounts.hashers import TunedArgon2PasswordHasher  # noqa: E402


def per_hash_ms(hasher, rounds: int = 15) -> float:
    salt = hasher.salt()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        hasher.encode("2580", salt)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


if __name__ == "__main__":
    baseline = per_hash_ms(Argon2PasswordHasher())
    tuned = per_hash_ms(TunedArgon2PasswordHasher())
    print(f"argon2 Django default: {baseline:.1f} ms/hash (baseline)")
    print(f"argon2 Tremplin tuned: {tuned:.1f} ms/hash, ratio {tuned / baseline:.2f} of baseline (target: ≤ ~50 ms)")
