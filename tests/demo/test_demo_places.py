"""The demo network has real places (the Angers hub) and each demo structure has its public profile (issue 12)."""

import pytest

from tremplin.audit.models import AuditEntry
from tremplin.demo.places import build_demo_places
from tremplin.organisations.enums import MembershipRole
from tremplin.organisations.models import Place, PlaceSource

from ..factories import CommuneFactory, DepartmentFactory, MembershipFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_demo_places_come_from_the_angers_hub_and_each_structure_is_a_place_and_twice_creates_nothing():
    angers = CommuneFactory()
    gironde = DepartmentFactory(code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine"))
    merignac = CommuneFactory(code="33281", name="Mérignac", department=gironde, postcodes=["33700"])
    orgs = [OrganisationFactory(name="Les Clés du Numérique", commune=angers),
            OrganisationFactory(name="CCAS de Mérignac", commune=merignac)]
    for org in orgs:
        MembershipFactory(organisation=org, role=MembershipRole.ADMIN)

    assert build_demo_places() == 63 + 2
    assert PlaceSource.objects.filter(hub="Angers").count() == 63
    for org in orgs:
        org.refresh_from_db()
        assert org.place is not None and org.place.latitude is not None
    counts = (Place.objects.count(), PlaceSource.objects.count(), AuditEntry.objects.count())

    assert build_demo_places() == 0
    assert (Place.objects.count(), PlaceSource.objects.count(), AuditEntry.objects.count()) == counts
