"""/pilotage/structure/<id>/personnes/: the learner list a structure shares with its territory's coordination.

Read-only and minimal (first name, initial of the last name, modules finished, last activity), a page of 50 at a
time, each page read recorded in the structure's journal. Only the coordinator acting for a territory the structure
shares with reads it (``selectors.structure_grant_of`` / ``shared_learners_of``); everyone else, a revoked grant and
a forged id get 404, as a structure that does not exist (ADR 14, revised)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from tremplin.organisations import selectors
from tremplin.organisations.access import found_or_404
from tremplin.organisations.grants import grant_read_record

from .decorators import network_required

LEARNERS_PER_PAGE = 50


def short_name(first_name: str, last_name: str) -> str:
    """« Marie D. »: enough for a coordinator to talk about a person with the structure, not to find them."""
    initial = (last_name or "").strip()[:1].upper()
    return f"{first_name} {initial}." if initial else first_name


@network_required(structures=True)
@require_GET
def structure_learners(request: HttpRequest, organisation_id: str, scope) -> HttpResponse:
    grant = found_or_404(selectors.structure_grant_of(scope=scope, organisation_id=organisation_id))
    structure = grant.organisation
    paginator = Paginator(selectors.shared_learners_of(scope=scope, organisation_id=structure.pk),
                          LEARNERS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))  # Django's rules for a bad or too big number
    rows = [(short_name(u.first_name, u.last_name), u.modules_completed, u.last_activity_at)
            for u in page.object_list]
    grant_read_record(scope=scope, grant=grant, page=page.number, shown=len(rows))
    department = structure.commune.department
    crumbs = [(scope.territory.name, reverse("network:home")),
              (department.name, reverse("network:department", args=[department.code])),
              (structure.name, reverse("network:structure", args=[structure.pk]))]
    return render(request, "network/structure_learners.html", {
        "scope": scope, "structure": structure, "grant": grant, "rows": rows, "page": page, "crumbs": crumbs})
