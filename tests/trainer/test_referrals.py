"""Referrals (« orientations », ADR 0011): a partner sends a person, the structure takes them in, the partner
sees how far they got and nothing of their learning."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.coaching import selectors
from tremplin.coaching.models import Attendance, Referral, Workshop
from tremplin.organisations.access import scope_for
from tremplin.organisations.enums import MembershipRole, OrganisationType
from tremplin.organisations.models import Enrolment
from tremplin.progress.enums import ProgressStatus
from tremplin.progress.models import ModuleProgress
from tremplin.stats.indicators import referrals_by_outcome

from ..conftest import page_text
from ..factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(content):
    class W:
        partner_org = OrganisationFactory(name="Agence France Travail Angers", type=OrganisationType.FT)
        prescriber = MembershipFactory(organisation=partner_org, role=MembershipRole.PRESCRIBER).user
        structure = OrganisationFactory(name="Espace numérique Belle-Beille")
        trainer = MembershipFactory(organisation=structure).user
        other_structure = OrganisationFactory(name="Médiathèque Toussaint")
        other_trainer = MembershipFactory(organisation=other_structure).user
        other_partner_org = OrganisationFactory(name="CCAS Trélazé", type=OrganisationType.CCAS)
        other_prescriber = MembershipFactory(organisation=other_partner_org, role=MembershipRole.PRESCRIBER).user
    return W


def _send(client, world, **extra):
    data = {"token": str(uuid.uuid4()), "organisation": str(world.structure.pk), "first_name": "Fatou",
            "phone": "06 12 34 56 78", "themes": ["insertion_professionnelle", "email"], "urgency": "soon",
            "consent": "on", **extra}
    return client.post(reverse("trainer:referral_create"), data), data


def test_a_partner_sends_a_person_in_one_form_and_gets_a_slip_to_hand_over(client, world):
    client.force_login(world.prescriber)
    assert client.get(reverse("trainer:home"))["Location"] == reverse("trainer:referral_sent_list")
    form = page_text(client.get(reverse("trainer:referral_create")))
    assert "Espace numérique Belle-Beille" in form
    response, data = _send(client, world)
    referral = Referral.objects.get()
    assert response["Location"] == reverse("trainer:referral_slip", args=[referral.pk])
    slip = page_text(client.get(response["Location"]))
    assert "Fatou, une structure va vous aider" in slip and referral.reference in slip
    assert referral.from_organisation == world.partner_org and referral.organisation == world.structure
    client.post(reverse("trainer:referral_create"), data)  # a double tap
    assert Referral.objects.count() == 1


@pytest.mark.parametrize(("extra", "message"), [
    ({"consent": ""}, "La personne doit être d'accord"),
    ({"first_name": "\x00 "}, "Le caractère nul n’est pas autorisé."),
    ({"first_name": "  "}, "Écrivez le prénom de la personne."),
    ({"themes": ["pas-un-theme"]}, "Sélectionnez un choix valide"),
    ({"organisation": str(uuid.uuid4())}, "Choisissez une structure"),
    ({"organisation": "\x00"}, "Choisissez une structure"),
    ({"token": "x"}, "Certaines informations"),
])
def test_a_referral_with_bad_input_says_what_to_fix_and_writes_nothing(client, world, extra, message):
    client.force_login(world.prescriber)
    response, _data = _send(client, world, **extra)
    assert response.status_code == 400 and message in page_text(response)
    assert not Referral.objects.exists()


def test_a_partner_never_opens_the_structures_screens(client, world):
    client.force_login(world.prescriber)
    for name in ("learners", "followup_grid", "group_list", "workshop_list", "record_list", "diagnostic_overview",
                 "referral_list", "learner_enrol", "content_catalogue"):
        response = client.get(reverse(f"trainer:{name}"))
        assert response.status_code == 403, name
        assert "réservée aux structures qui accompagnent" in page_text(response)


def test_the_structure_accepts_enrols_and_invites_while_the_partner_sees_only_the_outcome(client, world):
    client.force_login(world.prescriber)
    _send(client, world)
    referral = Referral.objects.get()

    def outcome():
        client.force_login(world.prescriber)
        return page_text(client.get(reverse("trainer:referral_sent_list")))

    assert "Envoyée" in outcome()
    client.force_login(world.trainer)
    assert "Fatou" in page_text(client.get(reverse("trainer:referral_list")))
    detail = page_text(client.get(reverse("trainer:referral_detail", args=[referral.pk])))
    assert "06 12 34 56 78" in detail and "Agence France Travail Angers" in detail
    act = reverse("trainer:referral_act", args=[referral.pk])
    client.post(act, {"action": "accept"})
    assert "Acceptée" in outcome()
    client.force_login(world.trainer)
    card = page_text(client.post(act, {"action": "enrol"}))
    client.post(act, {"action": "enrol"})  # a double tap enrols once
    referral.refresh_from_db()
    learner = referral.learner
    assert learner is not None and learner.login_code_display in card
    assert Enrolment.objects.filter(learner=learner).count() == 1
    assert "Personne inscrite" in outcome()
    workshop = Workshop.objects.create(organisation=world.structure, title="Premiers pas", theme="email",
                                       date=timezone.localdate() + dt.timedelta(days=2), start_time=dt.time(14))
    client.force_login(world.trainer)
    client.post(act, {"action": "invite", "workshop": str(workshop.pk)})
    Attendance.objects.create(workshop=workshop, learner=learner)
    assert "Venue à un atelier" in outcome()
    from tremplin.catalog.models import Module

    ModuleProgress.objects.create(learner=learner, module=Module.objects.first(), status=ProgressStatus.COMPLETED,
                                  completed_at=timezone.now(), score=0.9)
    seen = outcome()
    assert "A terminé un module" in seen
    assert learner.login_code_display not in seen and Module.objects.first().title not in seen


def test_a_structure_redirects_a_referral_and_then_no_longer_sees_it(client, world):
    client.force_login(world.prescriber)
    _send(client, world)
    referral = Referral.objects.get()
    client.force_login(world.trainer)
    act = reverse("trainer:referral_act", args=[referral.pk])
    response = client.post(act, {"action": "redirect", "organisation": str(world.partner_org.pk)})
    assert response.status_code == 400  # never back to the partner who sent it
    client.post(act, {"action": "redirect", "organisation": str(world.other_structure.pk)})
    assert client.get(reverse("trainer:referral_detail", args=[referral.pk])).status_code == 404
    client.force_login(world.other_trainer)
    assert "Fatou" in page_text(client.get(reverse("trainer:referral_list")))
    client.force_login(world.prescriber)
    assert "Réorientée" in page_text(client.get(reverse("trainer:referral_sent_list")))


def test_referrals_are_read_only_by_the_structure_that_received_them_and_the_partner_that_sent_them(client, world):
    client.force_login(world.prescriber)
    _send(client, world)
    referral = Referral.objects.get()
    for user, url in [(world.other_trainer, reverse("trainer:referral_detail", args=[referral.pk])),
                      (world.other_trainer, reverse("trainer:referral_act", args=[referral.pk])),
                      (world.other_prescriber, reverse("trainer:referral_slip", args=[referral.pk])),
                      (world.trainer, reverse("trainer:referral_slip", args=[referral.pk]))]:
        client.force_login(user)
        response = client.post(url, {"action": "accept"}) if url.endswith("action/") else client.get(url)
        assert response.status_code in (403, 404), (user, url)
    referral.refresh_from_db()
    assert referral.status == "sent"
    client.force_login(world.other_prescriber)
    assert "Fatou" not in page_text(client.get(reverse("trainer:referral_sent_list")))
    ours, theirs = scope_for(user=world.trainer), scope_for(user=world.other_trainer)
    assert selectors.referral_of(scope=ours, referral_id=referral.pk) == referral
    assert selectors.referral_of(scope=theirs, referral_id=referral.pk) is None
    assert selectors.referral_of(scope=ours, referral_id="\x00") is None
    partner, other_partner = scope_for(user=world.prescriber), scope_for(user=world.other_prescriber)
    assert selectors.referral_sent_of(scope=partner, referral_id=referral.pk) == referral
    assert selectors.referral_sent_of(scope=other_partner, referral_id=referral.pk) is None
    assert list(selectors.referrals_sent_of(scope=other_partner)) == []
    assert list(selectors.referrals_of(scope=theirs)) == []
    assert selectors.referral_target(scope=partner, organisation_id=world.partner_org.pk) is None
    assert world.partner_org not in selectors.referral_targets(scope=ours, text="Agence")


def test_referrals_count_in_the_indicators_by_outcome(client, world):
    client.force_login(world.prescriber)
    _send(client, world)
    _send(client, world, first_name="Marc")
    Referral.objects.filter(first_name="Marc").update(status="accepted")
    assert referrals_by_outcome() == {"sent": 1, "accepted": 1}
