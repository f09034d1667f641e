"""The device cookie of a person who learns without an account (open access, ADR 0010).

It names a guest learner, signed with SECRET_KEY (tampering is detected), and nothing else: no
personal data, no tracking, no third party. A tampered, expired or unknown value is ignored and the
person simply starts afresh; it never shows somebody else's progress.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing

from .models import User

COOKIE = "tremplin_appareil"
SALT = "tremplin.accounts.device"
MAX_AGE = timedelta(days=395)  # browsers cap cookies at 400 days; guests are purged after GUEST_INACTIVE_DAYS


def device_value(user: User) -> str:
    return signing.dumps(str(user.pk), salt=SALT, compress=False)


def device_guest(value: str | None) -> User | None:
    """The guest learner the cookie names, if the signature holds and the guest still exists."""
    if not value or len(value) > 200:
        return None
    try:
        pk = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=pk, is_guest=True, is_active=True, kind="learner").first() if _uuid(pk) else None


def _uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def remember(response, user: User) -> None:
    response.set_cookie(COOKIE, device_value(user), max_age=int(MAX_AGE.total_seconds()), httponly=True,
                        samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)


def forget(response) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")
