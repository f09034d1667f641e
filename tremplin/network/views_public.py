"""The public page of a network invitation: the link in the e-mail opens it; it creates the staff account (or
adds the role to the signed-in one) and leads to /pilotage/."""

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tremplin.accounts.selectors import user_by_email
from tremplin.organisations.access import network_scope_switch
from tremplin.organisations.services import network_invitation_accept, network_invitation_by_token
from tremplin.trainer.forms_learners import AcceptInvitationForm

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _joined(request, invite):
    if invite.territory_id:
        network_scope_switch(request, territory_id=invite.territory_id)
    return redirect("network:home")


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    invite = network_invitation_by_token(token=token)
    if invite is None:
        return render(request, "network/invitation_invalid.html", status=404)
    existing = user_by_email(email=invite.email)
    signed_in = request.user if request.user.is_authenticated else None
    if existing is not None:
        if signed_in is None or signed_in.pk != existing.pk:
            next_url = reverse("accounts:staff_login") + "?next=" + request.path
            return render(request, "network/invitation_sign_in.html",
                          {"invite": invite, "sign_in_url": next_url, "other_account": signed_in is not None})
        if request.method == "POST":
            network_invitation_accept(invitation=invite, user=existing)
            return _joined(request, invite)
        return render(request, "network/invitation_join.html", {"invite": invite})
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = network_invitation_accept(invitation=invite, first_name=form.cleaned_data["first_name"],
                                         last_name=form.cleaned_data["last_name"],
                                         password=form.cleaned_data["password"])
        if signed_in is not None:
            logout(request)
        user.backend = BACKEND
        login(request, user)
        return _joined(request, invite)
    return render(request, "network/invitation_accept.html", {"invite": invite, "form": form},
                  status=400 if form.errors else 200)
