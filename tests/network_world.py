"""A small network for permission tests: two regions, three departments, structures in each, a hub over two
departments, and one person per network role.

    Région R1 ── département D1 (structure « Alpha »)   ┐ hub « Hub Nord » (D1 + D2)
              └─ département D2 (structure « Beta »)    ┘
    Région R2 ── département D3 (structure « Gamma »)

People: ``admin`` (national team), ``coordinator`` (hub), ``coordinator_d3`` (department D3), ``funder`` (hub),
``trainer`` (a member of Alpha, no network role).
"""

from __future__ import annotations

from dataclasses import dataclass

from tremplin.organisations.access import network_scope_for
from tremplin.organisations.enums import NetworkRole, TerritoryKind
from tremplin.organisations.models import Territory
from tremplin.organisations.services import network_membership_add

from .factories import (
    CommuneFactory,
    DepartmentFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    StaffFactory,
)


@dataclass
class NetworkWorld:
    r1: object
    r2: object
    d1: object
    d2: object
    d3: object
    alpha: object
    beta: object
    gamma: object
    hub: Territory
    dep3: Territory
    admin: object
    coordinator: object
    coordinator_d3: object
    funder: object
    trainer: object

    def scope(self, who: str):
        return network_scope_for(user=getattr(self, who))


def build_network(prefix: str = "9") -> NetworkWorld:
    """Region codes ``<prefix>1``/``<prefix>2`` and department codes ``<prefix>A``…, unique per prefix."""
    r1 = RegionFactory(code=f"{prefix}1", name=f"Région {prefix}1")
    r2 = RegionFactory(code=f"{prefix}2", name=f"Région {prefix}2")
    d1 = DepartmentFactory(code=f"{prefix}A", name=f"Département {prefix}A", region=r1)
    d2 = DepartmentFactory(code=f"{prefix}B", name=f"Département {prefix}B", region=r1)
    d3 = DepartmentFactory(code=f"{prefix}C", name=f"Département {prefix}C", region=r2)
    structures = [OrganisationFactory(name=name, commune=CommuneFactory(code=f"{d.code}001", name=f"Commune {d.code}",
                                                                    department=d))
                  for name, d in (("Alpha", d1), ("Beta", d2), ("Gamma", d3))]
    hub = Territory.objects.create(name=f"Hub Nord {prefix}", kind=TerritoryKind.HUB)
    hub.departments.set([d1, d2])
    dep3 = Territory.objects.create(name=f"Département {prefix}C", kind=TerritoryKind.DEPARTMENT, region=r2)
    dep3.departments.set([d3])
    admin, coordinator, coordinator_d3, funder, trainer = (
        StaffFactory(first_name=n) for n in ("Nationale", "Coordinatrice", "Coordinateur", "Financeur", "Formateur"))
    network_membership_add(user=admin, role=NetworkRole.NETWORK_ADMIN, territory=None)
    network_membership_add(user=coordinator, role=NetworkRole.COORDINATOR, territory=hub)
    network_membership_add(user=coordinator_d3, role=NetworkRole.COORDINATOR, territory=dep3)
    network_membership_add(user=funder, role=NetworkRole.FUNDER, territory=hub)
    MembershipFactory(user=trainer, organisation=structures[0])
    return NetworkWorld(r1, r2, d1, d2, d3, *structures, hub, dep3, admin, coordinator, coordinator_d3, funder,
                        trainer)
