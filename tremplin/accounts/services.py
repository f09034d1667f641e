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
