"""L'observatoire: public figures of the programme, France and each department, and their open data (CSV).

No account, no personal data: every cell comes from ``stats.publication`` (counts under 10 suppressed, more
cells masked so that no sum or difference gives them back). docs/areas/observatory.md.
"""

from __future__ import annotations

import io
import re

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tremplin.catalog.models import Track
from tremplin.coaching.enums import THEME_LABELS
from tremplin.diagnostic.models import Competence
from tremplin.lib.france_map import choropleth
from tremplin.lib.spreadsheet import BOM, csv_writer
from tremplin.stats.figures import INDICATOR_BY_SLUG
from tremplin.stats.publication import (
    BREAKDOWNS,
    PRIMARY,
    PUBLISHED,
    SCALARS,
    Publication,
    publication,
    publication_file,
)

LICENCE = "Licence Ouverte / Open Licence version 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
TABLE_LABELS = {
    "module_completed_track": gettext_lazy("Modules terminés, par parcours"),
    "module_completed_theme": gettext_lazy("Modules terminés, par thème"),
    "accompaniment": gettext_lazy("Accompagnements, par thématique de La Coop de la médiation numérique"),
    "impact_assessed_twice": gettext_lazy("Personnes positionnées deux fois, par compétence"),
    "impact_gained": gettext_lazy("Personnes qui ont gagné au moins un niveau, par compétence"),
}
TABLE_DEFINITIONS = {
    "module_completed_track": gettext_lazy("Un module compte dans le parcours auquel il appartient."),
    "module_completed_theme": gettext_lazy("Un module qui traite trois thèmes compte une fois dans chacun : "
                                           "ces nombres ne s'additionnent pas."),
    "accompaniment": gettext_lazy("Un compte-rendu avec trois thématiques compte une fois dans chacune : ces "
                                  "nombres ne s'additionnent pas."),
}
STATUS_WORDS = {PUBLISHED: gettext_lazy("publié"), PRIMARY: gettext_lazy("inférieur à 10"),
                "secondary": gettext_lazy("masqué")}


def _key_labels() -> dict[str, dict[str, str]]:
    themes = {str(key): str(label) for key, label in THEME_LABELS.items()}
    tracks = dict(Track.objects.values_list("slug", "title"))
    tracks[""] = _("Autres modules")
    competences = dict(Competence.objects.values_list("slug", "title"))
    return {"module_completed_track": tracks, "module_completed_theme": themes, "accompaniment": themes,
            "impact_assessed_twice": competences, "impact_gained": competences}


def _year(request, pub: Publication) -> int:
    """The year asked for (« annee »), or the last one; anything else is the last one too."""
    text = request.GET.get("annee", "")
    return int(text) if text.isdigit() and len(text) == 4 and int(text) in pub.years else pub.years[-1]


DEPARTMENT_CODE = re.compile(r"[0-9A-Za-z]{2,3}")  # the shape of a department code (2A, 51, 974)


def _department(pub: Publication, code: str):
    for area in pub.departments:
        if area.code == code:
            return area
    raise Http404


def _indicators(pub: Publication, year: int, code: str) -> list[dict]:
    return [{"slug": slug, "label": INDICATOR_BY_SLUG[slug].label, "definition": INDICATOR_BY_SLUG[slug].definition,
             "cell": pub.get(year, slug, code)} for slug in SCALARS]


def _breakdowns(pub: Publication, year: int, code: str, labels: dict) -> list[dict]:
    tables = []
    for table in BREAKDOWNS:
        rows = [(labels[table].get(key, key), pub.get(year, table, code, key)) for key in pub.keys[table]]
        tables.append({"id": table.replace("_", "-"), "title": TABLE_LABELS[table],
                       "definition": TABLE_DEFINITIONS[table], "rows": rows})
    return tables


def _common(request, pub: Publication, code: str) -> dict:
    year = _year(request, pub)
    labels = _key_labels()
    return {"year": year, "years": pub.years, "indicators": _indicators(pub, year, code),
            "breakdowns": _breakdowns(pub, year, code, labels), "licence": LICENCE, "licence_url": LICENCE_URL,
            "no_data": not pub.years or all(not c.published for c in (pub.get(year, s, code) for s in SCALARS))}


@login_not_required
@require_GET
def observatory(request):
    pub = publication()
    context = _common(request, pub, "")
    year = context["year"]
    labels = _key_labels()["impact_assessed_twice"]
    goal_value = pub.goal.value or 0
    departments = [{"area": area, "url": reverse("public:observatory_department", args=[area.code]),
                    "cells": [pub.get(year, slug, area.code) for slug in ("people_reached", "people_new",
                                                                         "active_structures")]}
                   for area in pub.departments]
    figures = {row["area"].code: (row["area"].name, row["cells"][0].value, row["cells"][0].text)
               for row in departments}
    context.update({
        "goal": pub.goal, "goal_percent": min(100, goal_value * 100 / 1_000_000),
        "impact": [{"label": labels.get(c, c), "assessed": pub.get(year, "impact_assessed_twice", "", c),
                    "gained": pub.get(year, "impact_gained", "", c), "share": pub.share(year, c)}
                   for c in pub.competences],
        "impact_definition": INDICATOR_BY_SLUG["impact_gained"].definition,
        "departments": departments,
        "map": choropleth(
            title=_("Personnes touchées en %(year)s, par département") % {"year": year}, figures=figures,
            url=lambda code: reverse("public:observatory_department", args=[code]) + f"?annee={year}",
            label=lambda name, shown: _("%(name)s : %(figure)s personnes touchées") % {"name": name,
                                                                                       "figure": shown},
            range_words=lambda low, high: _("de %(low)s à %(high)s") % {
                "low": number_format(low, force_grouping=True), "high": number_format(high, force_grouping=True)},
            hidden_words=_("moins de 10, masqué ou aucune donnée")),
    })
    return render(request, "public/observatory.html", context)


@login_not_required
@require_GET
def observatory_department(request, code: str):
    pub = publication()
    area = _department(pub, code)
    context = _common(request, pub, area.code)
    context["area"] = area
    return render(request, "public/observatory_department.html", context)


@login_not_required
@require_GET
def observatory_data(request):
    return render(request, "public/observatory_data.html", {
        "licence": LICENCE, "licence_url": LICENCE_URL})


def _csv_bytes(pub: Publication, *, area: str | None) -> bytes:
    labels = _key_labels()
    names = {a.code: a.name for a in pub.departments}
    out = io.StringIO()
    out.write(BOM)
    writer = csv_writer(out)
    writer.writerow(["annee", "zone", "code_departement", "departement", "indicateur", "libelle_indicateur",
                     "detail", "libelle_detail", "valeur", "statut"])
    for year, table, code, key, shown in pub.rows(area=area):
        indicator = INDICATOR_BY_SLUG.get(table)
        writer.writerow([
            year if year != "all" else _("depuis le début"), _("département") if code else _("France"), code,
            names.get(code, ""), table, indicator.label if indicator else TABLE_LABELS.get(table, table), key,
            labels.get(table, {}).get(key, key) if key else "", shown.value if shown.published else "",
            STATUS_WORDS[shown.status]])
    return out.getvalue().encode()


def _csv_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
@require_GET
def observatory_csv(request):
    return _csv_response(publication_file("csv", lambda pub: _csv_bytes(pub, area=None)), "tremplin-observatoire.csv")


@login_not_required
@require_GET
def observatory_department_csv(request, code: str):
    if not DEPARTMENT_CODE.fullmatch(code):
        raise Http404
    data = publication_file(f"csv:{code}", lambda pub: _csv_bytes(pub, area=_department(pub, code).code))
    return _csv_response(data, f"tremplin-observatoire-{code}.csv")
