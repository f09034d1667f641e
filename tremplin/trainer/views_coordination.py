"""« Partager le détail avec la coordination du territoire »: the structure's manager lets the coordination of a
territory covering the structure read its learner list (first name and initial, modules finished, last activity),
and takes it back (ADR 14, revised). Writes go through ``organisations.grants``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tremplin.organisations.access import found_or_404
from tremplin.organisations.grants import GrantPermissionError, grant_create, grant_revoke
from tremplin.organisations.selectors import coordinator_grants_of, grant_territories_of, grant_territory_of

from .decorators import trainer_required

ACTIONS = ("partager", "arreter")


@trainer_required(admin=True)
@require_http_methods(["GET", "POST"])
def coordination(request, scope):
    """GET: the territories covering the structure and what is shared with each; ``?territoire=<id>`` asks to
    confirm sharing or stopping. POST (``territory``, ``action``): does it."""
    if request.method == "POST":
        territory = found_or_404(grant_territory_of(scope=scope, territory_id=request.POST.get("territory")))
        action = request.POST.get("action")
        if action not in ACTIONS:
            return HttpResponseBadRequest(_("Action inconnue."))
        try:
            if action == "partager":
                grant_create(scope=scope, territory=territory)
                messages.success(request, _("La coordination de %(name)s peut maintenant lire la liste de vos "
                                            "apprenants.") % {"name": territory.name})
            elif grant_revoke(scope=scope, territory=territory):
                messages.success(request, _("Le partage avec la coordination de %(name)s est arrêté : elle ne voit "
                                            "plus que des chiffres d'ensemble.") % {"name": territory.name})
        except GrantPermissionError as exc:  # a territory that no longer covers the structure
            raise Http404("introuvable") from exc
        return redirect("trainer:coordination")
    grants = {g.territory_id: g for g in coordinator_grants_of(scope=scope)}
    territories = [(t, grants.get(t.pk)) for t in grant_territories_of(scope=scope)]
    asked = grant_territory_of(scope=scope, territory_id=request.GET.get("territoire"))
    return render(request, "trainer/organisation/coordination.html", {
        "org": scope.organisation, "territories": territories,
        "asked": asked, "asked_grant": grants.get(asked.pk) if asked else None})
