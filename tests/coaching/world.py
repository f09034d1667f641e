"""Builds two organisations with one object of each coaching kind, for scoping and isolation tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tremplin.catalog.models import Module
from tremplin.coaching.enums import AccompanimentType, TypeLieu
from tremplin.coaching.services import (
    AccompanimentInput,
    accompaniment_record,
    assignment_create,
    attendance_record,
    group_create,
    note_add,
    workshop_create,
)
from tremplin.organisations.enums import MembershipRole

from ..factories import EnrolmentFactory, LearnerFactory, MembershipFactory, OrganisationFactory, StaffFactory


@dataclass
class Side:
    organisation: object
    trainer: object
    admin: object
    learner: object
    group: object
    workshop: object
    assignment: object
    note: object
    accompaniment: object


def build_side(name: str, module: Module | None = None) -> Side:
    org = OrganisationFactory(name=name)
    trainer = MembershipFactory(organisation=org, user=StaffFactory(first_name=f"Formateur {name}")).user
    admin = MembershipFactory(organisation=org, role=MembershipRole.ADMIN,
                              user=StaffFactory(first_name=f"Responsable {name}")).user
    learner = EnrolmentFactory(organisation=org, learner=LearnerFactory(first_name=f"Apprenant {name}")).learner
    group = group_create(organisation=org, name=f"Groupe {name}", members=[learner], created_by=trainer)
    workshop = workshop_create(organisation=org, created_by=trainer, title=f"Atelier {name}",
                               date=timezone.localdate(), start_time=dt.time(14, 0), duration_minutes=90,
                               theme="email", group=group)
    attendance_record(workshop=workshop, present=[learner], recorded_by=trainer)
    module = module or Module.objects.filter(is_active=True).first()
    assignment = assignment_create(organisation=org, created_by=trainer, module=module, group=group)
    note = note_add(organisation=org, learner=learner, author=trainer, text="Très motivée.")
    accompaniment = accompaniment_record(organisation=org, mediateur=trainer, data=AccompanimentInput(
        type=AccompanimentType.INDIVIDUEL, date=timezone.localdate(), duree=30, type_lieu=TypeLieu.LIEU_ACTIVITE,
        thematiques=["email"], materiel=["ordinateur"], learner=learner))
    return Side(org, trainer, admin, learner, group, workshop, assignment, note, accompaniment)
