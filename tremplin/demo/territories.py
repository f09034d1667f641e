"""The demo network's territories and the people above the structures (issue 11).

A region (Pays de la Loire: Angers and Nantes) with its coordinator and a funder, a hub over two departments
(Gironde and Nord: Mérignac and Roubaix) with its coordinator, and the national team. Created through the lead's
services (``territory_create`` audits and checks); found again by name and e-mail, so a second run creates nothing.
"""

from __future__ import annotations

from django.db import transaction

from tremplin.accounts.models import User
from tremplin.accounts.services import staff_create
from tremplin.organisations.access import network_scope_for, scope_for
from tremplin.organisations.enums import NetworkRole, TerritoryKind
from tremplin.organisations.grants import grant_create
from tremplin.organisations.models import (
    CoordinatorGrant,
    Department,
    NetworkMembership,
    Organisation,
    Region,
    Territory,
)
from tremplin.organisations.services import network_membership_add, territory_create

from .network import STAFF_PASSWORD

NATIONAL = ("equipe.nationale@demo.tremplin.fr", "Hélène", "Dumas")
REGION = ("52", "Pays de la Loire")
HUB = ("Hub numérique Gironde et Nord", ["33", "59"])
PEOPLE = [  # (e-mail, first name, last name, role, territory name or None, what they are, in French)
    (*NATIONAL, NetworkRole.NETWORK_ADMIN, None, "équipe nationale : tout le pays, crée les territoires"),
    ("agnes.perrin@demo.tremplin.fr", "Agnès", "Perrin", NetworkRole.COORDINATOR, REGION[1],
     "coordinatrice Pays de la Loire (Angers, Nantes)"),
    ("thomas.girard@demo.tremplin.fr", "Thomas", "Girard", NetworkRole.COORDINATOR, HUB[0],
     "coordinateur du hub Gironde et Nord (Mérignac, Roubaix)"),
    ("financeur.pdl@demo.tremplin.fr", "Claire", "Vasseur", NetworkRole.FUNDER, REGION[1],
     "financeur Pays de la Loire : chiffres seulement"),
]


def _staff(email: str, first: str, last: str) -> tuple[User, bool]:
    user = User.objects.filter(username=email).first()
    if user is not None:
        return user, False
    return staff_create(email=email, first_name=first, last_name=last, password=STAFF_PASSWORD), True


@transaction.atomic
def build_demo_territories() -> tuple[int, list[tuple[str, str]]]:
    """Returns (objects created, [(e-mail, what they are)]). Needs the geography (load_geography)."""
    if not Region.objects.filter(code=REGION[0]).exists() or Department.objects.filter(code__in=HUB[1]).count() < 2:
        return 0, []
    created = 0
    national, new = _staff(*NATIONAL)
    created += new
    if not NetworkMembership.objects.filter(user=national, territory=None).exists():
        network_membership_add(user=national, role=NetworkRole.NETWORK_ADMIN, territory=None)
        created += 1
    scope = network_scope_for(user=national)
    territories = {t.name: t for t in Territory.objects.filter(name__in=[REGION[1], HUB[0]])}
    if REGION[1] not in territories:
        territories[REGION[1]] = territory_create(scope=scope, name=REGION[1], kind=TerritoryKind.REGION,
                                                  region=Region.objects.get(code=REGION[0]))
        created += 1
    if HUB[0] not in territories:
        territories[HUB[0]] = territory_create(scope=scope, name=HUB[0], kind=TerritoryKind.HUB,
                                               departments=list(Department.objects.filter(code__in=HUB[1])))
        created += 1
    sign_ins = []
    for email, first, last, role, territory_name, label in PEOPLE:
        user, new = _staff(email, first, last)
        created += new
        territory = territories[territory_name] if territory_name else None
        if not NetworkMembership.objects.filter(user=user, territory=territory, role=role).exists():
            network_membership_add(user=user, role=role, territory=territory)
            created += 1
        sign_ins.append((email, label))
    created += _angers_shares(territories[REGION[1]])
    return created, sign_ins


def _angers_shares(region: Territory) -> int:
    """Les Clés du Numérique (Angers) shares its learner list with the Pays de la Loire coordination (ADR 14,
    revised): Agnès Perrin reads it on the structure's page; Nantes Nord shares nothing (aggregates only)."""
    angers = Organisation.objects.filter(name="Les Clés du Numérique").first()
    manager = User.objects.filter(username="claire.martin@demo.tremplin.fr").first()
    scope = scope_for(user=manager, organisation_id=angers.pk) if angers and manager else None
    if scope is None or not scope.is_admin or CoordinatorGrant.objects.filter(
            organisation=angers, territory=region, revoked_at__isnull=True).exists():
        return 0
    grant_create(scope=scope, territory=region)
    return 1
