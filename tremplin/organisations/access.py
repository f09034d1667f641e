"""Who may see what: one scope, resolved once per request, read by every tenant selector.

A **scope** says who the user is, what they act for and their role there. Today a staff member acts
for one organisation at a time (chosen in the navigation, remembered in the session); territories,
the network and funders will be more kinds of scope, resolved here and nowhere else.

Rules (ADR 0008):

- a scope is resolved from the database on every request: a membership removed a second ago gives no
  scope on the next request;
- selectors take ``scope=`` and filter with :func:`tenant_q`; views, forms and exports never filter
  tenant rows themselves;
- missing and forbidden look the same: selectors return ``None`` (or an empty queryset) and screens
  answer 404 through :func:`found_or_404`;
- ids from URLs, forms and query strings are parsed with :func:`parse_id` (one parser).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Q
from django.http import Http404

from .enums import MembershipRole, NetworkRole
from .models import Membership, NetworkMembership, Organisation, Territory

if TYPE_CHECKING:
    from tremplin.accounts.models import User

SESSION_KEY = "current_organisation_id"
NETWORK_SESSION_KEY = "current_territory_id"

T = TypeVar("T")


class ScopeKind:
    """What a scope acts for: one organisation (trainers), or a territory / the whole network (``NetworkScope``)."""

    ORGANISATION = "organisation"
    NETWORK = "network"  # the national team: every department
    TERRITORY = "territory"  # a coordinator or a funder: the departments of one territory


@dataclass(frozen=True)
class Scope:
    """A staff member acting for one organisation, with their role there."""

    user: User
    organisation: Organisation
    role: str
    kind: str = ScopeKind.ORGANISATION

    @property
    def is_admin(self) -> bool:
        return self.role == MembershipRole.ADMIN

    @property
    def is_prescriber(self) -> bool:
        """A partner professional who sends people to structures and sees nothing else."""
        return self.role == MembershipRole.PRESCRIBER

    @property
    def organisation_id(self) -> uuid.UUID:
        return self.organisation.pk


def parse_id(value: object) -> uuid.UUID | None:
    """A UUID from a URL, form field or query parameter; ``None`` for anything else (never an exception)."""
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str) or not value or len(value) > 64 or "\x00" in value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def parse_ids(values: list[str], *, limit: int = 500) -> list[uuid.UUID]:
    """The valid UUIDs among posted values (at most ``limit``, duplicates dropped, order kept)."""
    out: dict[uuid.UUID, None] = {}
    for value in values[:limit]:
        pk = parse_id(value)
        if pk is not None:
            out[pk] = None
    return list(out)


def found_or_404(obj: T | None) -> T:
    """The forged-id policy: a missing object and another organisation's object give the same 404."""
    if obj is None:
        raise Http404("introuvable")
    return obj


def tenant_q(scope: Scope, path: str = "organisation") -> Q:
    """The rows a scope may read, for a model reaching its organisation through ``path``.

    The one definition of "belongs to what this scope acts for": a territory scope will widen it here.
    """
    return Q(**{f"{path}_id": scope.organisation.pk})


def scope_for(*, user: User, organisation_id: object = None) -> Scope | None:
    """The scope of a staff member: the organisation asked for if they are a member of it, else the one
    they joined first; ``None`` for learners, anonymous users and staff without any membership."""
    if not user.is_authenticated or not user.is_active or user.is_learner:
        return None
    memberships = list(Membership.objects.filter(user=user).select_related("organisation__commune")
                       .order_by("created_at", "pk"))
    if not memberships:
        return None
    wanted = parse_id(organisation_id)
    chosen = next((m for m in memberships if m.organisation_id == wanted), memberships[0])
    return Scope(user=user, organisation=chosen.organisation, role=chosen.role)


def scope_of_request(request) -> Scope | None:
    """The one place that reads the current organisation from the session (cached on the request)."""
    if not hasattr(request, "_scope"):
        request._scope = scope_for(user=request.user, organisation_id=request.session.get(SESSION_KEY))
    return request._scope


def scope_switch(request, *, organisation_id: object) -> Scope | None:
    """Act for another organisation of the user's (``None``, and nothing changed, if they are not a member)."""
    wanted = parse_id(organisation_id)
    scope = scope_for(user=request.user, organisation_id=wanted) if wanted else None
    if scope is None or scope.organisation.pk != wanted:
        return None
    request.session[SESSION_KEY] = str(wanted)
    request._scope = scope
    return scope


def organisations_of(*, user: User):
    """The organisations a staff member works for (for the navigation's switcher)."""
    if not user.is_authenticated or user.is_learner:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).select_related("commune").order_by("name")


def access_record(*, scope: Scope, action: str, target_type: str = "", target_id: object = "",
                  detail: dict | None = None) -> None:
    """Record a sensitive READ (who saw or exported whose data). Writes record theirs inside their service."""
    from tremplin.audit.services import audit_log

    audit_log(actor=scope.user, action=action, target_type=target_type, target_id=str(target_id or ""),
              organisation_id=scope.organisation.pk, detail=detail)


@dataclass(frozen=True)
class NetworkScope:
    """Someone acting above the structures: the national team, a territory's coordinator, or a funder.

    A network scope never reads a row about a person: it reads ``stats`` aggregates for the areas it covers, and
    (coordinators and the national team only) the list of structures of its territory.
    """

    user: User
    role: str
    territory: Territory | None  # None: the whole country (network admin)
    departments: frozenset[str] | None  # department codes covered; None: all of them

    @property
    def kind(self) -> str:
        return ScopeKind.NETWORK if self.territory is None else ScopeKind.TERRITORY

    @property
    def is_network_admin(self) -> bool:
        return self.role == NetworkRole.NETWORK_ADMIN

    @property
    def is_coordinator(self) -> bool:
        return self.role == NetworkRole.COORDINATOR

    @property
    def is_funder(self) -> bool:
        return self.role == NetworkRole.FUNDER

    @property
    def sees_structures(self) -> bool:
        """Funders and observers see territories and departments, never one structure's figures."""
        return not self.is_funder

    def covers_department(self, code: object) -> bool:
        if not isinstance(code, str) or not code or len(code) > 3:
            return False
        return self.departments is None or code in self.departments

    def covers_region(self, code: object, *, department_codes: frozenset[str] | set[str]) -> bool:
        """Whether the scope covers at least one of the region's departments (given by the caller)."""
        if not isinstance(code, str) or not code:
            return False
        return self.departments is None or bool(self.departments & set(department_codes))


def network_scope_for(*, user: User, territory_id: object = None) -> NetworkScope | None:
    """The network scope of a staff member: the territory asked for if they belong to it, else their first
    network membership (the national one first); ``None`` for anyone without a network role."""
    if not user.is_authenticated or not user.is_active or user.is_learner:
        return None
    memberships = list(NetworkMembership.objects.filter(user=user).select_related("territory")
                       .order_by("territory_id", "created_at", "pk"))
    if not memberships:
        return None
    memberships.sort(key=lambda m: (m.territory_id is not None, m.created_at))
    wanted = parse_id(territory_id)
    chosen = next((m for m in memberships if m.territory_id is not None and m.territory_id == wanted), memberships[0])
    if chosen.territory is None:
        return NetworkScope(user=user, role=chosen.role, territory=None, departments=None)
    return NetworkScope(user=user, role=chosen.role, territory=chosen.territory,
                        departments=chosen.territory.department_codes())


def network_scope_of_request(request) -> NetworkScope | None:
    """The one place that reads the current territory from the session (cached on the request)."""
    if not hasattr(request, "_network_scope"):
        request._network_scope = network_scope_for(user=request.user,
                                                    territory_id=request.session.get(NETWORK_SESSION_KEY))
    return request._network_scope


def network_scope_switch(request, *, territory_id: object) -> NetworkScope | None:
    """Act for another territory of the user's (``None``, and nothing changed, if they hold no role there)."""
    wanted = parse_id(territory_id)
    scope = network_scope_for(user=request.user, territory_id=wanted) if wanted else None
    if scope is None or scope.territory is None or scope.territory.pk != wanted:
        return None
    request.session[NETWORK_SESSION_KEY] = str(wanted)
    request._network_scope = scope
    return scope


def network_territories_of(*, user: User):
    """The territories a person holds a network role in (for the navigation's switcher)."""
    if not user.is_authenticated or user.is_learner:
        return Territory.objects.none()
    return Territory.objects.filter(memberships__user=user).order_by("name")


def network_access_record(*, scope: NetworkScope, action: str, target_type: str = "", target_id: object = "",
                          detail: dict | None = None) -> None:
    """Record a network read worth tracing (an export, a report). No organisation: the territory is in the detail."""
    from tremplin.audit.services import audit_log

    detail = dict(detail or {})
    detail.setdefault("territory", str(scope.territory.pk) if scope.territory else "national")
    audit_log(actor=scope.user, action=action, target_type=target_type, target_id=str(target_id or ""),
              organisation_id=None, detail=detail)
