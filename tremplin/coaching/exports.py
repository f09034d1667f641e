"""CSV exports: accompaniment records in La Coop's vocabulary, and the progress grid."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from django.utils import timezone

from tremplin.lib.spreadsheet import csv_text

from .enums import TypeLieu
from .models import Accompaniment
from .selectors import Grid, GridRows

# Column names are the Coop's API attribute names (/api/v1/activites); beneficiary columns are
# prefixed with « beneficiaire_ ». Multi-valued cells are joined with « | » (as in the places standard).
ACCOMPANIMENT_COLUMNS = [
    "id", "type", "date", "duree", "type_lieu", "structure_id", "lieu_code_postal", "lieu_commune",
    "lieu_code_insee", "materiel", "thematiques", "autonomie", "oriente_vers_structure",
    "structure_de_redirection", "titre_atelier", "niveau_atelier", "accompagnements", "beneficiaire_anonyme",
    "beneficiaire_id", "beneficiaire_genre", "beneficiaire_tranche_age", "beneficiaire_statut_social",
    "beneficiaire_commune", "beneficiaire_commune_code_insee", "beneficiaire_premier_accompagnement",
    "mediateur_id", "creation",
]


def _bool(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def accompaniment_row(a: Accompaniment) -> list[str]:
    commune = a.lieu_commune
    return [
        str(a.pk), a.type, a.date.isoformat(), str(a.duree), a.type_lieu,
        str(a.organisation_id) if a.type_lieu == TypeLieu.LIEU_ACTIVITE else "",
        (commune.postcodes[0] if commune and commune.postcodes else ""), commune.name if commune else "",
        commune.code if commune else "", "|".join(a.materiel), "|".join(a.thematiques), a.autonomie,
        _bool(a.oriente_vers_structure), a.structure_de_redirection, a.titre_atelier, a.niveau_atelier,
        str(a.accompagnements), _bool(a.learner_id is None), str(a.learner_id or ""), a.beneficiaire_genre,
        a.beneficiaire_tranche_age, a.beneficiaire_statut_social,
        a.beneficiaire_commune.name if a.beneficiaire_commune else "",
        a.beneficiaire_commune_id or "", _bool(a.premier_accompagnement), str(a.mediateur_id or ""),
        timezone.localtime(a.created_at).isoformat(timespec="seconds"),
    ]


def accompaniments_csv(records: Iterable[Accompaniment]) -> str:
    """Comma-separated without BOM, as La Coop reads it; every cell through the safe writer."""
    return csv_text(chain([ACCOMPANIMENT_COLUMNS], map(accompaniment_row, records)), delimiter=",")


def grid_csv(grid: Grid | GridRows) -> str:
    """One line per learner; one column per assigned module (its slug) holding the status code."""
    header = ["apprenant_id", "prenom", "nom", "groupes", "derniere_activite", *[m.slug for m in grid.columns]]
    return csv_text(chain([header], map(_grid_row, grid.rows)), delimiter=",")


def _grid_row(row) -> list[str]:
    u = row.learner
    return [str(u.pk), u.first_name, u.last_name, "|".join(row.groups),
            timezone.localtime(row.last_activity).isoformat(timespec="seconds") if row.last_activity else "",
            *[(c.status if c.assigned else "") for c in row.cells]]
