"""How long one PIN check costs: each Argon2id setting OWASP lists as a minimum, against Django's default Argon2.

OWASP's Password Storage Cheat Sheet gives five equivalent minimums for Argon2id (one lane each): 46 MiB × 1 pass,
19 MiB × 2, 12 MiB × 3, 9 MiB × 4, 7 MiB × 5. They cost the attacker the same; they do not cost this server the
same (less memory to fault in and to walk through the caches). A sign-in is one *verify*, so that is what is timed.

Run: make bench (or .venv/bin/python bench/bench_password_hash.py). Prints the median and the fastest verify of each
setting in milliseconds of CPU, its ratio to Django's default in the same process, and which one Tremplin uses.
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

from tremplin.accounts.hashers import OWASP_ARGON2ID_MINIMUMS, TunedArgon2PasswordHasher  # noqa: E402


def verify_ms(hasher, rounds: int) -> tuple[float, float]:
    """Median and fastest CPU time of one verify, in ms: CPU time of the process (every Argon2 thread), not wall
    time, because the machine is shared and what limits sign-ins per second on a full server is CPU."""
    encoded = hasher.encode("2580", hasher.salt())
    samples = []
    for _ in range(rounds):
        start = time.process_time()
        assert hasher.verify("2580", encoded)
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples), min(samples)


def setting(memory_kib: int, passes: int):
    return type("Setting", (Argon2PasswordHasher,), {"memory_cost": memory_kib, "time_cost": passes,
                                                     "parallelism": 1})()


if __name__ == "__main__":
    rounds = int(os.environ.get("BENCH_ROUNDS", "40"))
    baseline, _ = verify_ms(Argon2PasswordHasher(), rounds // 2)
    print(f"argon2 Django default (m=100 MiB, t=2, p=8): {baseline:.1f} ms/verify (baseline)")
    tuned = TunedArgon2PasswordHasher()
    # Interleaved twice, so that a neighbour's burst of load does not land on one setting only.
    results: dict[tuple[int, int], list[float]] = {}
    for _ in range(2):
        for memory_kib, passes in OWASP_ARGON2ID_MINIMUMS:
            median, fastest = verify_ms(setting(memory_kib, passes), rounds // 2)
            results.setdefault((memory_kib, passes), []).extend([median, fastest])
    for (memory_kib, passes), (m1, f1, m2, f2) in results.items():
        mark = "  <- Tremplin" if (memory_kib, passes) == (tuned.memory_cost, tuned.time_cost) else ""
        median, fastest = min(m1, m2), min(f1, f2)
        print(f"argon2id m={memory_kib // 1024:>2} MiB t={passes} p=1: median {median:5.1f} ms, fastest {fastest:5.1f} "
              f"ms, ratio {median / baseline:.2f} of baseline{mark}")
    print(f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
