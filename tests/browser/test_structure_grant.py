"""A structure shares its learner list with its territory's coordination, in a real browser, axe on every page:
the manager confirms « Partager la liste », the hub's coordinator opens the list from the structure's page."""

import pytest
from playwright.sync_api import expect

from tests.factories import EnrolmentFactory, LearnerFactory, MembershipFactory, StaffFactory
from tests.network_world import build_network

from .steps import click, go, sign_in_as_staff


@pytest.fixture
def network(transactional_db):
    world = build_network("4")
    world.manager = StaffFactory(first_name="Responsable")
    MembershipFactory(user=world.manager, organisation=world.alpha, role="admin")
    EnrolmentFactory(organisation=world.alpha, learner=LearnerFactory(first_name="Anne", last_name="Durand"))
    return world


def test_the_manager_shares_the_list_and_the_hub_s_coordinator_reads_it_from_the_structure_page(
        page, live_server, network):
    world, base = network, live_server.url
    sign_in_as_staff(page, base, world.manager.email)
    go(page, f"{base}/espace-formateur/structure/")
    click(page, "Partager le détail avec la coordination du territoire", role="link")
    expect(page.get_by_role("row", name=world.hub.name)).to_contain_text("Chiffres d'ensemble seulement")
    click(page, f"Partager la liste avec {world.hub.name}", role="link")
    expect(page.get_by_role("heading", level=2, name=f"Partager la liste de vos apprenants avec la coordination "
                                                       f"de {world.hub.name} ?")).to_be_visible()
    click(page, "Oui, partager")
    expect(page.get_by_text("peut maintenant lire la liste de vos apprenants")).to_be_visible()
    click(page, "Se déconnecter")

    sign_in_as_staff(page, base, world.coordinator.email)
    go(page, f"{base}/pilotage/structure/{world.alpha.pk}/")
    click(page, "Voir les personnes suivies", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Personnes suivies par Alpha")
    expect(page.get_by_role("row", name="Anne D.")).to_contain_text("aucune")
    expect(page.get_by_text("Durand")).to_have_count(0)
