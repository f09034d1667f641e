"""The organisation a staff member is currently working for (kept in the session).

A trainer may belong to several organisations; the selector in the trainer nav stores
the chosen one in the session. Every trainer view scopes its reads to
``current_organisation(request)``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from tremplin.organisations.models import Membership, Organisation
from tremplin.organisations.selectors import organisations_of

SESSION_KEY = "current_organisation_id"


def current_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation chosen in the session if the user is a member, else the one they joined first, else None."""
    user = request.user
    if not user.is_authenticated or user.is_learner:
        return None
    cached = getattr(request, "_current_organisation", None)
    if cached is not None:
        return cached
    orgs = organisations_of(user=user)
    chosen = request.session.get(SESSION_KEY)
    org = None
    if chosen:
        try:
            org = orgs.filter(pk=chosen).first()
        except (ValueError, ValidationError):  # a malformed id in the session: fall back
            org = None
    if org is None:  # the organisation joined first
        first = Membership.objects.filter(user=user).select_related("organisation__commune").order_by("created_at", "pk").first()
        org = first.organisation if first else None
    request._current_organisation = org
    return org


def current_organisation_set(request: HttpRequest, organisation: Organisation) -> None:
    """Remember the organisation in the session (caller checks membership)."""
    request.session[SESSION_KEY] = str(organisation.pk)
    request._current_organisation = organisation


def current_membership(request: HttpRequest) -> Membership | None:
    org = current_organisation(request)
    if org is None:
        return None
    return Membership.objects.filter(user=request.user, organisation=org).first()


def is_organisation_admin(request: HttpRequest) -> bool:
    membership = current_membership(request)
    return membership is not None and membership.role == "admin"
