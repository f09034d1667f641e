"""A structure shares its learner list with the coordination of a territory (ADR 14, revised: structure grants).

The structure's manager grants and revokes, for a territory covering the structure; the coordinator acting for
that territory then reads a read-only list (first name and initial, modules finished, last activity), every page
read recorded in the structure's journal; nobody else reads it, and a revoked grant closes it at once.
Network selectors' permission rows are in ``test_network_scope.py``; the URLs' cells in the two isolation matrices.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tremplin.audit.models import AuditEntry
from tremplin.catalog.models import Module
from tremplin.organisations import selectors
from tremplin.organisations.access import scope_for
from tremplin.organisations.enums import MembershipRole, NetworkRole, TerritoryKind
from tremplin.organisations.grants import GrantPermissionError, grant_create, grant_revoke
from tremplin.organisations.models import CoordinatorGrant, Territory
from tremplin.organisations.services import network_membership_add
from tremplin.progress.models import ModuleProgress

from ..factories import EnrolmentFactory, LearnerFactory, MembershipFactory, OrganisationFactory, StaffFactory
from ..network_world import build_network

pytestmark = pytest.mark.django_db

FORGED = ["", "pas-un-id", "\x00", "1" * 5000, "3f2b8c1e-9d4a-4e6b-8f0c-2a7d5e9b1c34", None, 42]


@pytest.fixture
def net():
    """The test network, with a manager and a trainer for Alpha (department A, in the hub) and a learner."""
    world = build_network()
    world.manager = StaffFactory(first_name="Responsable")
    MembershipFactory(user=world.manager, organisation=world.alpha, role=MembershipRole.ADMIN)
    world.anne = EnrolmentFactory(organisation=world.alpha,
                                  learner=LearnerFactory(first_name="Anne", last_name="Durand")).learner
    return world


def manager(world):
    return scope_for(user=world.manager)


def shared(world, who="coordinator", structure=None):
    scope = world.scope(who)
    return list(selectors.shared_learners_of(scope=scope, organisation_id=(structure or world.alpha).pk))


# --- services ---------------------------------------------------------------------------------------------------


def test_the_manager_grants_a_covering_territory_once_and_the_journal_says_so(net):
    grant = grant_create(scope=manager(net), territory=net.hub)
    again = grant_create(scope=manager(net), territory=net.hub)  # the same form sent twice
    assert again.pk == grant.pk and CoordinatorGrant.objects.count() == 1
    assert grant.granted_by == net.manager and grant.revoked_at is None
    entries = AuditEntry.objects.filter(action="coordinator_grant.create")
    assert [(e.organisation_id, e.target_id, e.actor) for e in entries] == [(net.alpha.pk, str(net.hub.pk),
                                                                              net.manager)]


def test_a_trainer_or_a_territory_that_does_not_cover_the_structure_cannot_be_granted(net):
    trainer = scope_for(user=net.trainer)  # a trainer of Alpha, not its manager
    with pytest.raises(GrantPermissionError):
        grant_create(scope=trainer, territory=net.hub)
    with pytest.raises(GrantPermissionError):
        grant_create(scope=manager(net), territory=net.dep3)  # department C: Alpha is in A
    with pytest.raises(GrantPermissionError):
        grant_revoke(scope=trainer, territory=net.hub)
    assert not CoordinatorGrant.objects.exists() and not AuditEntry.objects.exists()


def test_a_revoked_grant_closes_the_list_at_once_and_a_new_grant_is_a_new_row(net):
    grant_create(scope=manager(net), territory=net.hub)
    assert [u.first_name for u in shared(net)] == ["Anne"]
    assert grant_revoke(scope=manager(net), territory=net.hub) is True
    assert shared(net) == []
    assert selectors.structure_grant_of(scope=net.scope("coordinator"), organisation_id=net.alpha.pk) is None
    revoked = CoordinatorGrant.objects.get()
    assert revoked.revoked_by == net.manager and revoked.revoked_at is not None
    assert grant_revoke(scope=manager(net), territory=net.hub) is False  # nothing in force: nothing written
    assert AuditEntry.objects.filter(action="coordinator_grant.revoke").count() == 1
    grant_create(scope=manager(net), territory=net.hub)
    assert CoordinatorGrant.objects.count() == 2 and [u.first_name for u in shared(net)] == ["Anne"]


# --- selectors ----------------------------------------------------------------------------------------------------


def test_the_shared_list_holds_active_learners_with_modules_finished_and_last_activity(net, content):
    grant_create(scope=manager(net), territory=net.hub)
    first, second = Module.objects.order_by("pk")[:2]
    now = timezone.now()
    ModuleProgress.objects.create(learner=net.anne, module=first, status="completed", completed_at=now,
                                  last_activity_at=now - dt.timedelta(days=3))
    ModuleProgress.objects.create(learner=net.anne, module=second, status="in_progress", last_activity_at=now)
    gone = EnrolmentFactory(organisation=net.alpha, learner=LearnerFactory(first_name="Partie")).learner
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    EnrolmentFactory(organisation=net.alpha, learner=LearnerFactory(first_name="Zoé"))
    EnrolmentFactory(organisation=net.beta, learner=LearnerFactory(first_name="Bruno"))  # Beta shares nothing
    rows = shared(net)
    assert [(u.first_name, u.modules_completed) for u in rows] == [("Anne", 1), ("Zoé", 0)]
    assert rows[0].last_activity_at == now and rows[1].last_activity_at is None
    assert shared(net, structure=net.beta) == []


@pytest.mark.parametrize("who", ["admin", "funder", "coordinator_d3"])
def test_the_national_team_a_funder_and_another_territory_read_no_list_even_when_granted(net, who):
    grant_create(scope=manager(net), territory=net.hub)
    assert shared(net, who) == []
    assert selectors.structure_grant_of(scope=net.scope(who), organisation_id=net.alpha.pk) is None


def test_a_coordinator_of_two_territories_reads_the_list_only_acting_for_the_one_granted(net):
    from tremplin.organisations.access import network_scope_for

    other = Territory.objects.create(name="Département A seul", kind=TerritoryKind.DEPARTMENT)
    other.departments.set([net.d1])
    network_membership_add(user=net.coordinator, role=NetworkRole.COORDINATOR, territory=other)
    grant_create(scope=manager(net), territory=net.hub)
    for territory, expected in ((net.hub, ["Anne"]), (other, [])):
        scope = network_scope_for(user=net.coordinator, territory_id=territory.pk)
        assert scope.territory == territory
        names = [u.first_name for u in selectors.shared_learners_of(scope=scope, organisation_id=net.alpha.pk)]
        assert names == expected, territory.name


def test_forged_ids_give_no_list_and_no_grant(net):
    grant_create(scope=manager(net), territory=net.hub)
    scope = net.scope("coordinator")
    for forged in FORGED:
        assert list(selectors.shared_learners_of(scope=scope, organisation_id=forged)) == [], repr(forged)[:20]
        assert selectors.structure_grant_of(scope=scope, organisation_id=forged) is None


def test_the_trainer_side_lists_covering_territories_and_the_grants_to_managers_only(net):
    grant_create(scope=manager(net), territory=net.hub)
    gamma_admin = StaffFactory()
    MembershipFactory(user=gamma_admin, organisation=net.gamma, role=MembershipRole.ADMIN)
    gamma = scope_for(user=gamma_admin)
    assert list(selectors.grant_territories_of(scope=manager(net))) == [net.hub]
    assert list(selectors.grant_territories_of(scope=gamma)) == [net.dep3]
    assert selectors.grant_territory_of(scope=manager(net), territory_id=net.hub.pk) == net.hub
    assert selectors.grant_territory_of(scope=manager(net), territory_id=net.dep3.pk) is None
    for forged in FORGED:
        assert selectors.grant_territory_of(scope=manager(net), territory_id=forged) is None
    assert [g.territory for g in selectors.coordinator_grants_of(scope=manager(net))] == [net.hub]
    assert list(selectors.coordinator_grants_of(scope=scope_for(user=net.trainer))) == []  # not a manager
    assert list(selectors.coordinator_grants_of(scope=gamma)) == []  # another structure's


def test_a_structure_that_moved_keeps_its_grant_listed_to_revoke_it_but_nobody_reads_through_it(net):
    grant_create(scope=manager(net), territory=net.hub)
    net.alpha.commune = net.gamma.commune  # Alpha moved to department C: the hub no longer covers it
    net.alpha.save(update_fields=["commune"])
    assert shared(net) == [] and shared(net, "coordinator_d3") == []
    assert set(selectors.grant_territories_of(scope=manager(net))) == {net.hub, net.dep3}
    assert grant_revoke(scope=manager(net), territory=net.hub) is True


# --- the coordinator's screens -------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_without_a_grant_the_structure_page_says_it_shares_aggregates_only_and_the_list_is_a_404(net):
    client = client_for(net.coordinator)
    page = client.get(reverse("network:structure", args=[net.alpha.pk])).content.decode()
    assert "ne partage que des chiffres d'ensemble" in page
    assert reverse("network:structure_learners", args=[net.alpha.pk]) not in page
    assert client.get(reverse("network:structure_learners", args=[net.alpha.pk])).status_code == 404


def test_with_a_grant_the_coordinator_reads_the_list_each_read_is_journaled_and_revoking_closes_it(net):
    grant_create(scope=manager(net), territory=net.hub)
    client = client_for(net.coordinator)
    url = reverse("network:structure_learners", args=[net.alpha.pk])
    assert url in client.get(reverse("network:structure", args=[net.alpha.pk])).content.decode()
    body = client.get(url).content.decode()
    assert "Anne D." in body and "Durand" not in body and net.anne.username not in body
    entry = AuditEntry.objects.get(action="network.structure_learners")
    assert (entry.actor, entry.organisation_id, entry.detail["territory"], entry.detail["shown"]) == (
        net.coordinator, net.alpha.pk, str(net.hub.pk), 1)
    # The structure's manager reads it in the journal.
    assert entry in selectors_audit(manager(net))
    grant_revoke(scope=manager(net), territory=net.hub)
    response = client.get(url)
    assert response.status_code == 404 and "Anne" not in response.content.decode()


def test_the_national_team_s_structure_page_says_the_list_stays_with_the_structure_even_when_shared(net):
    grant_create(scope=manager(net), territory=net.hub)
    page = client_for(net.admin).get(reverse("network:structure", args=[net.alpha.pk])).content.decode()
    assert "pas avec l'équipe nationale" in page
    assert reverse("network:structure_learners", args=[net.alpha.pk]) not in page


def selectors_audit(scope):
    from tremplin.audit.selectors import audit_entries_of

    return list(audit_entries_of(scope=scope))


@pytest.mark.parametrize("page", ["0", "-1", "999999", "x", "\x00", "9" * 5000])
def test_a_bad_page_number_shows_a_page_never_an_error(net, page):
    grant_create(scope=manager(net), territory=net.hub)
    response = client_for(net.coordinator).get(reverse("network:structure_learners", args=[net.alpha.pk]),
                                                {"page": page})
    assert response.status_code == 200


def test_the_list_is_paged_by_50_with_the_same_number_of_queries_for_3_or_120_learners(net):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grant_create(scope=manager(net), territory=net.hub)
    client = client_for(net.coordinator)
    url = reverse("network:structure_learners", args=[net.alpha.pk])

    def count(query=None):
        client.get(url, query or {})
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, query or {})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    for i in range(2):
        EnrolmentFactory(organisation=net.alpha, learner=LearnerFactory(first_name=f"Petit{i:03d}"))
    few, _ = count()
    for i in range(117):
        EnrolmentFactory(organisation=net.alpha, learner=LearnerFactory(first_name=f"Grand{i:03d}"))
    many, body = count()
    assert many == few <= 13, (few, many)  # 11 measured in December 2026 (session, scope, grant, count, rows, audit)
    assert body.count("<tr>") == 51 and "Page 1 sur 3" in body
    last, body = count({"page": "3"})
    assert last == few and body.count("<tr>") == 21


# --- the manager's screen ------------------------------------------------------------------------------------


def test_the_manager_confirms_then_grants_and_then_revokes_from_the_trainer_space(net):
    client = client_for(net.manager)
    url = reverse("trainer:coordination")
    page = client.get(url).content.decode()
    assert net.hub.name in page and net.dep3.name not in page and "Chiffres d'ensemble seulement" in page
    confirm = client.get(url, {"territoire": net.hub.pk}).content.decode()
    assert "Oui, partager" in confirm
    assert client.post(url, {"territory": net.hub.pk, "action": "partager"}).status_code == 302
    assert selectors.structure_grant_of(scope=net.scope("coordinator"), organisation_id=net.alpha.pk)
    assert "Oui, arrêter le partage" in client.get(url, {"territoire": net.hub.pk}).content.decode()
    assert client.post(url, {"territory": net.hub.pk, "action": "arreter"}).status_code == 302
    assert shared(net) == []


@pytest.mark.parametrize("territory", ["dep3", *FORGED[:5]])
def test_granting_a_territory_that_does_not_cover_the_structure_or_a_forged_one_is_a_404(net, territory):
    value = net.dep3.pk if territory == "dep3" else territory
    response = client_for(net.manager).post(reverse("trainer:coordination"), {"territory": value,
                                                                              "action": "partager"})
    assert response.status_code == 404 and not CoordinatorGrant.objects.exists()


def test_a_trainer_cannot_open_the_sharing_screen_and_an_unknown_action_is_refused(net):
    assert client_for(net.trainer).get(reverse("trainer:coordination")).status_code == 403
    response = client_for(net.manager).post(reverse("trainer:coordination"), {"territory": net.hub.pk,
                                                                              "action": "tout"})
    assert response.status_code == 400 and not CoordinatorGrant.objects.exists()


def test_another_structure_s_manager_shares_their_own_structure_never_ours(net):
    other = OrganisationFactory(name="Voisine", commune=net.alpha.commune)  # same commune, same territory
    admin = StaffFactory()
    MembershipFactory(user=admin, organisation=other, role=MembershipRole.ADMIN)
    client_for(admin).post(reverse("trainer:coordination"), {"territory": net.hub.pk, "action": "partager"})
    assert list(CoordinatorGrant.objects.values_list("organisation", flat=True)) == [other.pk]
    assert shared(net) == []
