"""Who may open the enrolment and organisation screens: staff of the current organisation (admins for some)."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from tremplin.organisations.enums import MembershipRole
from tremplin.organisations.models import Membership

from .context import current_organisation


def organisation_staff_required(view=None, *, admin: bool = False):
    """Staff member of the current organisation; passes it as ``org``. ``admin=True``: its admins only."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_learner:
                raise PermissionDenied
            org = current_organisation(request)
            if org is None:
                return render(request, "trainer/organisation/no_organisation.html", status=403)
            if admin and not Membership.objects.filter(user=request.user, organisation=org,
                                                       role=MembershipRole.ADMIN).exists():
                raise PermissionDenied
            return view(request, *args, org=org, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
