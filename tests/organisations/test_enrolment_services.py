import uuid

import pytest
from django.urls import reverse

from tests.factories import EnrolmentFactory, LearnerFactory, MembershipFactory, OrganisationFactory
from tremplin.accounts.services import learner_codes_reserve, learner_pins_issue, learners_bulk_create
from tremplin.catalog.models import Module
from tremplin.organisations.access import scope_for
from tremplin.organisations.imports import person_key
from tremplin.organisations.models import Enrolment
from tremplin.organisations.selectors import commune_lookup, learner_duplicates_of
from tremplin.organisations.services import learner_merge
from tremplin.progress.enums import ObjectType, Verb
from tremplin.progress.models import LearningEvent, ModuleProgress
from tremplin.progress.services import event_record

pytestmark = pytest.mark.django_db


def test_person_keys_ignore_case_accents_hyphens_and_spaces():
    assert person_key(" Hélène ", "Saint-Éloi", 1960) == person_key("helene", "SAINT  ELOI", 1960)
    assert person_key("Hélène", "", 1960) != person_key("Hélène", "", 1961)


def test_duplicates_are_found_within_one_organisation_only():
    org = OrganisationFactory()
    mine = LearnerFactory(first_name="Léa", last_name="Noël", birth_year=2001)
    EnrolmentFactory(learner=mine, organisation=org)
    EnrolmentFactory(learner=LearnerFactory(first_name="Léa", last_name="Noël", birth_year=2001))
    scope = scope_for(user=MembershipFactory(organisation=org).user)
    assert learner_duplicates_of(scope=scope, first_name="LEA", last_name="noel", birth_year=2001) == [mine]


def test_bulk_creation_gives_distinct_codes_and_no_usable_pin_until_issued():
    users = learners_bulk_create(people=[{"first_name": f"P{i}"} for i in range(50)])
    assert len({u.username for u in users}) == 50
    assert not any(u.has_usable_password() for u in users)
    pins = learner_pins_issue(learners=users[:10], renew_card=False)
    users[0].refresh_from_db()
    assert users[0].check_password(pins[str(users[0].pk)])
    assert len(learner_codes_reserve(count=5)) == 5


def test_merging_moves_events_and_progress_then_rebuild_counts_both(content):
    from tremplin.progress.services import progress_rebuild

    org = OrganisationFactory()
    trainer = MembershipFactory(organisation=org).user
    kept, duplicate = LearnerFactory(first_name="Karim"), LearnerFactory(first_name="Karim")
    for learner in (kept, duplicate):
        EnrolmentFactory(learner=learner, organisation=org)
    module = Module.objects.first()
    for learner in (kept, duplicate):
        event_record(learner=learner, event_id=uuid.uuid4(), verb=Verb.ATTEMPTED, object_type=ObjectType.MODULE,
                     object_id=module.slug, module=module)
    moved = learner_merge(organisation=org, kept=kept, duplicate=duplicate, actor=trainer)
    progress_rebuild(learner=kept)
    assert LearningEvent.objects.filter(learner=kept).count() == 2
    assert not LearningEvent.objects.filter(learner=duplicate).exists()
    assert ModuleProgress.objects.filter(learner=kept, module=module).count() == 1
    assert not Enrolment.objects.filter(learner=duplicate).exists()
    assert moved["progress.LearningEvent"] == 1


def test_a_commune_is_found_by_insee_code_or_postcode_and_name():
    from tests.factories import CommuneFactory

    angers = CommuneFactory()
    assert commune_lookup(text="49007") == [angers]
    assert commune_lookup(text="49100 angers") == [angers]
    assert commune_lookup(text="Angers (49)") == [angers]
    assert commune_lookup(text="75001 Angers") == []


def test_the_enrolment_urls_are_under_the_trainer_space():
    assert reverse("trainer:learners").startswith("/espace-formateur/")


def test_the_demo_touches_are_idempotent(content):
    from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory
    from tremplin.demo.trainer_enrolment import seed_trainer_enrolment_demo
    from tremplin.organisations.models import Invitation, Organisation, SignupLink

    seed_trainer_enrolment_demo()  # nothing to do without the demo network
    org1 = OrganisationFactory(name="Les Clés du Numérique")
    org2 = OrganisationFactory(name="CCAS de Mérignac", commune=CommuneFactory(
        code="33281", name="Mérignac", department=DepartmentFactory(code="33", name="Gironde",
                                                                    region=RegionFactory(code="75"))))
    from tests.factories import StaffFactory
    claire = StaffFactory(email="claire.martin@demo.tremplin.fr")
    MembershipFactory(user=claire, organisation=org1)
    MembershipFactory(user=StaffFactory(email="yanis.benali@demo.tremplin.fr"), organisation=org1)
    seed_trainer_enrolment_demo()
    seed_trainer_enrolment_demo()
    assert Invitation.objects.count() == 1 and SignupLink.objects.count() == 1
    assert Organisation.objects.filter(memberships__user__email="yanis.benali@demo.tremplin.fr").count() == 2
    assert org2.memberships.count() == 1


def test_a_corsican_commune_is_found_by_its_postcode():
    from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory

    corse = DepartmentFactory(code="2A", name="Corse-du-Sud", region=RegionFactory(code="94", name="Corse"))
    ajaccio = CommuneFactory(code="2A004", name="Ajaccio", department=corse, postcodes=["20000", "20090"])
    assert commune_lookup(text="20090") == [ajaccio]
    assert commune_lookup(text="20000 Ajaccio") == [ajaccio]
