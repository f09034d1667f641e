"""The opaque learner key of offline queues (docs/areas/offline-sync.md).

Every learner page carries it (``<meta name="tremplin-learner">``); the device tags each queued answer with the
key of the page it was made on and sends a batch per key, so a queue is only ever sent for the person who made it.
An HMAC of the user's id: stable, no personal data, impossible to forge for someone else without the secret key.
"""

from __future__ import annotations

from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "tremplin.api.learner-key"


def learner_key(user) -> str:
    """The key of a signed-in learner (guests included), "" for anybody else."""
    if user is None or not user.is_authenticated or not user.is_learner:
        return ""
    return salted_hmac(SALT, str(user.pk), algorithm="sha256").hexdigest()[:32]


def learner_key_matches(user, key: str) -> bool:
    expected = learner_key(user)
    return bool(expected) and constant_time_compare(expected, key)
