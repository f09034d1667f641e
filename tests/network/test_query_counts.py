"""Each /pilotage/ page makes as many queries for a network three times bigger (more structures, departments,
regions, territories, invitations and people): no query per row, whatever the number of learners (figures are
read from the rollups)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.organisations.enums import NetworkRole, TerritoryKind
from tremplin.organisations.models import NetworkInvitation, Territory
from tremplin.organisations.services import network_membership_add

from ..factories import CommuneFactory, DepartmentFactory, OrganisationFactory, RegionFactory, StaffFactory
from ..network_world import build_network
from ..test_query_counts import _measure
from .world import seed_figures

# page → (who, URL builder, ceiling: measured in December 2026 + 3 for headroom)
PAGES = {
    "national home": ("admin", lambda w: reverse("network:home"), 17),
    "territory home": ("coordinator", lambda w: reverse("network:home"), 18),
    "region": ("admin", lambda w: reverse("network:region", args=[w.r1.code]), 18),
    "department": ("coordinator", lambda w: reverse("network:department", args=[w.d1.code]), 20),
    "structure": ("coordinator", lambda w: reverse("network:structure", args=[w.alpha.pk]), 15),
    "funder department": ("funder", lambda w: reverse("network:department", args=[w.d1.code]), 15),
    "structures list": ("coordinator", lambda w: reverse("network:structures"), 14),
    "territories": ("admin", lambda w: reverse("network:territories"), 12),
    "team": ("admin", lambda w: reverse("network:team"), 12),
    "indicators CSV": ("funder", lambda w: reverse("network:home_export", args=["csv"]), 17),
    "children XLSX": ("admin", lambda w: reverse("network:home_export", args=["xlsx"]) + "?tableau=detail", 16),
}


def _grow(world, n: int, tag: str) -> None:
    """n more of everything the pages list."""
    for i in range(n):
        region = RegionFactory(code=f"{tag}{i}", name=f"Région {tag}{i}")
        department = DepartmentFactory(code=f"{tag}{i}", name=f"Département {tag}{i}", region=region)
        OrganisationFactory(name=f"Structure {tag}{i}", commune=CommuneFactory(
            code=f"{world.d1.code}{tag}{i}", name=f"Commune {tag}{i}", department=world.d1))
        territory = Territory.objects.create(name=f"Territoire {tag}{i}", kind=TerritoryKind.DEPARTMENT)
        territory.departments.set([department])
        network_membership_add(user=StaffFactory(), role=NetworkRole.FUNDER, territory=territory)
        world.hub.departments.add(department)
        NetworkInvitation.objects.create(email=f"invite{tag}{i}@exemple.fr", role=NetworkRole.FUNDER,
                                         territory=territory, token_hash=f"{tag}{i}".ljust(64, "0"),
                                         invited_by=world.admin, expires_at=timezone.now() + dt.timedelta(days=3))


def _measure_download(user, url) -> tuple[int, str]:
    """``_measure`` for a download (its body is not a page)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), ""


def _count(page, who, url):
    return (_measure_download if "export" in url else _measure)(who, url)


@pytest.fixture
def world(db):
    world = build_network("6")
    seed_figures(world)
    return world


def test_every_network_page_makes_as_many_queries_for_a_network_three_times_bigger(world):
    before = {page: _count(page, getattr(world, who), url(world))[0] for page, (who, url, _c) in PAGES.items()}
    _grow(world, 2, "Q")
    _grow(world, 4, "R")
    after = {}
    for page, (who, url, ceiling) in PAGES.items():
        after[page], text = _count(page, getattr(world, who), url(world))
        assert after[page] <= ceiling, f"{page}: {after[page]} queries (at most {ceiling})"
        if page in ("department", "structures list"):
            assert "Structure R3" in text
    grew = {page: (before[page], after[page]) for page in PAGES if before[page] != after[page]}
    assert not grew, f"pages whose query count grows with the network: {grew}"
