"""Reads of the audit log: a structure's admins read what happened in their structure (issue 16).

Trainers who are not admins, partners and the network's people read none of it (``audit_entries_of`` is empty
for them; the screens answer 403 before that).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tremplin.organisations.access import Scope, tenant_q

from .models import AuditEntry

# The actions a structure's admin filters on, in the words of the screen (others show their code).
ACTION_LABELS = {
    "learner.view": _("Fiche d'un apprenant ouverte"),
    "learners.list": _("Liste des apprenants ouverte"),
    "learners.export": _("Export des apprenants"),
    "followup.export": _("Export du suivi"),
    "accompaniments.export": _("Export des comptes-rendus"),
    "learners.cards_print": _("Cartes imprimées"),
    "learner.pin_reset": _("Nouveau code secret"),
    "learner.merge": _("Doublons fusionnés"),
    "learner.share": _("Apprenant partagé avec une autre structure"),
    "learner.enrol": _("Apprenant inscrit"),
    "learner.enrol_existing": _("Apprenant inscrit avec son code"),
    "learner.signup": _("Inscription par lien d'atelier"),
    "learners.import": _("Import d'un fichier d'apprenants"),
    "learner.data_export": _("Données d'un apprenant téléchargées"),
    "learner.erasure_request": _("Demande d'effacement"),
    "learner.erase": _("Effacement fait"),
    "diagnostic.sheet_printed": _("Feuille de positionnement imprimée"),
    "diagnostic.paper_entered": _("Positionnement sur papier saisi"),
    "diagnostic.accompanied_start": _("Positionnement accompagné commencé"),
    "referral.view": _("Orientation ouverte"),
    "organisation.update": _("Structure modifiée"),
    "invitation.create": _("Invitation envoyée"),
    "invitation.accept": _("Invitation acceptée"),
    "invitation.revoke": _("Invitation annulée"),
    "membership.remove": _("Membre retiré"),
    "assignment.delete": _("Travail demandé supprimé"),
    "coordinator_grant.create": _("Liste partagée avec la coordination du territoire"),
    "coordinator_grant.revoke": _("Partage avec la coordination arrêté"),
    "network.structure_learners": _("Liste des personnes lue par la coordination du territoire"),
}


def audit_entries_of(*, scope: Scope, action: str = "", since: dt.date | None = None,
                     until: dt.date | None = None) -> QuerySet[AuditEntry]:
    """The entries of the scope's structure, newest first; empty for anyone but its admins."""
    if not scope.is_admin:
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.filter(tenant_q(scope)).select_related("actor")
    if action:
        entries = entries.filter(action=action)
    if since is not None:
        entries = entries.filter(at__date__gte=since)
    if until is not None:
        entries = entries.filter(at__date__lte=until)
    return entries.order_by("-at", "-pk")


def erasures_of(*, scope: Scope) -> QuerySet[AuditEntry]:
    """Erasures done in the scope's structure (every trainer of it sees that a request was carried out)."""
    return AuditEntry.objects.filter(tenant_q(scope), action="learner.erase").select_related("actor").order_by("-at")
