"""The organisation's details and staff: switching organisation, editing, inviting and managing members."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.organisations.access import found_or_404, scope_switch
from tremplin.organisations.enums import MembershipRole
from tremplin.organisations.selectors import invitation_of, invitations_of, is_member, members_of, membership_of
from tremplin.organisations.services import (
    InvitationNotSent,
    LastAdminError,
    invitation_create,
    invitation_revoke,
    membership_update,
    organisation_update,
)

from .decorators import trainer_required
from .forms_learners import InviteForm, MemberForm, OrganisationForm


@trainer_required(organisation=False, partners=True)
@require_POST
def organisation_switch(request, scope):
    new = scope_switch(request, organisation_id=request.POST.get("organisation"))
    if new is None:
        raise Http404
    messages.success(request, _("Vous travaillez maintenant pour : %(name)s.") % {"name": new.organisation.name})
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("trainer:home")
    return redirect(target)


@trainer_required
@require_GET
def organisation_detail(request, scope):
    return render(request, "trainer/organisation/detail.html", {
        "org": scope.organisation, "is_admin": scope.is_admin, "members": members_of(scope=scope),
        "invitations": invitations_of(scope=scope),
        "invite_form": InviteForm(), "roles": MembershipRole.choices,
    })


@trainer_required(admin=True)
@require_http_methods(["GET", "POST"])
def organisation_edit(request, scope):
    org = scope.organisation
    initial = {"name": org.name, "type": org.type, "siret": org.siret, "address": org.address,
               "commune": org.commune_id}
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        organisation_update(organisation=org, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Les informations de la structure sont enregistrées."))
        return redirect("trainer:organisation")
    return render(request, "trainer/organisation/edit.html", {"org": org, "form": form},
                  status=400 if form.errors else 200)


@trainer_required(admin=True)
@require_POST
def organisation_invite(request, scope):
    org = scope.organisation
    form = InviteForm(request.POST)
    if not form.is_valid():
        return render(request, "trainer/organisation/invite_error.html", {"form": form}, status=400)
    email = form.cleaned_data["email"].lower()
    if is_member(scope=scope, email=email):
        form.add_error("email", _("Cette personne fait déjà partie de la structure."))
        return render(request, "trainer/organisation/invite_error.html", {"form": form}, status=400)
    try:
        invitation_create(organisation=org, email=email, role=form.cleaned_data["role"], invited_by=request.user,
                          accept_url_for=lambda token: request.build_absolute_uri(
                              reverse("join:invitation", args=[token])))
    except InvitationNotSent:
        form.add_error("email", _("L'e-mail n'a pas pu partir. Rien n'a été enregistré : réessayez dans quelques "
                                  "minutes."))
        return render(request, "trainer/organisation/invite_error.html", {"form": form}, status=503)
    messages.success(request, _("Invitation envoyée à %(email)s. Le lien marche 14 jours.") % {"email": email})
    return redirect("trainer:organisation")


@trainer_required(admin=True)
@require_POST
def invitation_cancel(request, pk, scope):
    invitation = found_or_404(invitation_of(scope=scope, invitation_id=pk))
    invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, _("L'invitation est annulée."))
    return redirect("trainer:organisation")


@trainer_required(admin=True)
@require_POST
def member_update(request, user_id, scope):
    membership = found_or_404(membership_of(scope=scope, user_id=user_id))
    remove = request.POST.get("action") == "remove"
    form = MemberForm(request.POST)
    if not remove and not form.is_valid():
        messages.error(request, _("Choisissez un rôle dans la liste."))
        return redirect("trainer:organisation")
    try:
        membership_update(membership=membership, actor=request.user, remove=remove,
                          role=None if remove else form.cleaned_data["role"])
    except LastAdminError:
        messages.error(request, _("La structure doit garder au moins un responsable."))
        return redirect("trainer:organisation")
    if remove:
        messages.success(request, _("%(name)s ne fait plus partie de la structure.")
                         % {"name": membership.user.display_name})
    else:
        messages.success(request, _("Le rôle de %(name)s est enregistré.") % {"name": membership.user.display_name})
    if membership.user_id == request.user.id and (remove or form.cleaned_data["role"] != MembershipRole.ADMIN):
        return redirect("trainer:home")
    return redirect("trainer:organisation")
