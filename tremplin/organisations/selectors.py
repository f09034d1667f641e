from django.db.models import QuerySet

from tremplin.accounts.enums import UserKind
from tremplin.accounts.models import User

from .models import Organisation


def organisations_of(*, user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated or user.is_learner:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).select_related("commune").distinct()


def learners_visible_to(*, user: User, organisation: Organisation | None = None) -> QuerySet[User]:
    """Learners enrolled in an organisation the user works for (optionally one of them)."""
    orgs = organisations_of(user=user)
    if organisation is not None:
        orgs = orgs.filter(pk=organisation.pk)
    return User.objects.filter(kind=UserKind.LEARNER, enrolments__organisation__in=orgs).distinct()
