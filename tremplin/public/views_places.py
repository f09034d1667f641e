"""« Trouver de l'aide près de chez moi »: a public GET form, nearest places first, a printable card per place."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tremplin.organisations.access import found_or_404, parse_id
from tremplin.organisations.models import Place
from tremplin.organisations.opening_hours import describe
from tremplin.organisations.places_search import (
    FILTER_SERVICES,
    FILTERS,
    FREE,
    commune_origin,
    communes_by_loose_name,
    communes_by_postcode,
    place_public,
    places_near,
)
from tremplin.organisations.selectors import commune_lookup

FILTER_LABELS = {
    "demarches": gettext_lazy("Aide pour mes démarches en ligne"),
    "bases": gettext_lazy("Apprendre les bases (téléphone, ordinateur, internet)"),
    "emploi": gettext_lazy("Chercher un emploi"),
    "gratuit": gettext_lazy("Gratuit"),
    "fauteuil": gettext_lazy("Accueil adapté au handicap moteur (fauteuil)"),
    "samedi": gettext_lazy("Ouvert le samedi"),
}

# Short words for the list; the card of a place gives the standard's full labels.
SHORT_LABELS = {"demarches": gettext_lazy("Démarches"), "bases": gettext_lazy("Bases du numérique"),
                "emploi": gettext_lazy("Emploi")}


def phone_display(phone: str) -> str:
    """« +33241242500 » → « 02 41 24 25 00 »; other numbers grouped by two after their prefix."""
    if re.fullmatch(r"\+33\d{9}", phone or ""):
        digits = "0" + phone[3:]
        return " ".join(digits[i:i + 2] for i in range(0, 10, 2))
    return phone or ""


def place_card(place: Place, km: float | None = None) -> dict:
    """What a person needs to go there: address, hours in plain French, a phone to tap, and the main facts."""
    lines = describe(place.horaires)
    tags = [str(SHORT_LABELS[key]) for key, service in FILTER_SERVICES.items() if service in place.services]
    if set(FREE) & set(place.frais_a_charge or []):
        tags.insert(0, _("Gratuit"))
    return {
        "place": place, "km": km, "hours": lines, "hours_raw": place.horaires if lines is None else "",
        "phone": place.telephone, "phone_label": phone_display(place.telephone), "tags": tags,
        "wheelchair": "Handicaps moteurs" in (place.prise_en_charge_specifique or []),
    }


def _filters_from(request) -> list[str]:
    return [f for f in FILTERS if f in request.GET.getlist("besoin")]


def _query(**params) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v}, doseq=True)


@login_not_required
@require_GET
def find_help(request):
    text = " ".join(request.GET.get("commune", "").replace("\x00", "").split())[:80]
    filters = _filters_from(request)
    context = {"text": text, "filters": [(key, FILTER_LABELS[key], key in filters) for key in FILTERS],
               "choices": [], "commune": None, "origin": None, "found": None, "error": "", "cards": [],
               "previous_url": "", "next_url": "", "here": ""}
    code = request.GET.get("code", "").replace("\x00", "")[:5]
    communes = commune_lookup(text=code or text)
    if not communes and text and not code:  # « epernay », « saint mard les rouffy »: typed on a phone
        communes = communes_by_postcode(postcode=text) or communes_by_loose_name(text=text)
    if (text or code) and not communes:
        context["error"] = _("Nous ne trouvons pas cette commune. Écrivez son nom ou son code postal "
                             "(5 chiffres), par exemple « Angers » ou « 49000 ».")
    elif len(communes) > 1:
        context["choices"] = [(c, _query(code=c.code, commune=text, besoin=filters)) for c in communes[:30]]
    elif communes:
        commune = context["commune"] = communes[0]
        origin = context["origin"] = commune_origin(commune=commune)
        if origin is not None:
            try:
                page = max(1, min(int(request.GET.get("page", "1")), 50))
            except ValueError:
                page = 1
            found = places_near(origin=origin, filters=set(filters), page=page)
            context["found"] = found
            context["cards"] = [place_card(p, km) for p, km in found.results]
            context["here"] = urlencode({"retour": "?" + request.GET.urlencode()})
            base = {"code": commune.code, "besoin": filters}
            context["previous_url"] = _query(**base, page=page - 1 if page > 2 else None) if page > 1 else ""
            context["next_url"] = _query(**base, page=page + 1) if found.has_next else ""
    status = 400 if context["error"] else 200
    return render(request, "public/places/find_help.html", context, status=status)


@login_not_required
@require_GET
def place_detail(request, place_id):
    place = found_or_404(place_public(place_id=parse_id(place_id)))
    back = request.GET.get("retour", "")
    return render(request, "public/places/place.html", {
        "card": place_card(place), "back": back if back.startswith("?") and len(back) < 300 else ""})
