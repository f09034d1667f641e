"""Shared set-up for the enrolment, import, cards and invitation tests."""

from tests.factories import EnrolmentFactory, LearnerFactory, MembershipFactory, OrganisationFactory, StaffFactory
from tremplin.organisations.enums import MembershipRole


def trainer_of(org=None, *, admin=False):
    org = org or OrganisationFactory(name="Les Clés du Numérique")
    user = StaffFactory(first_name="Claire")
    MembershipFactory(user=user, organisation=org, role=MembershipRole.ADMIN if admin else MembershipRole.TRAINER)
    return org, user


def learner_in(org, **kwargs):
    learner = LearnerFactory(**kwargs)
    EnrolmentFactory(learner=learner, organisation=org)
    return learner
