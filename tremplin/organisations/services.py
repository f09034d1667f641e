from __future__ import annotations

from django.db import transaction

from tremplin.accounts.models import User
from tremplin.accounts.services import NewLearner, learner_create

from .enums import MembershipRole
from .models import Commune, Enrolment, Membership, Organisation


def organisation_create(*, name: str, type: str, commune: Commune, siret: str = "", address: str = "") -> Organisation:
    org = Organisation(name=name.strip(), type=type, commune=commune, siret=siret.strip(), address=address.strip())
    org.full_clean()
    org.save()
    return org


def membership_add(*, user: User, organisation: Organisation, role: str = MembershipRole.TRAINER) -> Membership:
    if user.is_learner:
        raise ValueError("learners cannot be members of an organisation's staff")
    membership, _ = Membership.objects.update_or_create(user=user, organisation=organisation,
                                                        defaults={"role": role})
    return membership


@transaction.atomic
def learner_enrol(*, organisation: Organisation, created_by: User | None, first_name: str, last_name: str = "",
                  birth_year: int | None = None, phone: str = "", pin: str | None = None,
                  login_code: str | None = None) -> NewLearner:
    new = learner_create(first_name=first_name, last_name=last_name, birth_year=birth_year, phone=phone, pin=pin,
                         login_code=login_code)
    Enrolment.objects.create(learner=new.user, organisation=organisation, created_by=created_by)
    return new
