"""Writes on guest learners: people who learn without an account (open access, ADR 0010).

A guest is an ordinary learner row with ``is_guest=True``: a personal code is reserved for them from the
start, but they have no PIN, no card and no name. They are created at their first learning action
(never at a page view, so crawlers create nothing), at most ``GUEST_BUDGET`` per client and hour.
« Garder ma progression » gives them a PIN and a card: they become an ordinary learner, everything they
did stays attached. Guests inactive for ``GUEST_INACTIVE_DAYS`` are deleted with their history.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .codes import new_card_token, new_login_code, new_pin
from .enums import UserKind
from .models import User
from .services import NewLearner, _cache, _client_key


class GuestBudgetExceeded(Exception):
    """Too many new guests from one client this hour (a training room stays far below)."""


class AlreadyKept(Exception):
    """The guest already became an ordinary learner (a double tap, a second tab)."""


def guest_budget_take(*, request) -> bool:
    """Count one new guest against the client; False past the budget. A failing cache never blocks anyone."""
    client = _client_key(request)
    if client is None:
        return True
    window = 3600
    key = f"guest:new:{client}:{int(time.time() // window)}"
    try:
        cache = _cache()
        cache.add(key, 0, timeout=2 * window)
        return cache.incr(key) <= settings.GUEST_BUDGET_PER_HOUR
    except Exception:  # noqa: BLE001
        return True


def guest_create() -> User:
    """A new guest learner with a reserved personal code and no usable PIN."""
    for _attempt in range(20):
        try:
            with transaction.atomic():
                return User.objects.create(username=new_login_code(), kind=UserKind.LEARNER, is_guest=True,
                                           first_name="", password=make_password(None))
        except IntegrityError:
            continue
    raise RuntimeError("could not find a free login code")


@transaction.atomic
def guest_keep(*, guest: User, first_name: str) -> NewLearner:
    """« Garder ma progression »: a PIN and a card for the guest, who becomes an ordinary learner."""
    locked = User.objects.select_for_update().get(pk=guest.pk)
    if not locked.is_guest:
        raise AlreadyKept
    pin = new_pin()
    locked.is_guest = False
    locked.first_name = first_name.strip()[:100]
    locked.card_token = new_card_token()
    locked.set_password(pin)
    locked.save(update_fields=["is_guest", "first_name", "card_token", "password"])
    return NewLearner(locked, pin)


def guests_inactive(*, now=None):
    """Guests not seen for ``GUEST_INACTIVE_DAYS`` (last sign-in, or creation if never signed back in)."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.GUEST_INACTIVE_DAYS)
    return (User.objects.filter(is_guest=True, kind=UserKind.LEARNER, date_joined__lt=limit)
            .filter(Q(last_login__lt=limit) | Q(last_login__isnull=True))
            .exclude(learning_events__stored_at__gte=limit))


@transaction.atomic
def guests_purge(*, now=None, dry_run: bool = False) -> int:
    """Delete inactive guests and everything attached to them (they have no name: nothing else identifies them)."""
    old = guests_inactive(now=now)
    count = old.count()
    if not dry_run and count:
        old.delete()
    return count
