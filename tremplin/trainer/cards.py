"""Login cards waiting to be printed, and their PDF.

PINs are stored hashed, so a card can only carry a PIN that was just generated. New PINs live in
the trainer's session (never in clear in a model) until the trainer says the cards are printed.
Learners imported from a file get their PIN when their card is first printed: hashing 10,000 PINs
at import time would take minutes, one sheet of cards takes a second.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.urls import reverse

from tremplin.accounts.models import User
from tremplin.accounts.services import learner_pins_issue
from tremplin.lib.pdf import render_pdf
from tremplin.organisations.models import Organisation
from tremplin.organisations.selectors import learners_visible_to

SESSION_KEY = "cards_to_print"
CARDS_PER_PAGE = 8
CARDS_PER_PDF = 80  # 10 sheets: small enough to generate in a couple of seconds


def pending(request, org: Organisation) -> dict:
    return request.session.get(SESSION_KEY, {}).get(str(org.pk), {"ids": [], "pins": {}})


def pending_add(request, org: Organisation, *, ids: list[str], pins: dict[str, str] | None = None) -> None:
    everything = request.session.get(SESSION_KEY, {})
    mine = everything.get(str(org.pk), {"ids": [], "pins": {}})
    known = set(mine["ids"])
    mine["ids"] += [i for i in map(str, ids) if i not in known]
    mine["pins"].update(pins or {})
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
    learners = {str(u.pk): u for u in learners_visible_to(user=request.user, organisation=org)
                .filter(pk__in=ids, is_active=True)}
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
