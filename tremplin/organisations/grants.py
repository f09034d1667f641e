"""A structure shares its learner list with the coordination of a territory (ADR 14, revised: structure grants).

Only the structure's manager gives or takes back a grant, for a territory covering the structure's department;
both are audited in the structure's journal. What a grant opens is read by ``selectors.structure_grant_of`` and
``selectors.shared_learners_of`` (the coordinator acting for that territory, nobody else), and every page read is
recorded in the structure's journal too (``grant_read_record``): the structure sees who read its list and when.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from tremplin.accounts.models import User

from .access import NetworkScope, Scope
from .models import CoordinatorGrant, Organisation, Territory


class GrantPermissionError(PermissionError):
    """Not the structure's manager, or a territory that does not cover the structure (screens answer 404)."""


def _audit(**kwargs) -> None:
    from tremplin.audit.services import audit_log

    audit_log(**kwargs)


def _covers(territory: Territory, organisation: Organisation) -> bool:
    return territory.departments.filter(code=organisation.commune.department_id).exists()


@transaction.atomic
def grant_create(*, scope: Scope, territory: Territory) -> CoordinatorGrant:
    """The structure's manager lets the coordinators of ``territory`` read its learner list (the grant in force
    if there is one already: the same form sent twice grants once)."""
    organisation = scope.organisation
    if not scope.is_admin or not _covers(territory, organisation):
        raise GrantPermissionError("grant_create")
    current = CoordinatorGrant.objects.filter(organisation=organisation, territory=territory,
                                              revoked_at__isnull=True).first()
    if current is not None:
        return current
    try:
        with transaction.atomic():
            grant = CoordinatorGrant.objects.create(organisation=organisation, territory=territory,
                                                    granted_by=scope.user)
    except IntegrityError:  # the same form sent twice at once
        return CoordinatorGrant.objects.get(organisation=organisation, territory=territory, revoked_at__isnull=True)
    _audit(actor=scope.user, action="coordinator_grant.create", target_type="territory", target_id=territory.pk,
           organisation_id=organisation.pk, detail={"territory": territory.name})
    return grant


@transaction.atomic
def grant_revoke(*, scope: Scope, territory: Territory) -> bool:
    """The structure's manager takes the grant back: the next read by the territory's coordinators finds nothing.
    ``False`` when there was no grant in force (nothing written)."""
    organisation = scope.organisation
    if not scope.is_admin:
        raise GrantPermissionError("grant_revoke")
    revoked = (CoordinatorGrant.objects.filter(organisation=organisation, territory=territory,
                                               revoked_at__isnull=True)
               .update(revoked_at=timezone.now(), revoked_by=scope.user))
    if revoked:
        _audit(actor=scope.user, action="coordinator_grant.revoke", target_type="territory",
               target_id=territory.pk, organisation_id=organisation.pk, detail={"territory": territory.name})
    return bool(revoked)


def grant_read_record(*, scope: NetworkScope, grant: CoordinatorGrant, page: int, shown: int) -> None:
    """Record that a coordinator read one page of a structure's learner list, in the structure's journal (with
    the territory, as ``network_access_record`` does)."""
    actor: User = scope.user
    _audit(actor=actor, action="network.structure_learners", target_type="organisation",
           target_id=grant.organisation_id, organisation_id=grant.organisation_id,
           detail={"territory": str(grant.territory_id), "grant": str(grant.pk), "page": page, "shown": shown})
