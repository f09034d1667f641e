"""Open access on the learner screens: who a learning action is recorded for (ADR 0010)."""

from __future__ import annotations

from django.contrib.auth import login

from tremplin.accounts.guests import GuestBudgetExceeded, guest_budget_take, guest_create
from tremplin.accounts.middleware import BACKEND
from tremplin.accounts.models import User


def acting_learner(request) -> User:
    """The signed-in learner, or — at a visitor's first learning action — a new guest learner, signed in
    on this device and remembered by the device cookie. Raises ``GuestBudgetExceeded`` past the client's
    hourly budget (shown as a French 429 page by the middleware)."""
    if request.user.is_authenticated:
        return request.user
    if not guest_budget_take(request=request):
        raise GuestBudgetExceeded
    guest = guest_create()
    login(request, guest, backend=BACKEND)
    request.device = ("remember", guest)
    return guest
