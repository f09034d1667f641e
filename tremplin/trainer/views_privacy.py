"""Personal data from the trainer's side (issue 16): a learner's data and erasure on their behalf, the
erasures done in the structure, and the audit log for the structure's admins."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.audit.selectors import ACTION_LABELS, audit_entries_of, erasures_of
from tremplin.lib.pdf import pdf_response
from tremplin.lib.spreadsheet import csv_response
from tremplin.organisations.access import access_record, found_or_404
from tremplin.organisations.selectors import learner_of, learners_of, organisations_following
from tremplin.privacy.erasure import NotALearner, erasure_requested, learner_erase
from tremplin.privacy.rights import personal_data_export, personal_data_pdf, summary_of

from .decorators import trainer_required

PAGE = 50


@trainer_required
@require_GET
def learner_data(request: HttpRequest, pk, scope) -> HttpResponse:
    learner = found_or_404(learner_of(scope=scope, learner_id=pk))
    access_record(scope=scope, action="learner.view", target_type="learner", target_id=learner.pk,
                  detail={"screen": "personal_data"})
    return render(request, "trainer/privacy/learner_data.html", {
        "learner": learner, "summary": summary_of(learner=learner),
        "shared_with": organisations_following(scope=scope, learner=learner)})


def _export(request, pk, scope, file_format: str):
    learner = found_or_404(learner_of(scope=scope, learner_id=pk))
    data = personal_data_export(learner=learner, actor=request.user, file_format=file_format,
                                organisation=scope.organisation)
    return learner, data


@trainer_required
@require_GET
def learner_data_pdf(request: HttpRequest, pk, scope) -> HttpResponse:
    learner, data = _export(request, pk, scope, "pdf")
    return pdf_response(personal_data_pdf(data=data, request=request), f"donnees-{learner.username}.pdf",
                        inline=False)


@trainer_required
@require_GET
def learner_data_json(request: HttpRequest, pk, scope) -> HttpResponse:
    learner, data = _export(request, pk, scope, "json")
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="donnees-{learner.username}.json"'
    return response


@trainer_required
@require_http_methods(["POST"])
def learner_erase_view(request: HttpRequest, pk, scope) -> HttpResponse:
    learner = learner_of(scope=scope, learner_id=pk)
    everywhere = request.POST.get("everywhere") == "oui"
    if learner is None:
        # Asked twice (a double tap): the first request erased the person; say so instead of « not found ».
        done = erasure_requested(scope=scope, learner_id=pk)
        found_or_404(done)
        messages.info(request, _("C'était déjà fait."))
        return redirect("trainer:erasures")
    if request.POST.get("confirm") != "oui":
        messages.error(request, _("Cochez la case : la personne a demandé l'effacement."))
        return redirect("trainer:learner_data", pk=learner.pk)
    try:
        erasure = learner_erase(learner_id=learner.pk, actor=request.user, organisation=scope.organisation,
                                everywhere=everywhere, requested_by="trainer")
    except NotALearner:
        found_or_404(None)
    messages.success(request, _("C'est fait. Numéro de la demande : %(reference)s") % {
        "reference": erasure.reference})
    return redirect("trainer:erasures")


@trainer_required
@require_GET
def erasures(request: HttpRequest, scope) -> HttpResponse:
    page = Paginator(erasures_of(scope=scope), PAGE).get_page(request.GET.get("page"))
    return render(request, "trainer/privacy/erasures.html", {"page": page})


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(request) -> dict:
    action = request.GET.get("action", "")
    return {"action": action if action in ACTION_LABELS else "", "since": _day(request.GET.get("du")),
            "until": _day(request.GET.get("au"))}


def _target_names(scope, entries) -> dict[str, str]:
    """Names of the learners of this page that the structure still follows (others show no name)."""
    ids = {e.target_id for e in entries if e.target_type == "learner" and e.target_id}
    if not ids:
        return {}
    return {str(u.pk): u.display_name for u in learners_of(scope=scope).filter(pk__in=list(ids)[:PAGE])}


@trainer_required(admin=True)
@require_GET
def journal(request: HttpRequest, scope) -> HttpResponse:
    filters = _filters(request)
    page = Paginator(audit_entries_of(scope=scope, **filters), PAGE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in {"action": filters["action"], "du": request.GET.get("du", ""),
                                         "au": request.GET.get("au", "")}.items() if v and "\x00" not in v})
    names = _target_names(scope, page.object_list)
    rows = [(e, ACTION_LABELS.get(e.action, e.action), names.get(e.target_id, "") if e.target_type == "learner"
             else "") for e in page.object_list]
    return render(request, "trainer/privacy/journal.html", {
        "page": page, "rows": rows, "filters": filters, "query": query,
        "actions": sorted(ACTION_LABELS.items(), key=lambda kv: str(kv[1]))})


@trainer_required(admin=True)
@require_GET
def journal_export(request: HttpRequest, scope) -> HttpResponse:
    filters = _filters(request)
    access_record(scope=scope, action="audit.export", detail={k: str(v or "") for k, v in filters.items()})
    response, writer = csv_response(f"journal-{timezone.localdate():%Y-%m-%d}.csv")
    writer.writerow([_("Date"), _("Action"), _("Qui"), _("Sur quoi"), _("Identifiant")])
    for entry in audit_entries_of(scope=scope, **filters).iterator(chunk_size=2000):
        writer.writerow([timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M"),
                         str(ACTION_LABELS.get(entry.action, entry.action)),
                         entry.actor.display_name if entry.actor and not entry.actor.is_learner else "",
                         entry.target_type, entry.target_id])
    return response
