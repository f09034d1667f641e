import math

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from .forms import LearnerLoginForm, StaffLoginForm
from .selectors import learner_by_card_token
from .services import sign_in_attempt_start, sign_in_failure_record


def _safe_next(request: HttpRequest, default: str) -> str:
    target = (request.POST.get("next") or request.GET.get("next") or "").replace("\x00", "")
    # Only a path of this site (« /apprendre/ »): a bare word would be taken for a URL name by redirect().
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                                 require_https=request.is_secure()):
        return target
    return default


def _too_many_attempts(request: HttpRequest, form, template: str, wait: int) -> HttpResponse:
    """Too many failed sign-ins from this connection: this attempt is refused before any PIN is checked."""
    if wait < 60:
        delay = ngettext("%(n)s seconde", "%(n)s secondes", wait) % {"n": wait}
    else:
        minutes = math.ceil(wait / 60)
        delay = ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    form.add_error(None, _("Beaucoup d'essais de connexion ont échoué depuis ce lieu. Par sécurité, attendez "
                           "%(delay)s puis réessayez. Votre compte n'est pas bloqué.") % {"delay": delay})
    response = render(request, template, {"form": form, "next": request.GET.get("next", "")}, status=429)
    response["Retry-After"] = str(wait)
    return response


def home_for(user) -> str:
    from django.urls import reverse

    return reverse("learner:home") if user.is_learner else reverse("trainer:home")


@login_not_required
@require_http_methods(["GET", "POST"])
def learner_login(request: HttpRequest) -> HttpResponse:
    # A guest (open access) who has a card signs in here; the device's progress is offered afterwards.
    if request.user.is_authenticated and not request.user.is_guest and request.method == "GET":
        return redirect(home_for(request.user))
    form = LearnerLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = sign_in_attempt_start(request=request)
        if wait:
            return _too_many_attempts(request, form, "accounts/learner_login.html", wait)
        user = authenticate(request, username=form.cleaned_data["code"], password=form.cleaned_data["pin"])
        if user is not None and user.is_learner:
            login(request, user)
            if not form.cleaned_data["remember"]:
                request.session.set_expiry(0)  # shared computer: signed out when the browser closes
            return redirect(_safe_next(request, home_for(user)))
        sign_in_failure_record(request=request)
        form.refuse(_("Le code ou le code secret n'est pas bon. Vérifiez votre carte et réessayez. "
                               "Après 5 erreurs, le compte est bloqué 15 minutes."))
    return render(request, "accounts/learner_login.html",
                  {"form": form, "next": request.GET.get("next", "")}, status=200 if not form.errors else 400)


@login_not_required
@require_http_methods(["GET", "POST"])
def staff_login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(home_for(request.user))
    form = StaffLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = sign_in_attempt_start(request=request)
        if wait:
            return _too_many_attempts(request, form, "accounts/staff_login.html", wait)
        email = form.cleaned_data["email"].lower()
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if user is not None and not user.is_learner:
            login(request, user)
            if not form.cleaned_data["remember"]:
                request.session.set_expiry(0)  # shared computer: signed out when the browser closes
            return redirect(_safe_next(request, home_for(user)))
        sign_in_failure_record(request=request)
        form.add_error(None, _("L'adresse e-mail ou le mot de passe n'est pas bon. "
                               "Après 5 erreurs, le compte est bloqué 15 minutes."))
    return render(request, "accounts/staff_login.html",
                  {"form": form, "next": request.GET.get("next", "")}, status=200 if not form.errors else 400)


@login_not_required
@require_http_methods(["GET", "POST"])
def card_login(request: HttpRequest, token: str) -> HttpResponse:
    """The QR code on a learner's card opens this page; one tap signs them in.

    Signing in needs a POST so that link previews and scanners never open a session.
    """
    learner = learner_by_card_token(token=token)
    if learner is None:
        return render(request, "accounts/card_invalid.html", status=404)
    if request.method == "POST":
        if request.user.is_authenticated and request.user != learner:
            logout(request)
        learner.backend = "django.contrib.auth.backends.ModelBackend"
        login(request, learner)
        return redirect("learner:home")
    return render(request, "accounts/card_login.html", {"learner": learner})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    was_learner = request.user.is_learner
    logout(request)
    messages.success(request, _("Vous êtes déconnecté. À bientôt !"))
    return redirect("accounts:learner_login" if was_learner else "accounts:staff_login")


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes calls this once an account has had 5 failed sign-ins."""
    staff = request.resolver_match and request.resolver_match.url_name == "staff_login"
    template = "accounts/staff_login.html" if staff else "accounts/learner_login.html"
    form = StaffLoginForm() if staff else LearnerLoginForm()
    return render(request, template, {"form": form, "locked": True, "next": ""}, status=429)
