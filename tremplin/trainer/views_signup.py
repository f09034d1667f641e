"""Public pages reached from a link: a trainer's invitation, and a workshop room's sign-up link for learners."""

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tremplin.accounts.selectors import user_by_email
from tremplin.organisations.access import scope_switch
from tremplin.organisations.services import (
    SignupClosed,
    invitation_accept,
    invitation_by_token,
    signup_link_by_token,
    signup_link_use,
)

from .forms_learners import AcceptInvitationForm, SelfSignupForm

BACKEND = "django.contrib.auth.backends.ModelBackend"


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    invite = invitation_by_token(token=token)
    if invite is None:
        return render(request, "accounts/signup/invitation_invalid.html", status=404)
    existing = user_by_email(email=invite.email)
    signed_in = request.user if request.user.is_authenticated else None
    if existing is not None:
        if signed_in is None or signed_in.pk != existing.pk:
            next_url = reverse("accounts:staff_login") + "?next=" + request.path
            return render(request, "accounts/signup/invitation_sign_in.html",
                          {"invite": invite, "sign_in_url": next_url, "other_account": signed_in is not None})
        if request.method == "POST":
            invitation_accept(invitation=invite, user=existing)
            scope_switch(request, organisation_id=invite.organisation_id)
            return redirect("trainer:home")
        return render(request, "accounts/signup/invitation_join.html", {"invite": invite})
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = invitation_accept(invitation=invite, first_name=form.cleaned_data["first_name"],
                                 last_name=form.cleaned_data["last_name"], password=form.cleaned_data["password"])
        if signed_in is not None:
            logout(request)
        user.backend = BACKEND
        login(request, user)
        scope_switch(request, organisation_id=invite.organisation_id)
        return redirect("trainer:home")
    return render(request, "accounts/signup/invitation_accept.html", {"invite": invite, "form": form},
                  status=400 if form.errors else 200)


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request, token):
    """A learner in a workshop room enrols themself: first name in, code and PIN out, signed in."""
    link = signup_link_by_token(token=token)
    if link is None:
        return render(request, "accounts/signup/signup_closed.html", status=404)
    form = SelfSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = signup_link_use(link=link, first_name=form.cleaned_data["first_name"])
        except SignupClosed:
            return render(request, "accounts/signup/signup_closed.html", status=404)
        if request.user.is_authenticated:
            logout(request)
        new.user.backend = BACKEND
        login(request, new.user)
        return render(request, "accounts/signup/signup_done.html", {"learner": new.user, "pin": new.pin})
    return render(request, "accounts/signup/signup.html", {"link": link, "form": form},
                  status=400 if form.errors else 200)
