from django.contrib.auth.hashers import Argon2PasswordHasher

# OWASP Password Storage Cheat Sheet: the minimum settings for Argon2id, "all equivalent in the protection they
# provide" — (memory in KiB, passes), one degree of parallelism each.
OWASP_ARGON2ID_MINIMUMS = [(47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5)]


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at one of OWASP's minimums: 7 MiB, 5 passes, 1 lane.

    Of the five minimums OWASP lists as equivalent, this one verifies fastest here (bench/bench_password_hash.py,
    ADR 0007): about a quarter less CPU than 19 MiB × 2, the one used before. Django's default (100 MiB) costs ~7×
    more; a training room signs in twenty people at once on small servers. A hash made with other parameters (19 MiB
    × 2) still verifies, and is rehashed with these at the next successful sign-in (``must_update``).
    """

    algorithm = "argon2"
    time_cost = 5
    memory_cost = 7168
    parallelism = 1
