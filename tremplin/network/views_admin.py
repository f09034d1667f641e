"""Running the network: territories and the people who steer them (the national team), the structures of a
territory (coordinators and the national team). Writes go through ``organisations.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.organisations import selectors
from tremplin.organisations.access import found_or_404
from tremplin.organisations.models import Department, Region
from tremplin.organisations.services import (
    InvitationNotSent,
    NetworkPermissionError,
    TerritoryError,
    network_invitation_create,
    network_invitation_revoke,
    structure_create,
    territory_create,
)
from tremplin.stats.figures import Area, children_figures, period_parse

from .decorators import network_required
from .forms import NetworkInviteForm, StructureForm, TerritoryForm

STRUCTURES_PER_PAGE = 50


def _accept_url(request):
    return lambda token: request.build_absolute_uri(reverse("network_join:invitation", args=[token]))


@network_required(national=True)
@require_http_methods(["GET", "POST"])
def territories(request: HttpRequest, scope) -> HttpResponse:
    """Every territory, and the form that creates one."""
    form = TerritoryForm(request.POST or None, regions=Region.objects.order_by("name"),
                         departments=Department.objects.select_related("region").order_by("code"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = territory_create(scope=scope, name=data["name"], kind=data["kind"], region=data["region"],
                                       departments=list(data["departments"]))
        except TerritoryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Le territoire « %(name)s » est créé. Invitez maintenant sa coordination.")
                             % {"name": created.name})
            return redirect(reverse("network:team") + f"?territoire={created.pk}")
    return render(request, "network/territories.html",
                  {"scope": scope, "form": form, "territories": selectors.territories_of(scope=scope)},
                  status=400 if form.errors else 200)


@network_required(national=True)
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, scope) -> HttpResponse:
    """People with a network role, pending invitations, and the form that invites a coordinator or a funder."""
    initial = {}
    chosen = selectors.territory_of(scope=scope, territory_id=request.GET.get("territoire"))
    if chosen is not None:
        initial["territory"] = chosen.pk
    form = NetworkInviteForm(request.POST or None, territories=selectors.territories_of(scope=scope),
                             initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            network_invitation_create(scope=scope, email=data["email"], role=data["role"],
                                      territory=data["territory"], accept_url_for=_accept_url(request))
        except InvitationNotSent:
            form.add_error(None, _("L'e-mail n'a pas pu partir. Vérifiez l'adresse et réessayez dans un moment."))
        else:
            messages.success(request, _("L'invitation est envoyée à %(email)s.") % {"email": data["email"]})
            return redirect("network:team")
    return render(request, "network/team.html", {
        "scope": scope, "form": form, "members": selectors.network_members_of(scope=scope),
        "invitations": selectors.network_invitations_of(scope=scope).order_by("-created_at")},
        status=400 if form.errors else 200)


@network_required(national=True)
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: str, scope) -> HttpResponse:
    invitation = found_or_404(selectors.network_invitation_of(scope=scope, invitation_id=invitation_id))
    network_invitation_revoke(scope=scope, invitation=invitation)
    messages.success(request, _("L'invitation de %(email)s est retirée.") % {"email": invitation.email})
    return redirect("network:team")


@network_required(structures=True)
@require_http_methods(["GET"])
def structures(request: HttpRequest, scope) -> HttpResponse:
    """The structures of the territory, a page at a time, with their commune and a few figures of the year."""
    paginator = Paginator(selectors.structures_of(scope=scope), STRUCTURES_PER_PAGE)
    page_number = request.GET.get("page", "")
    page = paginator.get_page(page_number if "\x00" not in page_number else 1)
    period = period_parse("year", None)
    listed = list(page.object_list)
    parent = (Area("national", "") if scope.territory is None
              else Area("territory", str(scope.territory.pk), scope.territory.name))
    figures = {area.code: found for area, found in children_figures(
        area=parent, period=period, level="organisation", codes=[str(o.pk) for o in listed])} if listed else {}
    rows = [(o, figures.get(str(o.pk), {})) for o in listed]
    return render(request, "network/structures.html", {"scope": scope, "page": page, "rows": rows,
                                                        "period": period})


@network_required(structures=True)
@require_http_methods(["GET", "POST"])
def structure_open(request: HttpRequest, scope) -> HttpResponse:
    """« Ouvrir une structure »: an organisation of the territory and an invitation to the person who runs it."""
    form = StructureForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = structure_create(scope=scope, name=data["name"], type=data["type"], commune=data["commune"],
                                       admin_email=data["admin_email"],
                                       accept_url_for=lambda token: request.build_absolute_uri(
                                           reverse("join:invitation", args=[token])))
        except NetworkPermissionError as exc:
            raise Http404("introuvable") from exc
        except InvitationNotSent:
            form.add_error(None, _("L'e-mail n'a pas pu partir. Vérifiez l'adresse et réessayez dans un moment."))
        else:
            messages.success(request, _("La structure « %(name)s » est ouverte ; %(email)s a reçu une invitation "
                                        "pour la diriger.") % {"name": created.name, "email": data["admin_email"]})
            return redirect("network:structures")
    return render(request, "network/structure_open.html", {"scope": scope, "form": form},
                  status=400 if form.errors else 200)


@network_required
@require_POST
def territory_switch(request: HttpRequest, scope) -> HttpResponse:
    """Act for another territory of one's own (404 for a territory one holds no role in)."""
    from tremplin.organisations.access import network_scope_switch

    new = network_scope_switch(request, territory_id=request.POST.get("territory"))
    if new is None:
        raise Http404("introuvable")
    messages.success(request, _("Vous pilotez maintenant : %(name)s.") % {"name": new.territory.name})
    return redirect("network:home")
