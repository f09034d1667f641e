"""/pilotage/: the figures of the areas a network scope covers, drilled down national → region → department →
structure, with a period filter, the period before, the goal, and the same figures as CSV, XLSX and a PDF report.

Which areas a person may open is decided by the scoped selectors of ``organisations`` (a forged code or id, or a
structure asked by a funder, is a 404); the figures come from ``stats`` through ``reading.dashboard``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tremplin.lib.pdf import pdf_prepared, pdf_ready, pdf_response
from tremplin.lib.spreadsheet import csv_response, xlsx_response
from tremplin.organisations import selectors
from tremplin.organisations.access import NetworkScope, found_or_404, network_access_record
from tremplin.stats.figures import Area, period_parse

from .charts import Bar, bar_chart, goal_chart
from .decorators import network_required
from .forms import PERIOD_KINDS
from .reading import Dashboard, dashboard

STRUCTURES_PER_PAGE = 50
TABLES = ("indicateurs", "detail", "parcours", "themes", "accompagnements", "competences")
FORMATS = ("csv", "xlsx", "pdf")


@dataclass(frozen=True)
class Place:
    """An area the person opened, where it sits (breadcrumb) and what lies under it."""

    area: Area
    url_name: str
    url_args: tuple
    crumbs: list[tuple[str, str]]
    children: list[tuple[Area, str, str]]
    child_level: str = ""
    children_title: str = ""
    page: object = None  # the page of structures, when the children are structures


def _national(scope: NetworkScope) -> bool:
    return scope.departments is None


def _home_crumb(scope: NetworkScope) -> tuple[str, str]:
    name = _("France") if _national(scope) else scope.territory.name
    return name, reverse("network:home")


def _departments(departments) -> list[tuple[Area, str, str]]:
    return [(Area("department", d.code, d.name), reverse("network:department", args=[d.code]), "")
            for d in departments]


def _structures_page(request, scope, department) -> tuple[list, object]:
    paginator = Paginator(selectors.structures_of(scope=scope, department=department), STRUCTURES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page") if "\x00" not in request.GET.get("page", "") else 1)
    rows = [(Area("organisation", str(o.pk), o.name), reverse("network:structure", args=[o.pk]), o.commune.name)
            for o in page.object_list]
    return rows, page


def _place(request, scope: NetworkScope, kind: str, code: str = "") -> Place:
    """The area asked for, if the scope covers it (404 otherwise, as for a forged code)."""
    home = _home_crumb(scope)
    if kind == "home":
        if _national(scope):
            children = [(Area("region", r.code, r.name), reverse("network:region", args=[r.code]), "")
                        for r in selectors.regions_of(scope=scope)]
            return Place(Area("national", "", _("France")), "network:home", (), [], children, "region",
                         _("Région"))
        territory = scope.territory
        return Place(Area("territory", str(territory.pk), territory.name), "network:home", (), [],
                     _departments(selectors.departments_of(scope=scope).filter(territories=territory)),
                     "department", _("Département"))
    if kind == "territory":
        territory = found_or_404(selectors.territory_of(scope=scope, territory_id=code))
        return Place(Area("territory", str(territory.pk), territory.name), "network:territory", (territory.pk,),
                     [home], _departments(selectors.departments_of(scope=scope).filter(territories=territory)),
                     "department", _("Département"))
    if kind == "region":
        region = found_or_404(selectors.region_of(scope=scope, code=code))
        return Place(Area("region", region.code, region.name), "network:region", (region.code,), [home],
                     _departments(selectors.departments_of(scope=scope, region=region)), "department",
                     _("Département"))
    if kind == "department":
        department = found_or_404(selectors.department_of(scope=scope, code=code))
        crumbs = [home]
        if _national(scope):
            crumbs.append((department.region.name, reverse("network:region", args=[department.region_id])))
        children, page = ([], None)
        if scope.sees_structures:
            children, page = _structures_page(request, scope, department)
        return Place(Area("department", department.code, department.name), "network:department",
                     (department.code,), crumbs, children, "organisation", _("Structure"), page)
    if kind == "structure":
        structure = found_or_404(selectors.structure_of(scope=scope, organisation_id=code))
        department = structure.commune.department
        crumbs = [home]
        if _national(scope):
            crumbs.append((department.region.name, reverse("network:region", args=[department.region_id])))
        crumbs.append((department.name, reverse("network:department", args=[department.code])))
        return Place(Area("organisation", str(structure.pk), structure.name), "network:structure",
                     (structure.pk,), crumbs, [])
    raise Http404("introuvable")


def _board(request, scope, kind, code) -> tuple[Place, Dashboard]:
    place = _place(request, scope, kind, code)
    period = period_parse(request.GET.get("periode"), request.GET.get("debut"))
    board = dashboard(area=place.area, period=period, children=place.children, child_level=place.child_level,
                      children_title=place.children_title)
    return place, board


def _period_query(period, **extra) -> str:
    from urllib.parse import urlencode

    return "?" + urlencode({"periode": period.kind, "debut": period.param, **extra})


def _render(request, scope, kind, code="", extra: dict | None = None) -> HttpResponse:
    place, board = _board(request, scope, kind, code)
    base = reverse(place.url_name, args=place.url_args)
    previous = board.period.previous()
    next_start = board.period.end if board.period.kind != "all" else None
    chart = None
    if board.children:
        chart = bar_chart(ident="enfants", title=_("Personnes touchées par %(what)s, %(period)s") % {
            "what": place.children_title.lower(), "period": board.period.label},
            description=_("Une barre par ligne du tableau qui suit, avec le même nombre écrit au bout."),
            bars=[Bar(child.area.name, child.values()[0]) for child in board.children])
    else:
        chart = bar_chart(ident="indicateurs", title=_("Indicateurs, %(period)s") % {"period": board.period.label},
                          description=_("Une barre par indicateur du tableau, avec le même nombre écrit au bout."),
                          bars=[Bar(row.label, row.value) for row in board.rows if row.slug != "impact_gained"])
    context = {
        "scope": scope, "place": place, "board": board, "kinds": PERIOD_KINDS, "base": base,
        "chart": chart, "goal_chart": goal_chart(ident="objectif", reached=board.goal[0], goal=board.goal[1]),
        "query": _period_query(board.period),
        "previous_url": base + _period_query(previous) if previous else "",
        "next_url": base + _period_query(type(board.period)(board.period.kind, next_start)) if next_start else "",
        "export_base": reverse(place.url_name + "_export",
                               kwargs={**_export_kwargs(place), "fmt": "csv"}).removesuffix("csv"),
        "page": place.page,
        **(extra or {}),
    }
    return render(request, "network/dashboard.html", context)


def _export_kwargs(place: Place) -> dict:
    names = {"network:home": (), "network:territory": ("territory_id",), "network:region": ("code",),
             "network:department": ("code",), "network:structure": ("organisation_id",)}[place.url_name]
    return dict(zip(names, place.url_args, strict=True))


@network_required
@require_GET
def home(request: HttpRequest, scope) -> HttpResponse:
    return _render(request, scope, "home")


@network_required
@require_GET
def territory(request: HttpRequest, territory_id: str, scope) -> HttpResponse:
    return _render(request, scope, "territory", territory_id)


@network_required
@require_GET
def region(request: HttpRequest, code: str, scope) -> HttpResponse:
    return _render(request, scope, "region", code)


@network_required
@require_GET
def department(request: HttpRequest, code: str, scope) -> HttpResponse:
    return _render(request, scope, "department", code)


@network_required(structures=True)
@require_GET
def structure(request: HttpRequest, organisation_id: str, scope) -> HttpResponse:
    # Whether the structure shares its learner list with the territory this coordinator acts for (ADR 14,
    # revised): the page says so and links to the list; otherwise it says the structure shares aggregates only.
    grant = selectors.structure_grant_of(scope=scope, organisation_id=organisation_id)
    return _render(request, scope, "structure", organisation_id, extra={"sharing": {"grant": grant}})


# --- Exports: the same figures as the screen ---------------------------------------------------------------------


def _export(request, scope, kind, code, fmt) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("introuvable")
    table = request.GET.get("tableau", "indicateurs")
    if table not in TABLES:
        raise Http404("introuvable")
    place, board = _board(request, scope, kind, code)
    if fmt != "pdf" and table == "detail" and not board.children:
        raise Http404("introuvable")
    name = slugify(f"tremplin-{place.area.name}-{board.period.label}") or "tremplin"
    if fmt == "pdf":
        return _report(request, scope, place, board, name)
    _export_record(scope, place, board, fmt, table)
    if table == "indicateurs":
        rows, title = board.indicator_table(), _("Indicateurs")
    elif table == "detail":
        rows, title = board.children_table(), place.children_title
    else:
        breakdown = board.breakdown(table)
        rows, title = [breakdown.header, *breakdown.rows], breakdown.title
    heading = [[f"{place.area.name} — {board.period.label}"]]
    if fmt == "xlsx":
        return xlsx_response(f"{name}-{table}.xlsx", [(title, heading + rows)])
    response, writer = csv_response(f"{name}-{table}.csv")
    writer.writerows(heading + rows)
    return response


def _export_record(scope, place, board, fmt, table=None) -> None:
    network_access_record(scope=scope, action=f"network.export_{fmt}", target_type=place.area.level,
                          target_id=place.area.code or "national",
                          detail={"period": board.period.kind, "start": board.period.param,
                                  **({"table": table} if table else {})})


def _report(request, scope, place, board, name) -> HttpResponse:
    """The one-page PDF report. Aggregates only, the same for everyone who may read them: the worker draws it
    (WeasyPrint takes 0.2–0.8 s of CPU a report, never spent in a request) and every server then serves the same
    bytes until a figure changes. Until it is made, a page says it is on its way (202) and offers the link again;
    with JavaScript it also says when it is ready. The download is written in the audit journal when served."""
    context = {"place": place, "board": board, "children": board.children[:20],
               "more_children": max(0, len(board.children) - 20)}
    prepared = pdf_prepared("network/report_pdf.html", context)
    if prepared.pdf is None:
        response = render(request, "network/report_waiting.html", {
            "place": place, "board": board, "again": request.get_full_path(),
            "status_url": reverse("network:report_status", args=[prepared.ticket]),
            "back": reverse(place.url_name, args=place.url_args) + _period_query(board.period)}, status=202)
        response["Retry-After"] = "3"
        return response
    _export_record(scope, place, board, "pdf")
    return pdf_response(prepared.pdf, f"{name}.pdf")


@network_required
@require_GET
def report_status(request: HttpRequest, ticket: str, scope) -> HttpResponse:
    """Whether a report asked of the worker is made (204), on its way (202), or unknown (404: never asked, or its
    rendering failed and the link asks again). The ticket is the hash of the report's HTML: it tells nothing."""
    if not re.fullmatch(r"[0-9a-f]{64}", ticket):
        raise Http404("introuvable")
    ready = pdf_ready(ticket)
    if ready is None:
        raise Http404("introuvable")
    return HttpResponse(status=204 if ready else 202)


@network_required
@require_GET
def home_export(request, fmt: str, scope) -> HttpResponse:
    return _export(request, scope, "home", "", fmt)


@network_required
@require_GET
def territory_export(request, territory_id: str, fmt: str, scope) -> HttpResponse:
    return _export(request, scope, "territory", territory_id, fmt)


@network_required
@require_GET
def region_export(request, code: str, fmt: str, scope) -> HttpResponse:
    return _export(request, scope, "region", code, fmt)


@network_required
@require_GET
def department_export(request, code: str, fmt: str, scope) -> HttpResponse:
    return _export(request, scope, "department", code, fmt)


@network_required(structures=True)
@require_GET
def structure_export(request, organisation_id: str, fmt: str, scope) -> HttpResponse:
    return _export(request, scope, "structure", organisation_id, fmt)
