"""Writes on accounts. Views and commands call these, never the ORM directly."""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from typing import TypedDict, cast

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction

from .codes import new_card_token, new_login_code, new_pin
from .enums import UserKind
from .models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewLearner:
    user: User
    pin: str  # shown once, printed on the card; only its hash is stored


def learner_create(
    *,
    first_name: str,
    last_name: str = "",
    birth_year: int | None = None,
    phone: str = "",
    pin: str | None = None,
    login_code: str | None = None,
) -> NewLearner:
    pin = pin or new_pin()
    for _attempt in range(20):
        code = login_code or new_login_code()
        try:
            with transaction.atomic():
                user = User(
                    username=code,
                    kind=UserKind.LEARNER,
                    first_name=first_name.strip(),
                    last_name=last_name.strip(),
                    birth_year=birth_year,
                    phone=phone.strip(),
                    card_token=new_card_token(),
                )
                user.set_password(pin)
                user.save()
                return NewLearner(user, pin)
        except IntegrityError:
            if login_code:
                raise
    raise RuntimeError("could not find a free login code")  # 887 million codes: never in practice


@transaction.atomic
def learner_pin_reset(*, learner: User, pin: str | None = None) -> str:
    """New PIN and new card token: the old card and its QR code stop working."""
    if not learner.is_learner:
        raise ValueError("only learners have a PIN")
    pin = pin or new_pin()
    learner.set_password(pin)
    learner.card_token = new_card_token()
    learner.save(update_fields=["password", "card_token"])
    return pin


def staff_create(*, email: str, first_name: str, last_name: str = "", password: str | None = None) -> User:
    email = User.objects.normalize_email(email).lower()
    user = User(username=email, email=email, kind=UserKind.STAFF, first_name=first_name.strip(),
                last_name=last_name.strip())
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


# --- Bulk operations for enrolment by file (10,000 learners at once) -------------------------------------------


def learner_codes_reserve(*, count: int) -> list[str]:
    """``count`` distinct login codes nobody uses yet (a few queries, whatever the count)."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = {new_login_code() for _ in range(count - len(codes))} - codes
        taken: set[str] = set()
        batch = list(wanted)
        for start in range(0, len(batch), 900):
            taken |= set(User.objects.filter(username__in=batch[start:start + 900]).values_list("username", flat=True))
        codes |= wanted - taken
    return list(codes)


def learners_bulk_create(*, people: list[dict]) -> list[User]:
    """Learners with no usable PIN yet: ``learner_pins_issue`` gives them one when their card is printed.

    Each dict has first_name and optionally last_name, birth_year, phone. Call inside a transaction.
    """
    from django.contrib.auth.hashers import make_password

    codes = learner_codes_reserve(count=len(people))
    users = [
        User(username=code, kind=UserKind.LEARNER, first_name=p["first_name"].strip()[:100],
             last_name=(p.get("last_name") or "").strip()[:100], birth_year=p.get("birth_year"),
             phone=(p.get("phone") or "").strip()[:30], card_token=new_card_token(), password=make_password(None))
        for code, p in zip(codes, people, strict=True)
    ]
    return User.objects.bulk_create(users, batch_size=500)


def _hash_many(pins: list[str]) -> list[str]:
    """Argon2 costs ~20 ms a PIN; the C code releases the GIL, so threads use every core."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    from django.contrib.auth.hashers import make_password

    if len(pins) < 8:
        return [make_password(pin) for pin in pins]
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        return list(pool.map(make_password, pins))


@transaction.atomic
def learner_pins_issue(*, learners: list[User], renew_card: bool) -> dict[str, str]:
    """New PINs for these learners (``{str(user.pk): pin}``); only hashes reach the database.

    ``renew_card`` also changes the QR card token, so a previously printed card stops working.
    """
    learners = [u for u in learners if u.is_learner]
    pins = [new_pin() for _ in learners]
    for user, hashed in zip(learners, _hash_many(pins), strict=True):
        user.password = hashed
        if renew_card:
            user.card_token = new_card_token()
    User.objects.bulk_update(learners, ["password", "card_token"] if renew_card else ["password"], batch_size=500)
    return {str(u.pk): pin for u, pin in zip(learners, pins, strict=True)}


# --- Sign-in budget per client, across accounts (docs/areas/sign-in-throttling.md, ADR 0007) -------------------
#
# django-axes locks one account after 5 failures; it cannot see one client trying one PIN on thousands of codes.
# Failures are counted here per client address, in the configured cache, over a sliding hour. Under the first
# threshold nothing changes (a training room shares one address); past it, attempts from that address are spaced
# out, never blocked for good. An attempt refused for spacing reaches no password hasher.


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the one the first of our trusted proxies saw (TRUSTED_PROXY_COUNT)."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    return address


def _client_key(request) -> str | None:
    """The budget this request counts against: its IPv4 address, or its IPv6 /64 (what one subscriber gets).

    None (no budget) when the address is unknown, or when a local proxy forwards requests while
    TRUSTED_PROXY_COUNT is 0: every client would then share the proxy's budget, and one guesser would slow
    down the whole site.
    """
    try:
        ip = ipaddress.ip_address(client_address(request))
    except ValueError:
        return None
    if (not settings.TRUSTED_PROXY_COUNT and "HTTP_X_FORWARDED_FOR" in request.META
            and (ip.is_loopback or ip.is_private)):
        logger.warning("sign-in throttling off: requests come through a proxy; set TREMPLIN_TRUSTED_PROXY_COUNT")
        return None
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address) + "/64"
    return str(ip)


class _Throttle(TypedDict):
    """The shape of settings.SIGN_IN_THROTTLE."""

    cache: str
    window_seconds: int
    spacing: list[tuple[int, int]]  # (failures in the last hour, seconds between two attempts)


def _throttle() -> _Throttle:
    return cast(_Throttle, settings.SIGN_IN_THROTTLE)


def _cache():
    return caches[_throttle()["cache"]]


def _recent_failures(cache, client: str, now: float) -> float:
    """Failures in the last hour, estimated from this hour's bucket and a share of the previous one."""
    window = _throttle()["window_seconds"]
    bucket = int(now // window)
    counts = cache.get_many([f"sign-in:failures:{client}:{bucket}", f"sign-in:failures:{client}:{bucket - 1}"])
    current = counts.get(f"sign-in:failures:{client}:{bucket}", 0)
    previous = counts.get(f"sign-in:failures:{client}:{bucket - 1}", 0)
    return current + previous * (1 - (now % window) / window)


def _spacing(failures: float) -> int:
    """Seconds between two attempts for a client with more recent failures than a threshold (0: no spacing)."""
    return max((seconds for threshold, seconds in _throttle()["spacing"] if failures > threshold),
               default=0)


def sign_in_attempt_start(*, request) -> int:
    """0 if this client may try to sign in now (its turn is then taken), else the seconds to wait.

    The cache failing never stops anyone signing in: the per-account lock still holds.
    """
    client = _client_key(request)
    if client is None:
        return 0
    now = time.time()
    try:
        cache = _cache()
        spacing = _spacing(_recent_failures(cache, client, now))
        if not spacing:
            return 0
        turn = f"sign-in:turn:{client}"
        if cache.add(turn, now, timeout=spacing):  # atomic: parallel requests get one turn between them
            return 0
        taken = cache.get(turn) or now
        return max(1, math.ceil(taken + spacing - now))
    except Exception:  # an unreachable cache must not lock everyone out
        logger.warning("sign-in throttling skipped: cache unavailable", exc_info=True)
        return 0


def sign_in_failure_record(*, request) -> None:
    """Count one failed sign-in (wrong code, PIN, password or kind of account) against this client."""
    client = _client_key(request)
    if client is None:
        return
    window = _throttle()["window_seconds"]
    key = f"sign-in:failures:{client}:{int(time.time() // window)}"
    try:
        cache = _cache()
        cache.add(key, 0, timeout=2 * window)
        cache.incr(key)
    except Exception:
        logger.warning("sign-in failure not counted: cache unavailable", exc_info=True)
