from .codes import normalise_code
from .enums import UserKind
from .models import User


def learner_by_card_token(*, token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    return User.objects.filter(card_token=token, kind=UserKind.LEARNER, is_active=True).first()


def learner_by_code(*, code: str) -> User | None:
    return User.objects.filter(username=normalise_code(code), kind=UserKind.LEARNER).first()


def user_by_email(*, email: str) -> User | None:
    """The account an invitation was sent to, if it exists (e-mail addresses are stored lower-case)."""
    return User.objects.filter(email__iexact=email.strip()).first() if email else None
