"""The opaque learner key of offline queues (docs/areas/offline-sync.md).

Every learner page carries it (``<meta name="tremplin-learner">``); the device tags each queued answer with the
key of the page it was made on and sends a batch per key, so a queue is only ever sent for the person who made it.
An HMAC of the user's id: stable, no personal data, impossible to forge for someone else without the secret key.
"""

from __future__ import annotations

from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "tremplin.api.learner-key"
# The keys of the guests who joined the signed-in account on this device (``former_key_keep``), in its session.
FORMER_KEYS = "tremplin.former_learner_keys"


def learner_key(user) -> str:
    """The key of a signed-in learner (guests included), "" for anybody else."""
    if user is None or not user.is_authenticated or not user.is_learner:
        return ""
    return salted_hmac(SALT, str(user.pk), algorithm="sha256").hexdigest()[:32]


def learner_key_matches(user, key: str) -> bool:
    expected = learner_key(user)
    return bool(expected) and constant_time_compare(expected, key)


def former_key_keep(request, guest) -> None:
    """A guest (open access) joins the account signed in on this device (``progress.guest_attach``): the device may
    still hold answers queued under the guest's key, which no longer matches anybody. The pages of this session name
    that key (``{% learner_meta %}``), and the device's worker hands those answers to the account before sending
    them (docs/areas/offline-sync.md). Only keys of guests who joined this very account, from this session."""
    key = learner_key(guest)
    if key and hasattr(request, "session"):
        kept = [k for k in request.session.get(FORMER_KEYS, []) if k != key][-4:]
        request.session[FORMER_KEYS] = [*kept, key]


def former_keys(request) -> list[str]:
    session = getattr(request, "session", None)
    return list(session.get(FORMER_KEYS, [])) if session is not None else []
