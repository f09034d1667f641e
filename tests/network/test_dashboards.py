"""/pilotage/ as each kind of network person reads it: the scope's top area, drill-down, the period before, the
goal, and plain words when a period holds nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ..coaching.world import built_once
from ..conftest import page_text
from .world import network_with_figures


@pytest.fixture(scope="module")
def net(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, network_with_figures)


def _get(user, url, **query):
    client = Client()
    client.force_login(user)
    return client.get(url, query)


def test_the_national_team_lands_on_the_country_and_sees_each_region_with_its_figures(net, db):
    world, expected = net
    response = _get(world.admin, reverse("network:home"))
    assert response.status_code == 200
    text = page_text(response)
    assert str(expected[("national", "people_reached", False)]) in text
    assert str(expected[("national", "people_reached", True)]) in text  # the year before, beside it
    assert str(expected[("r1", "people_reached", False)]) in text and world.r2.name in text
    assert ("123\u202f456 personnes touchées depuis le début dans tout le réseau, soit 12,35 % de l'objectif de "
            "1\u202f000\u202f000.") in text  # toward the goal, written as French readers read figures
    assert "Personnes différentes qui ont fait au moins une activité" in text  # the definition beside the figure
    assert '<svg class="chart" role="img"' in response.content.decode()


def test_a_coordinator_lands_on_their_territory_and_drills_down_to_a_structure(net, db):
    world, expected = net
    text = page_text(_get(world.coordinator, reverse("network:home")))
    assert world.hub.name in text and str(expected[("hub", "people_reached", False)]) in text
    assert world.d1.name in text and world.d2.name in text and world.d3.name not in text
    department = _get(world.coordinator, reverse("network:department", args=[world.d1.code]))
    assert department.status_code == 200
    text = page_text(department)
    assert "Alpha" in text and str(expected[("alpha", "people_reached", False)]) in text
    assert "Commune" in text
    structure = _get(world.coordinator, reverse("network:structure", args=[world.alpha.pk]))
    assert structure.status_code == 200
    assert str(expected[("alpha", "active_trainers", False)]) in page_text(structure)


def test_a_funder_reads_their_departments_but_never_a_structure(net, db):
    world, expected = net
    text = page_text(_get(world.funder, reverse("network:department", args=[world.d1.code])))
    assert str(expected[("d1", "people_reached", False)]) in text
    assert "Alpha" not in text and str(expected[("alpha", "people_reached", False)]) not in text
    assert _get(world.funder, reverse("network:structure", args=[world.alpha.pk])).status_code == 404
    assert _get(world.funder, reverse("network:structure_export", args=[world.alpha.pk, "csv"])).status_code == 404
    assert _get(world.funder, reverse("network:structures")).status_code == 404


@pytest.mark.parametrize("code", ["9C", "99", "\x00", "9" * 5000, "", "é"])
def test_a_coordinator_forging_another_department_code_gets_404(net, db, code):
    world, _expected = net
    response = _get(world.coordinator, f"/pilotage/departement/{code}/")
    assert response.status_code == 404
    assert "Gamma" not in page_text(response)


@pytest.mark.parametrize("forged", ["gamma", "unknown", "nul", "huge"])
def test_a_coordinator_forging_a_structure_id_outside_the_territory_gets_404(net, db, forged):
    import uuid

    world, _expected = net
    value = {"gamma": str(world.gamma.pk), "unknown": str(uuid.uuid4()), "nul": f"{world.alpha.pk}\x00",
             "huge": "f" * 10000}[forged]
    assert _get(world.coordinator, f"/pilotage/structure/{value}/").status_code == 404
    assert _get(world.coordinator, f"/pilotage/structure/{value}/export.pdf").status_code == 404


def test_a_period_with_no_data_says_so_and_shows_zeros(net, db):
    world, _expected = net
    response = _get(world.coordinator, reverse("network:home"), periode="month", debut="2011-02-01")
    assert response.status_code == 200
    text = page_text(response)
    assert "Aucune donnée pour cette période" in text
    assert "février 2011" in text and "pas de données" in text  # the impact share: nobody to divide by


def test_the_previous_period_is_compared_with_an_arrow_and_the_difference(net, db):
    world, expected = net
    text = page_text(_get(world.admin, reverse("network:home")))
    now, before = expected[("national", "people_reached", False)], expected[("national", "people_reached", True)]
    difference = now - before
    assert (f"↑ hausse de {difference}" if difference > 0 else f"↓ baisse de {-difference}") in text
    assert "75 % (6 sur 8)" in text  # the impact: a share, with its counts


@pytest.mark.parametrize("query", [{"periode": "\x00"}, {"debut": "9" * 3000}, {"periode": "quarter",
                                                                                "debut": "2026-13-45"},
                                   {"page": "\x00"}, {"page": "-1"}])
def test_bad_period_or_page_values_never_give_an_error(net, db, query):
    world, _expected = net
    assert _get(world.coordinator, reverse("network:department", args=[world.d1.code]), **query).status_code == 200
