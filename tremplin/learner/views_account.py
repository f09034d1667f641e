"""« Mon compte »: what Tremplin keeps about the learner and who can see it, a copy (PDF, JSON), erasure.

Plain forms, no JavaScript. The person reads only their own rows (``request.user``); the erasure itself is the
domain's (``privacy.erasure.learner_erase``), and the person is signed out once it is done.
"""

from __future__ import annotations

import json

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.lib.pdf import pdf_response
from tremplin.privacy.erasure import learner_erase
from tremplin.privacy.rights import personal_data_export, personal_data_pdf, summary_of

from .decorators import learner_required

ERASED_SESSION_KEY = "privacy:erased_reference"


@learner_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "learner/account/home.html", {"summary": summary_of(learner=request.user)})


@learner_required
@require_GET
def account_pdf(request: HttpRequest) -> HttpResponse:
    data = personal_data_export(learner=request.user, actor=request.user, file_format="pdf")
    return pdf_response(personal_data_pdf(data=data, request=request), "mes-donnees-tremplin.pdf", inline=False)


@learner_required
@require_GET
def account_json(request: HttpRequest) -> HttpResponse:
    data = personal_data_export(learner=request.user, actor=request.user, file_format="json")
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-tremplin.json"'
    return response


@learner_required
@require_http_methods(["GET", "POST"])
def account_erase(request: HttpRequest) -> HttpResponse:
    summary = summary_of(learner=request.user)
    if request.method == "POST":
        if request.POST.get("confirm") != "oui":
            return render(request, "learner/account/erase.html", {
                "summary": summary, "error": _("Cochez la case pour dire que vous êtes sûr ou sûre.")}, status=400)
        erasure = learner_erase(learner_id=request.user.pk, actor=request.user, requested_by="learner")
        logout(request)  # the account is gone: this browser forgets it too
        request.session[ERASED_SESSION_KEY] = erasure.reference
        return redirect("learner:account_erased")
    return render(request, "learner/account/erase.html", {"summary": summary})


@learner_required(open_to_all=True)
@require_GET
def account_erased(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(ERASED_SESSION_KEY, "")
    if request.user.is_authenticated or not reference:
        return redirect("learner:home")
    return render(request, "learner/account/erased.html", {"reference": reference})
