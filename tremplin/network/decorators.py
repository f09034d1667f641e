"""Who may open a network screen (``/pilotage/``): the one decorator of the network audience."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from tremplin.organisations.access import network_scope_of_request


def network_required(view=None, *, national: bool = False, structures: bool = False):
    """People holding a network role only (a learner gets 403, a staff member without a network role the page
    that says so, with 403; anonymous users were sent to sign in by the middleware).

    The view receives ``scope`` (``tremplin.organisations.access.NetworkScope``): the national team, or the
    territory a coordinator or a funder acts for, resolved once for the request. ``national=True``: the national
    team only (403 for coordinators and funders). ``structures=True``: pages about structures, which funders never
    see (404 for them: a structure-level page does not exist for a funder, as for a forged id).
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_learner:
                raise PermissionDenied
            scope = network_scope_of_request(request)
            if scope is None:
                return render(request, "network/no_network.html", status=403)
            if national and not (scope.is_network_admin and scope.territory is None):
                raise PermissionDenied
            if structures and not scope.sees_structures:
                raise Http404("introuvable")
            return view(request, *args, scope=scope, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
