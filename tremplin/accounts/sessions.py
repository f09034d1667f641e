"""Django's database sessions, with one write per sign-in instead of three (issue 15).

Signing in from a browser that has no session yet (the usual case: a learner's phone after 30 days, a shared
computer) made Django look for a free key (a SELECT), insert an empty session under it (``cycle_key``), then update
it with the signed-in user when the response is sent. Here the key is drawn once, when the response saves the
session, and inserted with its data.

Session fixation stays closed: a session that has a key (one the browser sent and that exists) is still given a new
key at sign-in (Django's ``cycle_key``), and a session without a key gets a fresh random key when it is saved.

``SESSION_ENGINE = "tremplin.accounts.sessions"`` (database) or ``"tremplin.accounts.sessions_cached"`` (database
with a copy in the shared cache, for several servers).
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS, SessionBase
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils.crypto import get_random_string


class OneWriteSignIn(SessionBase):
    """Mixed into a database-backed session store (``create`` inserts and retries on a taken key)."""

    def _get_new_session_key(self) -> str:
        # 32 characters out of 36: a collision never happens, and if it did the INSERT of create() would fail on the
        # primary key and create() would draw again. No SELECT to ask first.
        return get_random_string(32, VALID_KEY_CHARS)

    def cycle_key(self) -> None:
        if self.session_key is None:
            # No key to leave behind: the response creates the session, once, with its data.
            self.modified = True
            return
        super().cycle_key()


class SessionStore(OneWriteSignIn, DatabaseSessionStore):
    pass
