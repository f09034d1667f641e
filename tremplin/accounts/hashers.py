from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane).

    Django's default (100 MiB) costs ~150 ms here; a training room signs in
    twenty people at once on small servers. bench/bench_password_hash.py measures it.
    """

    algorithm = "argon2"
    time_cost = 2
    memory_cost = 19456
    parallelism = 1
