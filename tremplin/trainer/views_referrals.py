"""Referrals (« orientations », ADR 0011): a partner professional sends a person to a structure; the structure
accepts, redirects, contacts, enrols and invites them; the partner sees how far the person got, nothing more."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.coaching import selectors, services
from tremplin.coaching.enums import THEME_LABELS
from tremplin.organisations.access import access_record, found_or_404

from . import cards as card_store
from .decorators import trainer_required
from .forms_coaching import RedirectForm, ReferralForm
from .views_coaching import apply_errors

PAGE = 30


# --- the partner's side ---------------------------------------------------------------------------

@trainer_required(partners=True)
@require_GET
def referral_sent_list(request: HttpRequest, scope) -> HttpResponse:
    page = Paginator(selectors.referrals_sent_of(scope=scope), PAGE).get_page(request.GET.get("page"))
    outcomes = selectors.referral_outcomes(list(page))
    return render(request, "trainer/referrals/sent.html", {
        "page": page, "rows": [{"referral": r, "outcome": outcomes[r.pk]} for r in page]})


@trainer_required(partners=True)
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, scope) -> HttpResponse:
    query = request.GET.get("recherche", "")
    targets = selectors.referral_targets(scope=scope, text=query)
    if request.method == "POST":  # the structure chosen may come from another search: look it up again
        chosen = selectors.referral_target(scope=scope, organisation_id=request.POST.get("organisation"))
        targets = ([chosen] if chosen else []) + [t for t in targets if not chosen or t.pk != chosen.pk]
    form = ReferralForm(request.POST or None, targets=targets, initial={"token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral, created = services.referral_send(
                from_organisation=scope.organisation, sent_by=request.user,
                to_organisation=found_or_404(chosen), client_token=data["token"],
                first_name=data["first_name"], phone=data["phone"], themes=data["themes"],
                urgency=data["urgency"], diagnostic_note=data["diagnostic_note"], consent=data["consent"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if created:
                messages.success(request, _("C'est envoyé à %(org)s.") % {"org": referral.organisation.name})
            return redirect("trainer:referral_slip", referral_id=referral.pk)
    return render(request, "trainer/referrals/create.html", {"form": form, "query": query},
                  status=400 if form.errors else 200)


@trainer_required(partners=True)
@require_GET
def referral_slip(request: HttpRequest, referral_id, scope) -> HttpResponse:
    """The slip to hand to the person (printable): where to go, how to reach the structure, the reference."""
    referral = found_or_404(selectors.referral_sent_of(scope=scope, referral_id=referral_id))
    organisation = referral.organisation
    return render(request, "trainer/referrals/slip.html", {
        "referral": referral, "organisation": organisation, "place": getattr(organisation, "place", None),
        "themes": [THEME_LABELS.get(t, t) for t in referral.themes]})


# --- the structure's side -------------------------------------------------------------------------

@trainer_required
@require_GET
def referral_list(request: HttpRequest, scope) -> HttpResponse:
    page = Paginator(selectors.referrals_of(scope=scope), PAGE).get_page(request.GET.get("page"))
    return render(request, "trainer/referrals/received.html", {"page": page})


def _detail(request, scope, referral, *, redirect_form=None, status=200):
    targets = selectors.referral_targets(scope=scope, text=request.GET.get("recherche", ""))
    targets = [t for t in targets if t.pk != referral.from_organisation_id]
    return render(request, "trainer/referrals/detail.html", {
        "referral": referral, "themes": [THEME_LABELS.get(t, t) for t in referral.themes],
        "outcome": selectors.referral_outcomes([referral])[referral.pk],
        "redirect_form": redirect_form or RedirectForm(targets=targets),
        "workshops": selectors.workshops_of(scope=scope, since=timezone.localdate())[:10],
        "query": request.GET.get("recherche", "")}, status=status)


@trainer_required
@require_GET
def referral_detail(request: HttpRequest, referral_id, scope) -> HttpResponse:
    referral = found_or_404(selectors.referral_of(scope=scope, referral_id=referral_id))
    access_record(scope=scope, action="referral.view", target_type="referral", target_id=referral.pk)
    return _detail(request, scope, referral)


@trainer_required
@require_POST
def referral_act(request: HttpRequest, referral_id, scope) -> HttpResponse:
    referral = found_or_404(selectors.referral_of(scope=scope, referral_id=referral_id))
    action = request.POST.get("action")
    if action == "accept":
        services.referral_accept(referral=referral, actor=request.user)
        messages.success(request, _("Orientation acceptée. Contactez la personne."))
    elif action == "contacted":
        services.referral_contacted(referral=referral, actor=request.user)
        messages.success(request, _("C'est noté : la personne est contactée."))
    elif action == "enrol":
        learner, pin = services.referral_enrol(referral=referral, actor=request.user)
        if pin is None:
            messages.info(request, _("Cette personne est déjà inscrite."))
            return redirect("trainer:learner_account", pk=learner.pk)
        card_store.pending_add(request, scope.organisation, ids=[str(learner.pk)], pins={str(learner.pk): pin})
        return render(request, "trainer/learners/enrolled.html", {
            "org": scope.organisation, "learner": learner, "pin": pin,
            "pending_count": len(card_store.pending(request, scope.organisation)["ids"])})
    elif action == "invite":
        workshop = found_or_404(selectors.workshop_of(scope=scope, workshop_id=request.POST.get("workshop")))
        services.referral_invite(referral=referral, workshop=workshop, actor=request.user)
        messages.success(request, _("Invitation notée pour l'atelier du %(date)s.")
                         % {"date": workshop.date.strftime("%d/%m")})
    elif action == "redirect":
        target = selectors.referral_target(scope=scope, organisation_id=request.POST.get("organisation"))
        form = RedirectForm(request.POST, targets=[target] if target else [])
        if form.is_valid() and target is not None:
            try:
                services.referral_redirect(referral=referral, to_organisation=target, actor=request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("L'orientation est envoyée à %(org)s.") % {"org": target.name})
                return redirect("trainer:referral_list")
        return _detail(request, scope, referral, redirect_form=form, status=400)
    else:
        messages.error(request, _("Choisissez une action."))
    return redirect("trainer:referral_detail", referral_id=referral.pk)
