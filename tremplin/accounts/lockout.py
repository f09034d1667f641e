"""django-axes' database handler without the writes a clean sign-in does not need (ADR 0007, issue 15).

The lock itself is axes' own, unchanged: 5 failures within 15 minutes lock the account, whatever the address, and a
successful sign-in clears the failures counted so far (``AXES_RESET_ON_SUCCESS``). What changes is what a sign-in
costs when the account had no failure within the cool-off — nearly every sign-in of a training room: axes would
still clean the whole table of expired attempts and look for this account's attempts to delete, two queries (and
transactions) per sign-in for nothing. The lock check, made just before the password, already counted this
account's failures: when it found none, there is nothing to reset, and expired attempts are left to the next failed
sign-in, which cleans them (they are ignored by the lock in the meantime).

A failure recorded by a parallel request between the check and the success is then not reset: the rule is only
stricter for that one account, never weaker.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler

# Set on the request by the lock check: this account's failures within the cool-off, before its password is checked.
FAILURES_SEEN = "tremplin_axes_failures_seen"


class SignInLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if request is not None:
            setattr(request, FAILURES_SEEN, failures)
        return failures

    def user_logged_in(self, sender, request, user, **kwargs):
        if request is not None and getattr(request, FAILURES_SEEN, None) == 0:
            return  # nothing to reset; the access log is off (AXES_DISABLE_ACCESS_LOG)
        super().user_logged_in(sender, request, user, **kwargs)
