"""Open access: « Garder ma progression », the card to keep, and joining a device's progress to an account."""

from __future__ import annotations

import time

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.accounts.device import COOKIE, device_guest
from tremplin.accounts.guests import AlreadyKept, guest_keep
from tremplin.accounts.services import learner_pin_reset
from tremplin.api.keys import former_key_keep
from tremplin.progress.services import guest_attach

from .decorators import learner_required

KEPT_KEY = "guest_kept"  # {"id": user id, "at": time}: this session turned the guest into a learner just now
REISSUE_SECONDS = 15 * 60


class KeepForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("Votre prénom"), max_length=100,
                                 help_text=gettext_lazy("Il sera écrit sur votre carte."),
                                 error_messages={"required": gettext_lazy("Écrivez votre prénom.")})

    def clean_first_name(self):
        value = " ".join(self.cleaned_data["first_name"].replace("\x00", "").split())
        if not value:
            raise forms.ValidationError(_("Écrivez votre prénom."))
        return value


def _card(request: HttpRequest, user, pin: str) -> HttpResponse:
    url = settings.SITE_URL.rstrip("/") + reverse("accounts:card_login", args=[user.card_token])
    return render(request, "learner/guest/card.html", {
        "learner": user, "pin": pin, "qr": segno.make(url, error="m").svg_data_uri(scale=5, border=2),
        "sign_in_url": settings.SITE_URL.rstrip("/") + reverse("accounts:learner_login"),
    })


@learner_required
@require_http_methods(["GET", "POST"])
def keep(request: HttpRequest) -> HttpResponse:
    """One tap: a personal code and a PIN for the person learning on this device; nothing done is lost."""
    user = request.user
    kept = request.session.get(KEPT_KEY) or {}
    just_kept = kept.get("id") == str(user.pk) and time.time() - kept.get("at", 0) < REISSUE_SECONDS
    if not user.is_guest and not just_kept:
        messages.info(request, _("Votre progression est déjà gardée avec votre code %(code)s.")
                      % {"code": user.login_code_display})
        return redirect("learner:home")
    form = KeepForm(request.POST or None, initial={"first_name": user.first_name})
    if request.method == "POST" and form.is_valid():
        try:
            new = guest_keep(guest=user, first_name=form.cleaned_data["first_name"])
            user, pin = new.user, new.pin
        except AlreadyKept:
            # A double tap or a second tab: the first answer never reached the screen, so give a new PIN
            # for the same account (nothing is created twice).
            user.refresh_from_db()
            pin = learner_pin_reset(learner=user)
        update_session_auth_hash(request, user)  # the new PIN must not sign this device out
        request.session[KEPT_KEY] = {"id": str(user.pk), "at": time.time()}
        request.device = ("forget", None)  # from now on the code and PIN open the account, not the device
        request.user = user  # the header of this very page must no longer offer to keep the progress
        return _card(request, user, pin)
    return render(request, "learner/guest/keep.html", {"form": form}, status=400 if form.errors else 200)


@learner_required
@require_POST
def attach(request: HttpRequest) -> HttpResponse:
    """A person signed in with their code while this device holds progress made without an account."""
    guest = device_guest(request.COOKIES.get(COOKIE))
    request.device = ("forget", None)
    if request.POST.get("action") == "add" and guest is not None and not request.user.is_guest:
        former_key_keep(request, guest)  # answers the device still queues under the guest's key join too
        count = guest_attach(guest=guest, learner=request.user)
        messages.success(request, _("C'est fait : ce que vous avez fait sur ce téléphone est dans votre compte.")
                         if count else _("C'était déjà fait."))
    else:
        messages.info(request, _("D'accord. Ce qui a été fait sans compte sur ce téléphone n'est pas ajouté."))
    return redirect("learner:home")
