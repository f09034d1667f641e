"""Writes on accounts. Views and commands call these, never the ORM directly."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from .codes import new_card_token, new_login_code, new_pin
from .enums import UserKind
from .models import User


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
