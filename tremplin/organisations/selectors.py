"""Reads of organisation data. Tenant reads take a ``scope`` (``access.Scope``) and nothing else decides
what it may see (``access.tenant_q``); missing and forbidden both give ``None``."""

import uuid
from datetime import datetime

from django.core.paginator import Page
from django.db.models import Count, F, Max, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from tremplin.accounts.enums import UserKind
from tremplin.accounts.models import User, stored_person_key
from tremplin.lib.paging import OneQueryPaginator

from .access import NetworkScope, Scope, parse_id, tenant_q
from .models import (
    Commune,
    CoordinatorGrant,
    Department,
    Enrolment,
    Invitation,
    LearnerImport,
    Membership,
    NetworkInvitation,
    NetworkMembership,
    Organisation,
    Region,
    SignupLink,
    Territory,
)

# --- learners ---------------------------------------------------------------------------------------------


def learners_of(*, scope: Scope) -> QuerySet[User]:
    """The active learners the scope follows (merged duplicates are inactive and gone from every screen)."""
    return (User.objects.filter(tenant_q(scope, "enrolments__organisation"), kind=UserKind.LEARNER, is_active=True)
            .order_by("first_name", "last_name", "username"))


def learner_of(*, scope: Scope, learner_id: object) -> User | None:
    pk = parse_id(learner_id)
    return learners_of(scope=scope).filter(pk=pk).first() if pk else None


def learners_among(*, scope: Scope, learner_ids: list) -> list[User]:
    """The learners of the scope among posted ids (forged or unknown ids are dropped)."""
    ids = [pk for pk in (parse_id(v) for v in learner_ids[:2000]) if pk]
    return list(learners_of(scope=scope).filter(pk__in=ids)) if ids else []


def enrolment_of(*, scope: Scope, learner: User) -> Enrolment | None:
    return Enrolment.objects.filter(tenant_q(scope), learner=learner).first()


def enrolled_with_token(*, scope: Scope, client_token: object) -> User | None:
    """The learner the scope's enrolment form already enrolled (the same form sent twice), or ``None``."""
    token = parse_id(client_token)
    if token is None:
        return None
    enrolment = Enrolment.objects.filter(tenant_q(scope), client_token=token).select_related("learner").first()
    return enrolment.learner if enrolment else None


def enrolment_dates(*, scope: Scope, learner_ids: list) -> dict[uuid.UUID, datetime]:
    """{learner id: date the scope's organisation enrolled them} for one page of learners."""
    return dict(Enrolment.objects.filter(tenant_q(scope), learner__in=learner_ids)
                .values_list("learner_id", "created_at"))


def enrolments_of(*, scope: Scope) -> QuerySet[Enrolment]:
    """The scope's enrolments of active learners, with the learner (for exports)."""
    return (Enrolment.objects.filter(tenant_q(scope), learner__is_active=True).select_related("learner")
            .order_by("learner__first_name", "learner__last_name", "pk"))


def organisations_following(*, scope: Scope, learner: User) -> QuerySet[Organisation]:
    """The other organisations that follow one of the scope's learners (the learner agreed to it)."""
    return Organisation.objects.filter(enrolments__learner=learner).exclude(pk=scope.organisation.pk).order_by("name")


def share_targets(*, scope: Scope, learner: User, name: str) -> QuerySet[Organisation]:
    """Organisations whose name contains ``name``, other than the scope's and those already following the learner."""
    return (Organisation.objects.filter(name__icontains=name.strip())
            .exclude(pk=scope.organisation.pk).exclude(enrolments__learner=learner).select_related("commune")
            .order_by("name"))


def share_target(*, scope: Scope, learner: User, organisation_id: object) -> Organisation | None:
    pk = parse_id(organisation_id)
    return Organisation.objects.filter(pk=pk).exclude(pk=scope.organisation.pk).first() if pk else None


# --- staff, invitations, imports, sign-up links -------------------------------------------------------------


def members_of(*, scope: Scope) -> QuerySet[Membership]:
    return Membership.objects.filter(tenant_q(scope)).select_related("user").order_by("user__first_name", "pk")


def membership_of(*, scope: Scope, user_id: object) -> Membership | None:
    pk = parse_id(user_id)
    return members_of(scope=scope).filter(user_id=pk).first() if pk else None


def is_member(*, scope: Scope, email: str) -> bool:
    return Membership.objects.filter(tenant_q(scope), user__email__iexact=email).exists()


def invitations_of(*, scope: Scope) -> QuerySet[Invitation]:
    """Pending invitations, for the organisation's admins only."""
    if not scope.is_admin:
        return Invitation.objects.none()
    return Invitation.objects.filter(tenant_q(scope), accepted_at__isnull=True, revoked_at__isnull=True,
                                     expires_at__gt=timezone.now())


def invitation_of(*, scope: Scope, invitation_id: object) -> Invitation | None:
    pk = parse_id(invitation_id)
    if pk is None or not scope.is_admin:
        return None
    return Invitation.objects.filter(tenant_q(scope), pk=pk, accepted_at__isnull=True).first()


def learner_import_of(*, scope: Scope, import_id: object) -> LearnerImport | None:
    """An import is seen by the person who uploaded it only (it holds their file)."""
    pk = parse_id(import_id)
    return LearnerImport.objects.filter(tenant_q(scope), pk=pk, created_by=scope.user).first() if pk else None


def signup_links_of(*, scope: Scope) -> QuerySet[SignupLink]:
    """The links still open."""
    return SignupLink.objects.filter(tenant_q(scope), expires_at__gt=timezone.now())


def signup_link_of(*, scope: Scope, link_id: object) -> SignupLink | None:
    pk = parse_id(link_id)
    return SignupLink.objects.filter(tenant_q(scope), pk=pk).first() if pk else None


# --- duplicates ------------------------------------------------------------------------------------------------


def person_keys_in(*, organisation: Organisation, keys: list[str]) -> dict[str, str]:
    """{stored person key: login code} of the active learners an organisation follows whose key is among ``keys``
    (``accounts.models.stored_person_key``: names without case, accents or extra spaces, and the birth year). Read
    through the indexed ``User.person_key``, a thousand keys a query: the work follows the file, not the structure."""
    found: dict[str, str] = {}
    wanted = sorted(set(keys))
    for start in range(0, len(wanted), 1000):
        rows = (User.objects.filter(kind=UserKind.LEARNER, is_active=True, enrolments__organisation=organisation,
                                    person_key__in=wanted[start:start + 1000])
                .values_list("person_key", "username"))
        found.update(rows)
    return found


def learner_duplicates_of(*, scope: Scope, first_name: str, last_name: str = "",
                          birth_year: int | None = None) -> list[User]:
    """Active learners of the scope who look like the same person (names without case, accents or extra spaces,
    and the same birth year): one indexed query on ``User.person_key``."""
    return list(learners_of(scope=scope).filter(person_key=stored_person_key(first_name, last_name, birth_year)))


class _DuplicateGroupsPaginator(OneQueryPaginator):
    """Pages of look-alike groups. The database finds the groups (a ``person_key`` shared by more than one of the
    scope's learners) and pages them by their oldest member (date_joined, then pk): the page's oldest members and
    the number of groups come in one query (``COUNT(*) OVER ()``), the page's members in one more. Past the last
    page, or for a page number that is not one, Django's rules (the groups are counted first)."""

    def __init__(self, scope: Scope, per_page: int) -> None:
        self._learners = learners_of(scope=scope)
        oldest = (self._learners.order_by()
                  .annotate(rank=Window(RowNumber(), partition_by=[F("person_key")],
                                        order_by=[F("date_joined"), F("pk")]),
                            members=Window(Count("*"), partition_by=[F("person_key")]))
                  .filter(rank=1, members__gt=1).values("pk"))
        self._oldest = User.objects.filter(pk__in=oldest).order_by("date_joined", "pk").only("id", "person_key")
        super().__init__(self._oldest, per_page)

    def _get_page(self, oldest, number, paginator) -> Page:
        groups: dict[str, list[User]] = {u.person_key: [] for u in oldest}
        if groups:
            members = (self._learners.filter(person_key__in=list(groups)).order_by("date_joined", "pk")
                       .only("id", "first_name", "last_name", "birth_year", "username", "date_joined", "kind",
                             "person_key"))
            for user in members:
                groups[user.person_key].append(user)
        return Page([g for g in groups.values() if len(g) > 1], number, paginator)  # (one merged meanwhile)


def duplicate_groups_of(*, scope: Scope, page: object = 1, per_page: int = 20) -> Page:
    """A page of groups of active learners sharing first name, last name and birth year (``imports.person_key``,
    stored as ``User.person_key``): groups in the order of their oldest member, oldest first in each group.
    Two queries whatever the structure's size (the page with the number of groups, then the page's members)."""
    return _DuplicateGroupsPaginator(scope, per_page).get_page(page)


def commune_lookup(*, text: str) -> list[Commune]:
    """Communes matching an INSEE code (« 49007 »), or a postcode and/or name (« 49000 Angers », « Angers »)."""
    import re

    text = " ".join((text or "").replace("\x00", "").split())  # PostgreSQL refuses NUL in a query
    if not text:
        return []
    if re.fullmatch(r"(\d{5}|2[AB]\d{3})", text.upper()):
        by_code = list(Commune.objects.filter(code=text.upper()).select_related("department"))
        if by_code:
            return by_code
    match = re.match(r"^(\d{5})\s*(.*)$", text)
    postcode, name = (match.group(1), match.group(2)) if match else ("", text)
    name = re.sub(r"\s*\(.*\)$", "", name).strip()
    qs = Commune.objects.select_related("department")
    candidates = list(qs.filter(name__iexact=name)[:50]) if name else []
    if postcode:
        if not candidates:
            prefixes = ("2A", "2B") if postcode.startswith("20") else (postcode[:2],)  # Corsica: 20xxx
            candidates = [c for prefix in prefixes for c in qs.filter(department__code__startswith=prefix)[:3000]]
        candidates = [c for c in candidates if postcode in (c.postcodes or [])]
    return candidates


def organisations_following_learner(*, learner: User, limit: int = 3) -> list[Organisation]:
    """For the learner's own screens: the structures that follow them (who can help)."""
    return list(Organisation.objects.filter(enrolments__learner=learner).order_by("name")[:limit])


# --- the network above the structures (issue 11): scopes of type NetworkScope --------------------------------


def _covered(scope: NetworkScope, path: str) -> dict:
    """Filter kwargs for rows whose department (reached through ``path``) the network scope covers."""
    return {} if scope.departments is None else {f"{path}__in": scope.departments}


def territories_of(*, scope: NetworkScope) -> QuerySet[Territory]:
    """Every territory for the national team; a coordinator's or a funder's own territory otherwise."""
    territories = Territory.objects.prefetch_related("departments").order_by("name")
    if scope.is_network_admin and scope.territory is None:
        return territories
    return territories.filter(pk=scope.territory.pk) if scope.territory else territories.none()


def territory_of(*, scope: NetworkScope, territory_id: object) -> Territory | None:
    pk = parse_id(territory_id)
    return territories_of(scope=scope).filter(pk=pk).first() if pk else None


def regions_of(*, scope: NetworkScope) -> QuerySet[Region]:
    """Regions whose every department the scope covers: a region's figures include all of its departments, so a
    territory covering part of a region does not see the region's totals (it sees its own departments)."""
    regions = Region.objects.order_by("code")
    if scope.departments is None:
        return regions
    outside = Department.objects.exclude(code__in=scope.departments).values("region_id")
    return regions.filter(departments__code__in=scope.departments).exclude(code__in=outside).distinct()


def region_of(*, scope: NetworkScope, code: object) -> Region | None:
    if not isinstance(code, str) or not code or len(code) > 3 or "\x00" in code:
        return None
    return regions_of(scope=scope).filter(code=code).first()


def departments_of(*, scope: NetworkScope, region: Region | None = None) -> QuerySet[Department]:
    departments = Department.objects.select_related("region").filter(**_covered(scope, "code")).order_by("code")
    return departments.filter(region=region) if region is not None else departments


def department_of(*, scope: NetworkScope, code: object) -> Department | None:
    if not scope.covers_department(code) or "\x00" in str(code):
        return None
    return departments_of(scope=scope).filter(code=code).first()


def structures_of(*, scope: NetworkScope, department: Department | None = None) -> QuerySet[Organisation]:
    """The structures of the scope's territory (none for funders: they see aggregates above the structures)."""
    if not scope.sees_structures:
        return Organisation.objects.none()
    structures = (Organisation.objects.select_related("commune__department")
                  .filter(**_covered(scope, "commune__department_id")).order_by("name", "pk"))
    return structures.filter(commune__department=department) if department is not None else structures


def structure_of(*, scope: NetworkScope, organisation_id: object) -> Organisation | None:
    pk = parse_id(organisation_id)
    return structures_of(scope=scope).filter(pk=pk).first() if pk else None


def network_members_of(*, scope: NetworkScope) -> QuerySet[NetworkMembership]:
    """The people holding a network role in the scope's territories (all of them for the national team)."""
    members = NetworkMembership.objects.select_related("user", "territory").order_by("territory__name", "role",
                                                                                     "user__first_name")
    if scope.is_network_admin and scope.territory is None:
        return members
    if scope.is_coordinator and scope.territory is not None:
        return members.filter(territory=scope.territory)
    return members.none()


def network_invitations_of(*, scope: NetworkScope) -> QuerySet[NetworkInvitation]:
    """Pending invitations the national team sent (others send none)."""
    if not (scope.is_network_admin and scope.territory is None):
        return NetworkInvitation.objects.none()
    return (NetworkInvitation.objects.select_related("territory")
            .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()))


def network_invitation_of(*, scope: NetworkScope, invitation_id: object) -> NetworkInvitation | None:
    pk = parse_id(invitation_id)
    return network_invitations_of(scope=scope).filter(pk=pk).first() if pk else None


# --- a structure's grant to its territory's coordination (ADR 14, revised) --------------------------------------


def grant_territories_of(*, scope: Scope) -> QuerySet[Territory]:
    """The territories the scope's structure may share its learner list with: those covering its department,
    and any it still shares with (a structure that moved keeps a grant it can revoke)."""
    organisation = scope.organisation
    return (Territory.objects.filter(Q(departments__code=organisation.commune.department_id)
                                     | Q(grants__organisation=organisation, grants__revoked_at__isnull=True))
            .distinct().order_by("name"))


def grant_territory_of(*, scope: Scope, territory_id: object) -> Territory | None:
    pk = parse_id(territory_id)
    return grant_territories_of(scope=scope).filter(pk=pk).first() if pk else None


def coordinator_grants_of(*, scope: Scope) -> QuerySet[CoordinatorGrant]:
    """The structure's grants in force, for its managers only (others: none)."""
    if not scope.is_admin:
        return CoordinatorGrant.objects.none()
    return (CoordinatorGrant.objects.filter(tenant_q(scope), revoked_at__isnull=True)
            .select_related("territory", "granted_by"))


def _grants_to(scope: NetworkScope) -> Q | None:
    """Grants in force to the territory a coordinator acts for; ``None`` for anyone else (the national team and
    funders read no learner list, whatever a structure grants)."""
    if not scope.is_coordinator or scope.territory is None:
        return None
    return Q(territory=scope.territory, revoked_at__isnull=True)


def structure_grant_of(*, scope: NetworkScope, organisation_id: object) -> CoordinatorGrant | None:
    """The grant in force of a structure of the scope's territory to that territory, with the structure."""
    pk, grants = parse_id(organisation_id), _grants_to(scope)
    if pk is None or grants is None:
        return None
    return (CoordinatorGrant.objects.filter(grants, organisation_id=pk,
                                            **_covered(scope, "organisation__commune__department_id"))
            .select_related("organisation__commune__department__region", "granted_by").first())


def shared_learners_of(*, scope: NetworkScope, organisation_id: object) -> QuerySet[User]:
    """A structure's active learners, read-only, for the coordinator of a territory the structure shares its list
    with (empty otherwise: no grant, a revoked one, another territory, the national team, a funder, a forged id).

    The grant is checked in the same query as the rows. Each row carries ``modules_completed`` (modules finished
    at least once) and ``last_activity_at``; nothing else is meant to be shown (first name, initial of the last
    name)."""
    pk, grants = parse_id(organisation_id), _grants_to(scope)
    if pk is None or grants is None:
        return User.objects.none()
    granted = CoordinatorGrant.objects.filter(grants, organisation_id=pk,
                                              **_covered(scope, "organisation__commune__department_id"))
    return (User.objects.filter(kind=UserKind.LEARNER, is_active=True, enrolments__organisation_id=pk,
                                enrolments__organisation__in=granted.values("organisation_id"))
            .only("id", "first_name", "last_name")
            .annotate(modules_completed=Count("module_progress", filter=Q(module_progress__completed_at__isnull=False)),
                      last_activity_at=Max("module_progress__last_activity_at"))
            .order_by("first_name", "last_name", "pk"))
