"""The network scopes (issue 11): the national team, a territory's coordinator, a funder — each sees the
territories, departments and structures it covers and nothing else; forged ids answer ``None``.

``NETWORK_ROWS`` must name every selector that takes a ``NetworkScope``: a new one without rows fails.
"""

from __future__ import annotations

import inspect
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from tremplin.organisations import selectors
from tremplin.organisations.access import NetworkScope, network_scope_for
from tremplin.organisations.enums import NetworkRole, TerritoryKind
from tremplin.organisations.models import CoordinatorGrant, Membership, NetworkMembership, Organisation, Territory
from tremplin.organisations.services import (
    NetworkPermissionError,
    TerritoryError,
    network_invitation_accept,
    network_invitation_by_token,
    network_invitation_create,
    structure_create,
    territory_create,
)

from ..factories import CommuneFactory, EnrolmentFactory, LearnerFactory, StaffFactory
from ..network_world import build_network

pytestmark = pytest.mark.django_db

FORGED = ["", "pas-un-id", "\x00", "1" * 5000, str(uuid.uuid4()), None, 42]


@pytest.fixture
def net():
    """The network, with one learner per structure and the structures' grants (ADR 14, revised): Alpha shares its
    list with the hub, Gamma with department C; Beta shared with the hub and took it back, and holds a stale grant
    to department C, which does not cover it (a structure that moved)."""
    world = build_network()
    for structure, name in ((world.alpha, "Anne"), (world.beta, "Bruno"), (world.gamma, "Gaëlle")):
        EnrolmentFactory(organisation=structure, learner=LearnerFactory(first_name=name))
    CoordinatorGrant.objects.create(organisation=world.alpha, territory=world.hub)
    CoordinatorGrant.objects.create(organisation=world.gamma, territory=world.dep3)
    CoordinatorGrant.objects.create(organisation=world.beta, territory=world.hub, revoked_at=timezone.now())
    CoordinatorGrant.objects.create(organisation=world.beta, territory=world.dep3)
    return world


def shared_names(world, scope):
    """First names of the learners of every structure that the scope reads through a grant."""
    return sorted(u.first_name for o in (world.alpha, world.beta, world.gamma)
                  for u in selectors.shared_learners_of(scope=scope, organisation_id=o.pk))


def names(rows):
    return sorted(str(getattr(r, "name", None) or getattr(r, "code", None) or r.pk) for r in rows)


# who → what each list selector shows them
NETWORK_ROWS = {
    "territories_of": lambda w, s: names(selectors.territories_of(scope=s)),
    "regions_of": lambda w, s: names(selectors.regions_of(scope=s)),
    "departments_of": lambda w, s: names(selectors.departments_of(scope=s)),
    "structures_of": lambda w, s: names(selectors.structures_of(scope=s)),
    "network_members_of": lambda w, s: sorted(m.user.first_name for m in selectors.network_members_of(scope=s)),
    "network_invitations_of": lambda w, s: list(selectors.network_invitations_of(scope=s)),
    "shared_learners_of": shared_names,
}
EXPECTED = {
    "admin": {"territories_of": ["Département 9C", "Hub Nord 9"], "regions_of": ["Région 91", "Région 92"],
              "departments_of": ["Département 9A", "Département 9B", "Département 9C"],
              "structures_of": ["Alpha", "Beta", "Gamma"],
              "network_members_of": ["Coordinateur", "Coordinatrice", "Financeur", "Nationale"],
              "network_invitations_of": [], "shared_learners_of": []},
    "coordinator": {"territories_of": ["Hub Nord 9"], "regions_of": ["Région 91"],
                    "departments_of": ["Département 9A", "Département 9B"],
                    "structures_of": ["Alpha", "Beta"], "network_members_of": ["Coordinatrice", "Financeur"],
                    "network_invitations_of": [], "shared_learners_of": ["Anne"]},
    "coordinator_d3": {"territories_of": ["Département 9C"], "regions_of": ["Région 92"],
                       "departments_of": ["Département 9C"], "structures_of": ["Gamma"],
                       "network_members_of": ["Coordinateur"], "network_invitations_of": [],
                       "shared_learners_of": ["Gaëlle"]},
    "funder": {"territories_of": ["Hub Nord 9"], "regions_of": ["Région 91"],
               "departments_of": ["Département 9A", "Département 9B"],
               "structures_of": [], "network_members_of": [], "network_invitations_of": [],
               "shared_learners_of": []},
}
ONE_ROWS = {
    # selector → (argument name, how to get the object's key from the world, who may see which)
    "territory_of": ("territory_id", lambda w: {"hub": w.hub.pk, "dep3": w.dep3.pk}),
    "region_of": ("code", lambda w: {"r1": w.r1.code, "r2": w.r2.code}),
    "department_of": ("code", lambda w: {"d1": w.d1.code, "d3": w.d3.code}),
    "structure_of": ("organisation_id", lambda w: {"alpha": w.alpha.pk, "gamma": w.gamma.pk}),
    "network_invitation_of": ("invitation_id", lambda w: {}),
    "structure_grant_of": ("organisation_id", lambda w: {"alpha grant": w.alpha.pk, "beta grant": w.beta.pk,
                                                         "gamma grant": w.gamma.pk}),
}
SEES_ONE = {  # a grant: to the coordinator of the territory it names, if that territory covers the structure
    "admin": {"hub", "dep3", "r1", "r2", "d1", "d3", "alpha", "gamma"},
    "coordinator": {"hub", "r1", "d1", "alpha", "alpha grant"},
    "coordinator_d3": {"dep3", "r2", "d3", "gamma", "gamma grant"},
    "funder": {"hub", "r1", "d1"},
}


def test_every_network_selector_has_permission_rows():
    network = {name for name, fn in vars(selectors).items()
               if inspect.isfunction(fn) and not name.startswith("_")
               and "scope" in inspect.signature(fn).parameters
               and inspect.signature(fn).parameters["scope"].annotation in (NetworkScope, "NetworkScope")}
    assert network, "the network selectors take scope: NetworkScope"
    assert network == set(NETWORK_ROWS) | set(ONE_ROWS)


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_network_role_lists_what_its_territory_covers_and_nothing_else(net, who):
    scope = net.scope(who)
    for name, call in NETWORK_ROWS.items():
        assert call(net, scope) == EXPECTED[who][name], f"{name} for {who}"


@pytest.mark.parametrize("who", sorted(SEES_ONE))
def test_each_network_role_finds_its_own_objects_and_none_for_others_or_forged_ids(net, who):
    scope = net.scope(who)
    for name, (argument, keys) in ONE_ROWS.items():
        fn = getattr(selectors, name)
        for label, key in keys(net).items():
            found = fn(scope=scope, **{argument: key})
            assert (found is not None) == (label in SEES_ONE[who]), f"{name}({label}) for {who}"
        for forged in FORGED:
            assert fn(scope=scope, **{argument: forged}) is None, f"{name}({forged!r}) for {who}"


def test_a_trainer_a_learner_and_a_removed_coordinator_have_no_network_scope(net):
    assert network_scope_for(user=net.trainer) is None
    assert network_scope_for(user=LearnerFactory()) is None
    NetworkMembership.objects.filter(user=net.coordinator).delete()
    assert network_scope_for(user=net.coordinator) is None


def test_a_person_with_two_territories_acts_for_the_one_asked_and_never_for_one_they_do_not_hold(net):
    from tremplin.organisations.services import network_membership_add

    network_membership_add(user=net.coordinator, role=NetworkRole.FUNDER, territory=net.dep3)
    assert network_scope_for(user=net.coordinator, territory_id=net.dep3.pk).is_funder
    other = Territory.objects.create(name="Ailleurs", kind=TerritoryKind.DEPARTMENT)
    assert network_scope_for(user=net.coordinator, territory_id=other.pk).territory == net.hub


def test_the_national_team_creates_a_hub_and_a_department_and_nobody_else_may(net):
    scope = net.scope("admin")
    hub = territory_create(scope=scope, name="  Hub  Sud ", kind=TerritoryKind.HUB, departments=[net.d2, net.d3])
    assert hub.name == "Hub Sud" and hub.department_codes() == {"9B", "9C"}
    region = territory_create(scope=scope, name="Région 92", kind=TerritoryKind.REGION, region=net.r2)
    assert region.department_codes() == {"9C"}
    with pytest.raises(TerritoryError, match="déjà"):
        territory_create(scope=scope, name="hub sud", kind=TerritoryKind.HUB, departments=[net.d1, net.d2])
    with pytest.raises(TerritoryError, match="au moins deux"):
        territory_create(scope=scope, name="Hub seul", kind=TerritoryKind.HUB, departments=[net.d1])
    for who in ("coordinator", "funder"):
        with pytest.raises(NetworkPermissionError):
            territory_create(scope=net.scope(who), name="Pirate", kind=TerritoryKind.HUB,
                             departments=[net.d1, net.d3])
    assert not Territory.objects.filter(name="Pirate").exists()


def test_an_invited_coordinator_accepts_and_then_sees_their_territory(net):
    url = {}
    network_invitation_create(scope=net.scope("admin"), email="Claire@Exemple.fr", role=NetworkRole.COORDINATOR,
                              territory=net.dep3, accept_url_for=lambda t: url.setdefault("token", t))
    assert mail.outbox[-1].to == ["claire@exemple.fr"] and url["token"] in mail.outbox[-1].body
    invitation = network_invitation_by_token(token=url["token"])
    user = network_invitation_accept(invitation=invitation, first_name="Claire", password="un mot de passe long")
    scope = network_scope_for(user=user)
    assert scope.is_coordinator and scope.departments == {"9C"}
    assert network_invitation_by_token(token=url["token"]) is None  # used once
    with pytest.raises(NetworkPermissionError):
        network_invitation_create(scope=net.scope("coordinator"), email="x@exemple.fr",
                                  role=NetworkRole.FUNDER, territory=net.hub, accept_url_for=str)


@pytest.mark.parametrize("bad", ["", "\x00", "x" * 5000, None])
def test_a_forged_or_malformed_network_invitation_token_finds_nothing(bad):
    assert network_invitation_by_token(token=bad) is None


def test_a_coordinator_opens_a_structure_of_their_territory_and_invites_its_manager_but_not_elsewhere(net):
    scope = net.scope("coordinator")
    commune = CommuneFactory(code="9B002", name="Bourg", department=net.d2)
    org = structure_create(scope=scope, name="Espace numérique de Bourg", type="EPN", commune=commune,
                           admin_email="resp@exemple.fr", accept_url_for=lambda t: f"https://x/{t}")
    assert org.invitations.get().role == "admin" and mail.outbox[-1].to == ["resp@exemple.fr"]
    assert not Membership.objects.filter(user=net.coordinator).exists()  # figures, never learners
    elsewhere = CommuneFactory(code="9C002", name="Loin", department=net.d3)
    for who in ("coordinator", "funder"):
        with pytest.raises(NetworkPermissionError):
            structure_create(scope=net.scope(who), name="Pirate", type="EPN", commune=elsewhere,
                             admin_email="p@exemple.fr", accept_url_for=str)
    assert not Organisation.objects.filter(name="Pirate").exists()


def test_a_staff_member_without_network_role_cannot_be_given_a_territoryless_coordinator_role():
    from tremplin.organisations.services import network_membership_add

    with pytest.raises(ValueError):
        network_membership_add(user=StaffFactory(), role=NetworkRole.COORDINATOR, territory=None)


def test_a_territory_covering_part_of_a_region_does_not_see_the_region_but_its_own_departments(net):
    from ..factories import DepartmentFactory

    DepartmentFactory(code="9D", name="Département 9D", region=net.r1)  # R1 now has a department outside the hub
    for who in ("coordinator", "funder"):
        scope = net.scope(who)
        assert selectors.region_of(scope=scope, code=net.r1.code) is None
        assert list(selectors.regions_of(scope=scope)) == []
        assert selectors.department_of(scope=scope, code="9A") is not None
        assert selectors.department_of(scope=scope, code="9D") is None
    assert selectors.region_of(scope=net.scope("admin"), code=net.r1.code) is not None


def test_an_invitation_used_or_revoked_between_opening_and_accepting_is_refused_for_both_kinds(net):
    from django.utils import timezone

    from tremplin.organisations.services import invitation_accept, invitation_create

    network = network_invitation_create(scope=net.scope("admin"), email="deux@exemple.fr",
                                        role=NetworkRole.FUNDER, territory=net.hub, accept_url_for=str)
    network_invitation_accept(invitation=network, first_name="Une", password="un mot de passe long")
    with pytest.raises(ValueError):  # the same link accepted a second time (two tabs)
        network_invitation_accept(invitation=network, first_name="Deux", password="un mot de passe long")
    trainer = invitation_create(organisation=net.alpha, email="t@exemple.fr", role="trainer",
                                invited_by=net.trainer, accept_url_for=str)
    type(trainer).objects.filter(pk=trainer.pk).update(revoked_at=timezone.now())
    with pytest.raises(ValueError):
        invitation_accept(invitation=trainer, first_name="T", password="un mot de passe long")
    assert not Membership.objects.filter(user__email="t@exemple.fr").exists()
    assert NetworkMembership.objects.filter(user__first_name="Deux").count() == 0
