"""Running the network through its screens: the national team creates territories and invites their coordinators
and funders (who accept from the e-mail's link), revokes an invitation; a coordinator opens a structure of their
territory; a person with only a network role lands on /pilotage/ after signing in."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tremplin.organisations.enums import NetworkRole, TerritoryKind
from tremplin.organisations.models import Invitation, NetworkInvitation, NetworkMembership, Organisation, Territory

from ..conftest import page_text
from ..network_world import build_network


@pytest.fixture
def world(db):
    return build_network("8")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_national_team_creates_a_hub_of_two_departments(world):
    client = _client(world.admin)
    response = client.post(reverse("network:territories"), {
        "name": "  Hub   Sud ", "kind": TerritoryKind.HUB, "departments": [world.d2.code, world.d3.code]})
    assert response.status_code == 302
    hub = Territory.objects.get(name="Hub Sud")
    assert hub.department_codes() == {world.d2.code, world.d3.code}
    assert "Hub Sud" in page_text(client.get(reverse("network:territories")))


@pytest.mark.parametrize(("body", "message"), [
    ({"name": "Hub seul", "kind": "hub", "departments": ["8A"]}, "au moins deux départements"),
    ({"name": "", "kind": "hub", "departments": ["8A", "8B"]}, "Ce champ est obligatoire"),
    ({"name": "Région", "kind": "region"}, "Choisissez la région"),
    ({"name": "X", "kind": "hub", "departments": ["8A", "\x00"]}, "caractère nul n’est pas autorisé"),
    ({"name": "X", "kind": "hub", "departments": ["8A", "ZZ"]}, "Ce département n'existe pas"),
    ({"name": "X\x00", "kind": "nope"}, "Sélectionnez un choix valide"),
])
def test_a_territory_that_cannot_be_created_is_said_in_french_and_nothing_is_saved(world, body, message):
    before = Territory.objects.count()
    response = _client(world.admin).post(reverse("network:territories"), body)
    assert response.status_code == 400
    assert message in page_text(response)
    assert Territory.objects.count() == before


def test_an_invited_coordinator_accepts_creates_an_account_and_lands_on_their_territory(world):
    response = _client(world.admin).post(reverse("network:team"), {
        "email": "Claire.Coord@Exemple.fr", "role": NetworkRole.COORDINATOR, "territory": world.dep3.pk})
    assert response.status_code == 302
    url = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    assert world.dep3.name in mail.outbox[-1].body
    visitor = Client()
    page = visitor.get(url)
    assert page.status_code == 200 and world.dep3.name in page_text(page)
    bad = visitor.post(url, {"first_name": "Claire", "password": "court", "password2": "court"})
    assert bad.status_code == 400 and "12 caractères" in page_text(bad)
    done = visitor.post(url, {"first_name": "Claire", "password": "une phrase assez longue",
                              "password2": "une phrase assez longue"}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("network:home")
    assert world.dep3.name in page_text(done) and world.d3.name in page_text(done)
    membership = NetworkMembership.objects.get(user__email="claire.coord@exemple.fr")
    assert (membership.role, membership.territory) == (NetworkRole.COORDINATOR, world.dep3)
    assert visitor.get(url).status_code == 404  # used once


def test_a_pending_invitation_is_listed_and_can_be_revoked(world):
    client = _client(world.admin)
    client.post(reverse("network:team"), {"email": "financeur@exemple.fr", "role": NetworkRole.FUNDER,
                                          "territory": world.hub.pk})
    invitation = NetworkInvitation.objects.get(email="financeur@exemple.fr")
    assert "financeur@exemple.fr" in page_text(client.get(reverse("network:team")))
    assert client.post(reverse("network:invitation_revoke", args=[invitation.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    client.get(reverse("network:team"))  # the message that names it is read
    assert "financeur@exemple.fr" not in page_text(client.get(reverse("network:team")))


def test_a_coordinator_opens_a_structure_of_their_territory_and_its_manager_is_invited(world):
    client = _client(world.coordinator)
    response = client.post(reverse("network:structure_open"), {
        "name": "Espace numérique du port", "type": "EPN", "commune": world.beta.commune.name,
        "admin_email": "responsable@exemple.fr"})
    assert response.status_code == 302
    created = Organisation.objects.get(name="Espace numérique du port")
    assert created.commune == world.beta.commune
    assert Invitation.objects.filter(organisation=created, email="responsable@exemple.fr").exists()
    listed = page_text(client.get(reverse("network:structures")))
    assert "Espace numérique du port" in listed and world.beta.commune.name in listed


def test_a_coordinator_cannot_open_a_structure_outside_their_territory(world):
    before = Organisation.objects.count()
    response = _client(world.coordinator).post(reverse("network:structure_open"), {
        "name": "Ailleurs", "type": "EPN", "commune": world.gamma.commune.name, "admin_email": "x@exemple.fr"})
    assert response.status_code == 400
    assert "pas dans votre territoire" in page_text(response)
    assert Organisation.objects.count() == before


def test_a_person_with_only_a_network_role_lands_on_pilotage_after_signing_in(world):
    world.funder.set_password("une phrase assez longue")
    world.funder.save()
    client = Client()
    response = client.post(reverse("accounts:staff_login"), {"email": world.funder.email,
                                                              "password": "une phrase assez longue"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("network:home")
    assert world.hub.name in page_text(response)


def test_someone_with_both_roles_finds_pilotage_in_the_trainer_navigation(world):
    from tremplin.organisations.services import network_membership_add

    network_membership_add(user=world.trainer, role=NetworkRole.COORDINATOR, territory=world.dep3)
    home = _client(world.trainer).get(reverse("trainer:home"))
    assert home.status_code == 200
    assert f'href="{reverse("network:home")}"' in home.content.decode()
    assert f'href="{reverse("network:home")}"' not in Client().get(reverse("trainer:home"), follow=True
                                                                   ).content.decode()
    pilotage = _client(world.trainer).get(reverse("network:home"))
    assert f'href="{reverse("trainer:home")}"' in pilotage.content.decode()  # and back


def test_a_trainer_without_a_network_role_is_told_so(world):
    response = _client(world.trainer).get(reverse("network:home"))
    assert response.status_code == 403
    assert "pas de rôle dans le pilotage" in page_text(response)
