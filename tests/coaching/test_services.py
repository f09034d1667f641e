import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tremplin.catalog.models import Module
from tremplin.coaching.enums import AccompanimentType, FollowStatus, TypeLieu
from tremplin.coaching.selectors import follow_status, learners_needing_help, overdue_assignments
from tremplin.coaching.services import (
    AccompanimentInput,
    accompaniment_record,
    assignment_create,
    attendance_record,
    group_create,
    workshop_create,
)
from tremplin.progress.enums import ObjectType, ProgressStatus, Verb
from tremplin.progress.models import ModuleProgress
from tremplin.progress.services import event_record

from ..factories import CommuneFactory, EnrolmentFactory, LearnerFactory, OrganisationFactory, StaffFactory
from .world import build_side


def side_scope(side):
    from tremplin.organisations.access import scope_for

    return scope_for(user=side.trainer, organisation_id=side.organisation.pk)

pytestmark = pytest.mark.django_db


def record(**overrides) -> AccompanimentInput:
    data = {"type": AccompanimentType.INDIVIDUEL, "date": timezone.localdate(), "duree": 30,
            "type_lieu": TypeLieu.LIEU_ACTIVITE, "thematiques": ["email"]}
    data.update(overrides)
    return AccompanimentInput(**data)


def messages_of(exc) -> str:
    return " ".join(m for msgs in exc.value.message_dict.values() for m in msgs)


def test_a_group_cannot_hold_a_learner_of_another_organisation(content):
    ours, theirs = OrganisationFactory(), OrganisationFactory()
    stranger = EnrolmentFactory(organisation=theirs).learner
    with pytest.raises(ValidationError) as exc:
        group_create(organisation=ours, name="Lundi", members=[stranger], created_by=StaffFactory())
    assert "pas suivies par votre structure" in messages_of(exc)


def test_two_groups_of_an_organisation_cannot_share_a_name(content):
    org = OrganisationFactory()
    group_create(organisation=org, name="Lundi matin", members=[], created_by=StaffFactory())
    with pytest.raises(ValidationError) as exc:
        group_create(organisation=org, name="lundi matin", members=[], created_by=StaffFactory())
    assert "déjà ce nom" in messages_of(exc)


def test_attendance_replaces_the_previous_list(content):
    side = build_side("A")
    other = EnrolmentFactory(organisation=side.organisation).learner
    attendance_record(workshop=side.workshop, present=[other], recorded_by=side.trainer)
    assert list(side.workshop.attendances.values_list("learner_id", flat=True)) == [other.pk]


def test_a_workshop_refuses_a_theme_outside_the_coop_list(content):
    with pytest.raises(ValidationError):
        workshop_create(organisation=OrganisationFactory(), created_by=StaffFactory(), title="x",
                        date=timezone.localdate(), start_time=dt.time(9), duration_minutes=60, theme="cuisine")


def test_an_assignment_is_a_track_or_a_module_for_a_group_or_a_learner(content):
    side = build_side("A")
    module = Module.objects.first()
    with pytest.raises(ValidationError):
        assignment_create(organisation=side.organisation, created_by=side.trainer, module=module, track=module.track,
                          learner=side.learner)
    with pytest.raises(ValidationError):
        assignment_create(organisation=side.organisation, created_by=side.trainer, module=module)
    with pytest.raises(ValidationError) as exc:
        assignment_create(organisation=side.organisation, created_by=side.trainer, module=module,
                          learner=side.learner, due_date=timezone.localdate() - dt.timedelta(days=1))
    assert "déjà passée" in messages_of(exc)


def test_autonomy_is_refused_for_a_collective_record():
    org = OrganisationFactory()
    with pytest.raises(ValidationError) as exc:
        accompaniment_record(organisation=org, mediateur=StaffFactory(), data=record(
            type=AccompanimentType.COLLECTIF, autonomie="autonome", titre_atelier="E-mail", niveau_atelier="debutant",
            accompagnements=6))
    assert "L'autonomie ne se renseigne que pour un accompagnement individuel." in messages_of(exc)


def test_a_commune_is_required_when_the_place_is_not_the_activity_place():
    org = OrganisationFactory()
    with pytest.raises(ValidationError) as exc:
        accompaniment_record(organisation=org, mediateur=StaffFactory(), data=record(type_lieu=TypeLieu.DOMICILE))
    assert "Indiquez la commune" in messages_of(exc)
    saved = accompaniment_record(organisation=org, mediateur=StaffFactory(), data=record(
        type_lieu=TypeLieu.DOMICILE, lieu_commune=CommuneFactory()))
    assert saved.lieu_commune_id == "49007"


def test_a_record_needs_a_theme_and_no_equipment_excludes_the_others():
    with pytest.raises(ValidationError) as exc:
        accompaniment_record(organisation=OrganisationFactory(), mediateur=StaffFactory(), data=record(
            thematiques=[], materiel=["aucun", "telephone"]))
    text = messages_of(exc)
    assert "au moins une thématique" in text and "Pas de matériel" in text


def test_an_individual_record_with_a_redirection_is_marked_as_oriented():
    saved = accompaniment_record(organisation=OrganisationFactory(), mediateur=StaffFactory(), data=record(
        autonomie="partiellement_autonome", structure_de_redirection="administration"))
    assert saved.oriente_vers_structure is True


def test_a_collective_record_cannot_name_a_learner_of_another_organisation():
    stranger = EnrolmentFactory().learner
    with pytest.raises(ValidationError):
        accompaniment_record(organisation=OrganisationFactory(), mediateur=StaffFactory(),
                             data=record(learner=stranger))


def _progress(learner, module, *, days_ago=0, wrong=0):
    now = timezone.now()
    answers = {f"q{i}": {"first": False, "last": True} for i in range(wrong)}
    return ModuleProgress.objects.create(learner=learner, module=module, status=ProgressStatus.IN_PROGRESS,
                                         answers=answers, last_activity_at=now - dt.timedelta(days=days_ago))


def test_needs_help_means_idle_for_14_days_or_two_wrong_first_answers(content):
    learner, module = LearnerFactory(), Module.objects.first()
    assert follow_status(None) == FollowStatus.NOT_STARTED
    p = _progress(learner, module, days_ago=13, wrong=1)
    assert follow_status(p) == FollowStatus.IN_PROGRESS
    p.last_activity_at = timezone.now() - dt.timedelta(days=15)
    assert follow_status(p) == FollowStatus.NEEDS_HELP
    p.last_activity_at = timezone.now()
    p.answers = {"a": {"first": False}, "b": {"first": False}}
    assert follow_status(p) == FollowStatus.NEEDS_HELP
    p.status = ProgressStatus.COMPLETED
    assert follow_status(p) == FollowStatus.COMPLETED


def test_stuck_learners_and_overdue_assignments_are_found(content):
    side = build_side("A")
    module = side.assignment.module
    _progress(side.learner, module, days_ago=20)
    assert [s.learner for s in learners_needing_help(scope=side_scope(side))] == [side.learner]
    side.assignment.due_date = timezone.localdate() - dt.timedelta(days=2)
    side.assignment.save()
    overdue = overdue_assignments(scope=side_scope(side))
    assert [o.late for o in overdue] == [[side.learner]]
    event_record(learner=side.learner, event_id=uuid.uuid4(), verb=Verb.COMPLETED, object_type=ObjectType.MODULE,
                 object_id=module.slug, module=module)
    assert overdue_assignments(scope=side_scope(side)) == []
