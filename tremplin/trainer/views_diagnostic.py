"""The diagnostic for trainers: accompanied sessions, the paper version and its typing-in, result sheets."""

from __future__ import annotations

import base64
import string

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.diagnostic.models import DiagnosticImage
from tremplin.diagnostic.scoring import display_order
from tremplin.diagnostic.selectors import (
    diagnostics_of,
    framework_release,
    needs_human_help,
    paper_form_versions,
    previous_session,
    recommended_modules,
    results_of,
    session_for,
    sessions_of_learner,
)
from tremplin.diagnostic.services import paper_session_record, session_start
from tremplin.lib.pdf import DOCUMENT_CACHE_SECONDS, pdf_response, render_pdf
from tremplin.organisations.access import access_record, found_or_404
from tremplin.organisations.selectors import learner_of

from .decorators import trainer_required

LETTERS = string.ascii_uppercase


@trainer_required
@require_GET
def diagnostic_overview(request: HttpRequest, scope) -> HttpResponse:
    return render(request, "trainer/diagnostic/overview.html", {
        "learners": diagnostics_of(scope=scope, page=request.GET.get("page", "1"))})


@trainer_required
@require_GET
def diagnostic_learner(request: HttpRequest, learner_id, scope) -> HttpResponse:
    learner = found_or_404(learner_of(scope=scope, learner_id=learner_id))
    sessions = sessions_of_learner(learner=learner)
    latest = next((s for s in sessions if s.is_completed), None)
    results = results_of(latest, previous_session(latest)) if latest else []
    return render(request, "trainer/diagnostic/learner.html", {
        "learner": learner, "sessions": sessions, "latest": latest, "results": results,
        "needs_help": needs_human_help(results) if results else False,
        "modules": recommended_modules(learner=learner, results=results) if results else [],
        "open": next((s for s in sessions if not s.is_completed), None)})


@trainer_required
@require_POST
def diagnostic_accompanied_start(request: HttpRequest, learner_id, scope) -> HttpResponse:
    learner = found_or_404(learner_of(scope=scope, learner_id=learner_id))
    session_start(learner=learner, started_by=request.user)
    messages.success(request, _("Positionnement accompagné prêt. La personne se connecte sur son téléphone ou "
                                "sur ce poste, puis appuie sur « Reprendre les questions »."))
    return redirect("trainer:diagnostic_learner", learner_id=learner.pk)


def _paper_items() -> list[dict]:
    out = []
    for version in paper_form_versions():
        choices = version.data.get("choices") or []
        out.append({"version": version, "slug": version.item.slug, "data": version.data,
                    "competence": version.item.competence.title, "selected": "",
                    "choices": [{"index": i, "letter": LETTERS[k], "text": choices[i]["text"]} for k, i in
                                enumerate(display_order(version.item.slug, version.kind, len(choices)))]})
    return out


@trainer_required
@require_http_methods(["GET", "POST"])
def diagnostic_paper_entry(request: HttpRequest, learner_id, scope) -> HttpResponse:
    learner = found_or_404(learner_of(scope=scope, learner_id=learner_id))
    items = _paper_items()
    if not items:
        raise Http404("version papier indisponible")
    if request.method == "POST":
        for it in items:
            it["selected"] = request.POST.get(it["slug"], "")
        answers, errors = {}, []
        for number, it in enumerate(items, start=1):
            raw = request.POST.get(it["slug"], "")
            if raw == "":
                answers[it["slug"]] = None
                continue
            try:
                choice = int(raw)
            except ValueError:
                choice = -1
            if not 0 <= choice < len(it["choices"]):
                errors.append(number)
                continue
            answers[it["slug"]] = choice
        if errors:
            return render(request, "trainer/diagnostic/paper_entry.html", {
                "learner": learner, "items": items,
                "form_error": _("Réponse inconnue aux questions : %(numbers)s. Rien n'a été enregistré.")
                % {"numbers": ", ".join(map(str, errors))}}, status=400)
        if all(v is None for v in answers.values()):
            return render(request, "trainer/diagnostic/paper_entry.html", {
                "learner": learner, "items": items,
                "form_error": _("Aucune réponse saisie. Rien n'a été enregistré.")}, status=400)
        session = paper_session_record(learner=learner, trainer=request.user, answers=answers)
        messages.success(request, _("Positionnement sur papier enregistré."))
        return redirect("trainer:diagnostic_learner", learner_id=session.learner_id)
    return render(request, "trainer/diagnostic/paper_entry.html", {"learner": learner, "items": items})


def _image_uris() -> dict[str, str]:
    return {name: "data:image/svg+xml;base64," + base64.b64encode(content.encode()).decode()
            for name, content in DiagnosticImage.objects.values_list("name", "content")}


@trainer_required(organisation=False)
@require_GET
def diagnostic_paper_pdf(request: HttpRequest, scope) -> HttpResponse:
    items = _paper_items()
    if not items:
        raise Http404("version papier indisponible")
    images = _image_uris()
    for it in items:
        it["image_uri"] = images.get(it["data"].get("image") or "", "")
    release = framework_release()
    data = render_pdf("trainer/diagnostic/paper_pdf.html", {
        "items": items, "profile_questions": release.profile_questions if release else [],
        "today": timezone.localdate()}, request=request, cache_seconds=DOCUMENT_CACHE_SECONDS)
    return pdf_response(data, "positionnement-papier.pdf")


@trainer_required
@require_GET
def diagnostic_session_sheet(request: HttpRequest, session_id, scope) -> HttpResponse:
    session = session_for(scope=scope, session_id=session_id)
    if session is None or not session.is_completed:
        raise Http404("positionnement inconnu")
    previous = previous_session(session)
    results = results_of(session, previous)
    access_record(scope=scope, action="diagnostic.sheet_printed", target_type="learner",
                  target_id=session.learner_id, detail={"session": str(session.pk)})
    data = render_pdf("learner/diagnostic/sheet_pdf.html", {
        "session": session, "previous": previous, "results": results, "learner": session.learner,
        "needs_help": needs_human_help(results), "modules": recommended_modules(learner=session.learner,
                                                                                 results=results),
        "today": timezone.localdate()}, request=request)
    return pdf_response(data, "fiche-positionnement.pdf")
