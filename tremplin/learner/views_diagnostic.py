"""The skills diagnostic, for learners: one question per screen, plain forms, works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.catalog.answers import InvalidAnswer
from tremplin.diagnostic import engine
from tremplin.diagnostic.models import DiagnosticImage
from tremplin.diagnostic.scoring import display_order
from tremplin.diagnostic.selectors import (
    completed_sessions_of,
    framework_release,
    needs_human_help,
    next_version_for,
    open_session_of,
    previous_session,
    recommended_modules,
    results_of,
    session_of,
    version_shown,
)
from tremplin.diagnostic.services import answer_submit, session_complete, session_profile_save, session_start
from tremplin.lib.pdf import pdf_response, render_pdf
from tremplin.organisations.selectors import organisations_following_learner

from .decorators import learner_required
from .guests import acting_learner


def _session_or_404(request, session_id):
    session = session_of(learner=request.user, session_id=session_id)
    if session is None:
        raise Http404("positionnement inconnu")
    return session


def image_urls() -> dict[str, str]:
    return {name: reverse("learner:diagnostic_image", args=[sha, name])
            for name, sha in DiagnosticImage.objects.values_list("name", "sha")}


def question_context(version, *, number: int, error: str = "") -> dict:
    data = version.data
    choices = data.get("choices") or []
    return {
        "version": version, "item": version.item, "data": data, "number": number, "max_items": engine.Config().max_items,
        "choices": [{"index": i, **choices[i]} for i in display_order(version.item.slug, version.kind, len(choices))],
        "ranks": range(1, len(choices) + 1),
        "image_url": image_urls().get(data.get("image") or "", ""),
        "form_error": error,
    }


@learner_required(open_to_all=True)
@require_http_methods(["GET", "POST"])
def diagnostic_home(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        session = session_start(learner=acting_learner(request))
        return redirect("learner:diagnostic_question", session_id=session.pk)
    known = request.user.is_authenticated
    return render(request, "learner/diagnostic/home.html", {
        "open_session": open_session_of(learner=request.user) if known else None,
        "last": completed_sessions_of(learner=request.user).first() if known else None,
    })


@learner_required
@require_http_methods(["GET", "POST"])
def diagnostic_profile(request: HttpRequest, session_id) -> HttpResponse:
    session = _session_or_404(request, session_id)
    if session.profile is not None or session.is_completed:
        return redirect("learner:diagnostic_question", session_id=session.pk)
    release = framework_release()
    questions = release.profile_questions if release else []
    if request.method == "POST":
        profile = {}
        if request.POST.get("action") != "skip":
            for q in questions:
                allowed = {c["value"] for c in q["choices"]}
                profile[q["slug"]] = [v for v in request.POST.getlist(q["slug"])[:6] if v in allowed]
        session_profile_save(session=session, profile=profile)
        return redirect("learner:diagnostic_question", session_id=session.pk)
    return render(request, "learner/diagnostic/profile.html", {"session": session, "questions": questions})


@learner_required
@require_http_methods(["GET", "POST"])
def diagnostic_question(request: HttpRequest, session_id) -> HttpResponse:
    session = _session_or_404(request, session_id)
    if session.is_completed:
        return redirect("learner:diagnostic_results", session_id=session.pk)
    if session.profile is None and session.mode != "paper":
        return redirect("learner:diagnostic_profile", session_id=session.pk)
    if request.method == "POST":
        shown = version_shown(slug=request.POST.get("item", ""), version=request.POST.get("version", ""))
        if shown is None or not shown.item.is_active:
            messages.info(request, _("Cette question a changé. Voici la question à laquelle répondre maintenant."))
            return redirect("learner:diagnostic_question", session_id=session.pk)
        try:
            _answer, created = answer_submit(session=session, version=shown, raw=request.POST)
        except InvalidAnswer as exc:
            return render(request, "learner/diagnostic/question.html", question_context(
                shown, number=session.answers.count() + 1, error=str(exc)), status=400)
        if not created:
            messages.info(request, _("Vous avez déjà répondu à cette question. Votre première réponse est gardée."))
        return redirect("learner:diagnostic_question", session_id=session.pk)
    version = next_version_for(session)
    if version is None:
        session_complete(session=session)
        return redirect("learner:diagnostic_results", session_id=session.pk)
    return render(request, "learner/diagnostic/question.html", question_context(
        version, number=session.answers.count() + 1))


def results_context(session, learner) -> dict:
    previous = previous_session(session)
    results = results_of(session, previous)
    organisations = organisations_following_learner(learner=learner)
    return {"session": session, "results": results, "previous": previous,
            "modules": recommended_modules(learner=learner, results=results),
            "needs_help": needs_human_help(results), "organisations": organisations}


@learner_required
@require_GET
def diagnostic_results(request: HttpRequest, session_id) -> HttpResponse:
    session = _session_or_404(request, session_id)
    if not session.is_completed:
        return redirect("learner:diagnostic_question", session_id=session.pk)
    return render(request, "learner/diagnostic/results.html", results_context(session, request.user))


@learner_required
@require_GET
def diagnostic_sheet(request: HttpRequest, session_id) -> HttpResponse:
    session = _session_or_404(request, session_id)
    if not session.is_completed:
        return redirect("learner:diagnostic_question", session_id=session.pk)
    data = render_pdf("learner/diagnostic/sheet_pdf.html", {
        **results_context(session, request.user), "learner": request.user, "today": timezone.localdate()},
        request=request)
    return pdf_response(data, "mon-positionnement.pdf")


@login_not_required
@require_GET
@cache_control(public=True, max_age=31536000, immutable=True)
def diagnostic_image(request: HttpRequest, sha: str, name: str) -> HttpResponse:
    image = get_object_or_404(DiagnosticImage, name=name)
    if image.sha != sha:
        return redirect(reverse("learner:diagnostic_image", args=[image.sha, name]))
    response = HttpResponse(image.content, content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
