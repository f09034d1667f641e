"""Writes on places: a structure's own public profile (« une structure est un lieu »)."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from tremplin.accounts.models import User
from tremplin.audit.services import audit_log

from .models import Organisation, Place
from .places import LIST_FIELDS, match_key, normalise_phone, vocabulary

# What a structure edits on its profile, in the standard's vocabulary.
PROFILE_TEXT_FIELDS = ("nom", "adresse", "complement_adresse", "code_postal", "telephone", "courriels", "site_web",
                       "horaires", "presentation_resume")
PROFILE_LIST_FIELDS = ("services", "publics_specifiquement_adresses", "prise_en_charge_specifique",
                       "frais_a_charge", "modalites_acces", "modalites_accompagnement")


def profile_initial(*, organisation: Organisation) -> dict:
    """The profile's current values, or a first draft from the organisation's own details."""
    place = organisation.place
    if place is not None:
        values = {name: getattr(place, name) for name in (*PROFILE_TEXT_FIELDS, *PROFILE_LIST_FIELDS)}
        return values | {"latitude": place.latitude, "longitude": place.longitude}
    postcodes = organisation.commune.postcodes or [""]
    return {"nom": organisation.name, "adresse": organisation.address, "code_postal": postcodes[0]}


@transaction.atomic
def organisation_place_save(*, organisation: Organisation, actor: User | None, values: dict) -> Place:
    """Create or update the organisation's public profile; it is published with ``export_places``.

    ``values``: the profile fields (``PROFILE_TEXT_FIELDS``, ``PROFILE_LIST_FIELDS``, ``latitude``,
    ``longitude``). List values outside the standard's vocabulary are refused (``ValueError``).
    """
    organisation = Organisation.objects.select_for_update().select_related("commune").get(pk=organisation.pk)
    existing = organisation.place
    created = existing is None
    if existing is not None:
        place = existing
    else:
        place = Place(commune=organisation.commune.name, code_insee=organisation.commune.code,
                      cog_commune=organisation.commune, typologie=organisation.type, date_maj=timezone.localdate())
    for name in PROFILE_TEXT_FIELDS:
        setattr(place, name, " ".join(str(values.get(name) or "").split()) if name != "horaires"
                else str(values.get(name) or "").strip())
    place.telephone = normalise_phone(place.telephone)
    if place.telephone and not re.fullmatch(r"\+(33|590|594|262|596|269|687|689|508|681)\d{6,9}", place.telephone):
        raise ValueError("telephone")
    for name in PROFILE_LIST_FIELDS:
        chosen = list(dict.fromkeys(values.get(name) or []))
        if name in LIST_FIELDS and set(chosen) - set(vocabulary(name)):
            raise ValueError(name)
        setattr(place, name, chosen)
    place.latitude, place.longitude = values.get("latitude"), values.get("longitude")
    if (place.latitude is None) != (place.longitude is None):
        place.latitude = place.longitude = None
    if organisation.siret:
        place.pivot = organisation.siret
    place.date_maj = timezone.localdate()
    place.match_key = match_key(nom=place.nom, adresse=place.adresse, code_postal=place.code_postal)
    place.full_clean(exclude=["match_key"])
    place.save()
    if created:
        organisation.place = place
        organisation.save(update_fields=["place"])
    audit_log(actor=actor, action="organisation.place_create" if created else "organisation.place_update",
              target_type="place", target_id=str(place.pk), organisation_id=organisation.pk,
              detail={"fields": sorted(k for k in values if values.get(k) not in (None, "", []))})
    return place
