"""Personal sign-in codes, PINs and card tokens for learners."""

import re
import secrets

# No 0/O, 1/I/L, nor letters often confused when read aloud or hand-written.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
_NOT_CODE = re.compile(r"[^A-Z0-9]")
_CONFUSABLE = str.maketrans({"0": "O", "1": "I"})


def new_login_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_pin() -> str:
    return f"{secrets.randbelow(10_000):04d}"


def new_card_token() -> str:
    return secrets.token_urlsafe(24)


def normalise_code(raw: str) -> str:
    """Accept « k7m-4px », « K7M 4PX »…; map 0→O and 1→I since neither is ever issued."""
    return _NOT_CODE.sub("", (raw or "").upper()).translate(_CONFUSABLE)[:32]


def format_code(code: str) -> str:
    return f"{code[:3]}-{code[3:]}" if len(code) == CODE_LENGTH else code
