"""From learning events to /pilotage/: the stats rollup runs over real events and each network person reads the
figures of their areas — the hub's coordinator counts a learner of Alpha in Alpha, department A and the hub; the
coordinator of department C counts nobody."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from tremplin.stats import rollup

from ..factories import EnrolmentFactory, LearnerFactory
from ..network_world import build_network
from ..stats.world import event

DAY = dt.date(2026, 3, 2)


def _reached(user, url) -> str:
    """The « Personnes touchées » figure of March 2026 on the page's indicators table."""
    client = Client()
    client.force_login(user)
    html = client.get(url, {"periode": "month", "debut": "2026-03"}).content.decode()
    return re.search(r'<th scope="row">Personnes touchées</th><td class="num">(\d+)</td>', html).group(1)


@pytest.mark.django_db
def test_the_figures_of_each_area_come_from_the_events_of_its_structures():
    world = build_network("4")
    for first_name, structure in (("Ana", world.alpha), ("Bob", world.alpha), ("Cyd", world.beta),
                                  ("Dan", world.gamma)):
        learner = EnrolmentFactory(organisation=structure, learner=LearnerFactory(first_name=first_name)).learner
        event(learner, DAY)
        event(learner, DAY, hour=15)
    rollup.range_rollup(first=DAY, last=DAY)
    assert _reached(world.coordinator, reverse("network:home")) == "3"  # the hub: Alpha's two, Beta's one
    assert _reached(world.coordinator, reverse("network:department", args=[world.d1.code])) == "2"
    assert _reached(world.coordinator, reverse("network:structure", args=[world.beta.pk])) == "1"
    assert _reached(world.funder, reverse("network:region", args=[world.r1.code])) == "3"
    assert _reached(world.coordinator_d3, reverse("network:home")) == "1"
    assert _reached(world.admin, reverse("network:home")) == "4"
