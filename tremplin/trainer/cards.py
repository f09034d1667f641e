"""Login cards waiting to be printed, and their PDF.

PINs are stored hashed, so a card can only carry a PIN that was just generated. New PINs live in
the trainer's session until the trainer says the cards are printed, encrypted (AES-GCM, key derived
from SECRET_KEY, bound to the organisation and the learner): the session store is a database table,
and a copy of it must not hand out working PINs. A PIN that no longer decrypts (SECRET_KEY changed
and the old one is not in SECRET_KEY_FALLBACKS) is simply issued again when its card is printed.

Learners imported from a file get their PIN when their card is first printed: hashing 10,000 PINs
at import time would take minutes, one sheet of cards takes a second.
"""

from __future__ import annotations

import base64
import os

import segno
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.urls import reverse

from tremplin.accounts.models import User
from tremplin.accounts.services import learner_pins_issue
from tremplin.lib.pdf import render_pdf
from tremplin.organisations.access import scope_of_request
from tremplin.organisations.models import Organisation
from tremplin.organisations.selectors import learners_among

SESSION_KEY = "cards_to_print"
CARDS_PER_PAGE = 8
CARDS_PER_PDF = 80  # 10 sheets: small enough to generate in a couple of seconds


def _cipher(secret: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"tremplin.trainer.cards",
               info=b"pending PINs").derive(secret.encode())
    return AESGCM(key)


def _seal(org: Organisation, learner_id: str, pin: str) -> str:
    nonce = os.urandom(12)
    sealed = _cipher(settings.SECRET_KEY).encrypt(nonce, pin.encode(), f"{org.pk}:{learner_id}".encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def _open(org: Organisation, learner_id: str, token: str) -> str | None:
    """The PIN, or ``None`` if the token was not sealed for this learner of this organisation under a key we have
    (SECRET_KEY, then SECRET_KEY_FALLBACKS, as Django does for signed data)."""
    try:
        raw = base64.urlsafe_b64decode(token.encode())
    except (ValueError, TypeError, AttributeError):
        return None
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        try:
            return _cipher(secret).decrypt(raw[:12], raw[12:], f"{org.pk}:{learner_id}".encode()).decode()
        except (InvalidTag, ValueError):
            continue
    return None


def _stored(request, org: Organisation) -> dict:
    return request.session.get(SESSION_KEY, {}).get(str(org.pk), {"ids": [], "pins": {}})


def pending(request, org: Organisation) -> dict:
    """``{"ids": [learner ids in order], "pins": {learner id: PIN}}``, PINs decrypted (those that still decrypt)."""
    mine = _stored(request, org)
    pins = {i: pin for i, token in mine["pins"].items() if (pin := _open(org, i, token)) is not None}
    return {"ids": list(mine["ids"]), "pins": pins}


def pending_add(request, org: Organisation, *, ids: list[str], pins: dict[str, str] | None = None) -> None:
    everything = request.session.get(SESSION_KEY, {})
    mine = everything.get(str(org.pk), {"ids": [], "pins": {}})
    known = set(mine["ids"])
    mine["ids"] += [i for i in map(str, ids) if i not in known]
    mine["pins"].update({str(i): _seal(org, str(i), pin) for i, pin in (pins or {}).items()})
    everything[str(org.pk)] = mine
    request.session[SESSION_KEY] = everything


def pending_clear(request, org: Organisation) -> None:
    everything = request.session.get(SESSION_KEY, {})
    everything.pop(str(org.pk), None)
    request.session[SESSION_KEY] = everything


def batches(ids: list[str]) -> list[tuple[int, int, int]]:
    """(batch number, first card, last card), 1-based."""
    return [(n + 1, start + 1, min(start + CARDS_PER_PDF, len(ids)))
            for n, start in enumerate(range(0, len(ids), CARDS_PER_PDF))]


def cards_for(request, org: Organisation, ids: list[str]) -> list[dict]:
    """Card data for these pending learners, issuing a PIN to those who have none in the session yet."""
    state = pending(request, org)
    scope = scope_of_request(request)  # the request's own, already resolved
    if scope is None or scope.organisation.pk != org.pk:
        return []
    learners = {str(u.pk): u for u in learners_among(scope=scope, learner_ids=list(ids))}
    ordered = [learners[i] for i in ids if i in learners]
    missing = [u for u in ordered if str(u.pk) not in state["pins"]]
    if missing:
        pending_add(request, org, ids=[], pins=learner_pins_issue(learners=missing, renew_card=False))
        state = pending(request, org)
    return [card(user, state["pins"][str(user.pk)], org) for user in ordered]


def card(user: User, pin: str, org: Organisation) -> dict:
    url = settings.SITE_URL.rstrip("/") + reverse("accounts:card_login", args=[user.card_token])
    return {"first_name": user.first_name, "code": user.login_code_display, "pin": pin,
            "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=2), "organisation": org.name}


def cards_pdf(cards: list[dict], request) -> bytes:
    pages = [cards[i:i + CARDS_PER_PAGE] for i in range(0, len(cards), CARDS_PER_PAGE)]
    return render_pdf("trainer/learners/cards_pdf.html", {
        "pages": pages, "sign_in_url": settings.SITE_URL.rstrip("/") + reverse("accounts:learner_login"),
    }, request)
