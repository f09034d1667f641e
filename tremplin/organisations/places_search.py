"""Public reads of places: « trouver de l'aide près de chez moi ». Places are public data: no scope here.

Distances are great-circle (haversine) in Python over a bounding-box pre-filter that the (latitude,
longitude) index serves: no PostGIS. The COG has no coordinates, so a commune's point is the mean of the
places known in it, else of those of its department (then the distances are approximate, and the page says
so); ADR 9.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.db.models import Avg, Q

from .models import Commune, Place
from .opening_hours import opens_on_saturday
from .places import normalise_text

EARTH_RADIUS_KM = 6371.0088
RADII_KM = (15, 40, 100, 250)  # widened until a page is full
PAGE_SIZE = 20
NOT_OPEN_TO_PUBLIC = "Ce lieu n'accueille pas de public"
FREE = ("Gratuit", "Gratuit sous condition")
# The filters a person understands, in the standard's vocabulary.
FILTER_SERVICES = {
    "demarches": "Aide aux démarches administratives",
    "bases": "Maîtrise des outils numériques du quotidien",
    "emploi": "Insertion professionnelle via le numérique",
}
FILTERS = (*FILTER_SERVICES, "gratuit", "fauteuil", "samedi")


@dataclass(frozen=True)
class Origin:
    latitude: float
    longitude: float
    approximate: bool  # True: no known place in the commune, the department's places gave the point


@dataclass
class NearbyPage:
    results: list[tuple[Place, float]]  # (place, km), nearest first
    total: int  # places matching within radius_km
    radius_km: int
    page: int
    has_next: bool


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def commune_origin(*, commune: Commune) -> Origin | None:
    """The point distances are measured from: the mean of the places in the commune, else in its department."""
    located = Place.objects.filter(latitude__isnull=False, longitude__isnull=False)
    point = located.filter(Q(cog_commune=commune) | Q(code_insee=commune.code)).aggregate(
        lat=Avg("latitude"), lon=Avg("longitude"))
    if point["lat"] is not None:
        return Origin(point["lat"], point["lon"], approximate=False)
    point = located.filter(Q(cog_commune__department_id=commune.department_id)
                           | Q(code_insee__startswith=commune.department_id)).aggregate(
        lat=Avg("latitude"), lon=Avg("longitude"))
    if point["lat"] is not None:
        return Origin(point["lat"], point["lon"], approximate=True)
    return None


def _matches(place: Place, filters: set[str]) -> bool:
    if NOT_OPEN_TO_PUBLIC in (place.modalites_acces or []):
        return False
    for key, service in FILTER_SERVICES.items():
        if key in filters and service not in (place.services or []):
            return False
    if "gratuit" in filters and not set(FREE) & set(place.frais_a_charge or []):
        return False
    if "fauteuil" in filters and "Handicaps moteurs" not in (place.prise_en_charge_specifique or []):
        return False
    return not ("samedi" in filters and not opens_on_saturday(place.horaires))


def places_near(*, origin: Origin, filters: set[str] | frozenset[str] = frozenset(), page: int = 1) -> NearbyPage:
    """Places open to the public around ``origin``, nearest first, ``PAGE_SIZE`` a page."""
    page = max(1, page)
    wanted = page * PAGE_SIZE + 1  # one more, to know whether there is a next page
    found: list[tuple[Place, float]] = []
    radius = RADII_KM[0]
    for radius in RADII_KM:
        dlat = radius / 111.32
        dlon = radius / (111.32 * max(0.01, math.cos(math.radians(origin.latitude))))
        candidates = Place.objects.filter(
            latitude__gte=origin.latitude - dlat, latitude__lte=origin.latitude + dlat,
            longitude__gte=origin.longitude - dlon, longitude__lte=origin.longitude + dlon)
        found = []
        for place in candidates:
            if place.latitude is None or place.longitude is None:  # the range filter already excludes them
                continue
            km = haversine_km(origin.latitude, origin.longitude, place.latitude, place.longitude)
            if km <= radius and _matches(place, set(filters)):
                found.append((place, km))
        if len(found) >= wanted:
            break
    found.sort(key=lambda pair: (pair[1], pair[0].nom))
    start = (page - 1) * PAGE_SIZE
    return NearbyPage(results=found[start:start + PAGE_SIZE], total=len(found), radius_km=radius, page=page,
                      has_next=len(found) > start + PAGE_SIZE)


def place_public(*, place_id) -> Place | None:
    """One place, for its printable card (places are public: any id may be read)."""
    return Place.objects.filter(pk=place_id).select_related("cog_commune").first()


def places_exist() -> bool:
    return Place.objects.filter(latitude__isnull=False).exists()


_LOOSE = {"a": "aàâä", "e": "eéèêë", "i": "iîï", "o": "oôö", "u": "uùûü", "c": "cç", "y": "yÿ"}


def communes_by_loose_name(*, text: str, limit: int = 30) -> list[Commune]:
    """Communes whose name matches ``text`` without accents, case, hyphens or apostrophes: what a person types
    on a phone (« epernay », « saint mard les rouffy »). Used when the exact lookup found nothing."""
    words = normalise_text(text).split()
    if not words or len(text) > 80:
        return []
    parts = []
    for word in words:
        parts.append("".join(f"[{_LOOSE[ch]}]" if ch in _LOOSE else re.escape(ch) for ch in word))
    pattern = "^" + "[- ']+".join(parts) + "$"
    return list(Commune.objects.filter(name__iregex=pattern).select_related("department")
                .order_by("-population")[:limit])


def communes_by_postcode(*, postcode: str) -> list[Commune]:
    """Communes with this postcode, Corsica included (postcodes 20xxx, departments 2A and 2B)."""
    if not re.fullmatch(r"\d{5}", postcode or ""):
        return []
    departments = ["2A", "2B"] if postcode.startswith("20") else [postcode[:2], postcode[:3]]
    candidates = Commune.objects.filter(department_id__in=departments).select_related("department")
    return [c for c in candidates if postcode in (c.postcodes or [])]
