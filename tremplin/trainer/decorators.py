"""Who may open a trainer screen: the one decorator of the trainer audience."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from tremplin.organisations.access import scope_of_request


def trainer_required(view=None, *, admin: bool = False, organisation: bool = True, partners: bool = False):
    """Staff members only (a learner gets 403; anonymous users were sent to sign in by the middleware).

    The view receives ``scope`` (``tremplin.organisations.access.Scope``): the organisation the person
    acts for and their role there, resolved once for the request. ``organisation=False``: the page also
    opens for staff without any organisation (``scope`` is then ``None``). ``admin=True``: the
    organisation's admins only (403 for its trainers).
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_learner:
                raise PermissionDenied
            scope = scope_of_request(request)
            if scope is None and organisation:
                return render(request, "trainer/organisation/no_organisation.html", status=403)
            if admin and not scope.is_admin:
                raise PermissionDenied
            if scope is not None and scope.is_prescriber and not partners:
                return render(request, "trainer/partners_only.html", status=403)
            return view(request, *args, scope=scope, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
