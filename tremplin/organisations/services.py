from __future__ import annotations

import hashlib
import secrets
import smtplib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from tremplin.accounts.codes import format_code
from tremplin.accounts.models import User, stored_person_key
from tremplin.accounts.services import NewLearner, learner_create, learners_bulk_create, staff_create

from .access import NetworkScope
from .enums import MembershipRole, NetworkRole, TerritoryKind
from .imports import parse_learner_file
from .models import (
    Commune,
    Department,
    Enrolment,
    Invitation,
    LearnerImport,
    LearnerShare,
    Membership,
    NetworkInvitation,
    NetworkMembership,
    Organisation,
    Region,
    SignupLink,
    Territory,
)


def organisation_create(*, name: str, type: str, commune: Commune, siret: str = "", address: str = "") -> Organisation:
    org = Organisation(name=name.strip(), type=type, commune=commune, siret=siret.strip(), address=address.strip())
    org.full_clean()
    org.save()
    return org


def membership_add(*, user: User, organisation: Organisation, role: str = MembershipRole.TRAINER) -> Membership:
    if user.is_learner:
        raise ValueError("learners cannot be members of an organisation's staff")
    membership, _ = Membership.objects.update_or_create(user=user, organisation=organisation,
                                                        defaults={"role": role})
    return membership


def _enrolled_with(organisation: Organisation, client_token) -> Enrolment | None:
    """The enrolment this form already made, or ``None``; a token another organisation used is refused."""
    if client_token is None:
        return None
    existing = Enrolment.objects.select_related("learner").filter(client_token=client_token).first()
    if existing is not None and existing.organisation_id != organisation.pk:
        raise ValidationError(gettext("Ce formulaire n'est plus valable. Rechargez la page."))
    return existing


@transaction.atomic
def learner_enrol(*, organisation: Organisation, created_by: User | None, first_name: str, last_name: str = "",
                  birth_year: int | None = None, phone: str = "", pin: str | None = None,
                  login_code: str | None = None, contact_email: str = "", client_token=None) -> NewLearner:
    """A new learner followed by the organisation. The same form sent twice (``client_token``) enrols one person:
    the second time the first learner comes back with an empty ``pin`` (it was shown once; only its hash is
    kept, and the card waits in « Cartes à imprimer »)."""
    if (existing := _enrolled_with(organisation, client_token)) is not None:
        return NewLearner(user=existing.learner, pin="")
    try:
        with transaction.atomic():
            new = learner_create(first_name=first_name, last_name=last_name, birth_year=birth_year, phone=phone,
                                 pin=pin, login_code=login_code)
            Enrolment.objects.create(learner=new.user, organisation=organisation, created_by=created_by,
                                     contact_email=contact_email.strip().lower(), client_token=client_token)
    except IntegrityError:
        if (winner := _enrolled_with(organisation, client_token)) is not None:  # the other tap won the race
            return NewLearner(user=winner.learner, pin="")
        raise
    _audit(actor=created_by, action="learner.enrol", target_type="learner", target_id=new.user.pk,
           organisation_id=organisation.pk)
    return new


class AlreadyFollowed(ValueError):
    pass


@transaction.atomic
def learner_enrol_existing(*, organisation: Organisation, learner: User, actor: User) -> Enrolment:
    """A person who already has a code joins the organisation, with their consent (their history comes along)."""
    if not learner.is_learner or learner.is_guest or not learner.is_active:
        raise ValueError("only an active learner with a code can be enrolled this way")
    enrolment, created = Enrolment.objects.get_or_create(learner=learner, organisation=organisation,
                                                         defaults={"created_by": actor})
    if not created:
        raise AlreadyFollowed
    _audit(actor=actor, action="learner.enrol_existing", target_type="learner", target_id=learner.pk,
           organisation_id=organisation.pk, detail={"consent_at": timezone.now().isoformat()})
    return enrolment


@transaction.atomic
def learner_pins_reset(*, organisation: Organisation, learners: list[User], actor: User) -> dict[str, str]:
    """New PINs and new QR cards for learners the organisation follows (old cards stop working)."""
    from tremplin.accounts.services import learner_pins_issue

    followed = set(Enrolment.objects.filter(organisation=organisation, learner__in=learners)
                   .values_list("learner_id", flat=True))
    if any(u.pk not in followed for u in learners):
        raise ValueError("every learner must be followed by the organisation")
    pins = learner_pins_issue(learners=learners, renew_card=True)
    if len(learners) == 1:
        _audit(actor=actor, action="learner.pin_reset", target_type="learner", target_id=learners[0].pk,
               organisation_id=organisation.pk)
    else:
        _audit(actor=actor, action="learner.pin_reset", target_type="organisation", target_id=organisation.pk,
               organisation_id=organisation.pk, detail={"count": len(learners), "learners": list(pins)})
    return pins


# --- Organisation details and staff ------------------------------------------------------------------------------

INVITATION_DAYS = 14


def _audit(**kwargs) -> None:
    from tremplin.audit.services import audit_log

    audit_log(**kwargs)


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User, name: str, type: str, commune: Commune,
                        siret: str = "", address: str = "") -> Organisation:
    organisation.name, organisation.type, organisation.commune = " ".join(name.split()), type, commune
    organisation.siret, organisation.address = siret.replace(" ", "").strip(), address.strip()
    organisation.full_clean()
    organisation.save()
    _audit(actor=actor, action="organisation.update", target_type="organisation", target_id=organisation.pk,
           organisation_id=organisation.pk)
    return organisation


class InvitationNotSent(Exception):
    """The e-mail could not be sent; the invitation was not kept."""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(*, organisation: Organisation, email: str, role: str, invited_by: User,
                      accept_url_for: Callable[[str], str]) -> Invitation:
    """Invite a trainer by e-mail; ``accept_url_for(token)`` builds the absolute link sent to them."""
    email = User.objects.normalize_email(email).strip().lower()
    if role not in MembershipRole.values:
        raise ValueError("unknown role")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, token_hash=_token_hash(token), invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS))
    context = {"organisation": organisation, "invited_by": invited_by, "url": accept_url_for(token),
               "days": INVITATION_DAYS}
    try:
        send_mail(
            subject=gettext("Invitation à rejoindre %(name)s sur Tremplin")
            % {"name": " ".join(organisation.name.split())},
            message=render_to_string("trainer/organisation/invitation_email.txt", context),
            from_email=None, recipient_list=[email])
    except (OSError, smtplib.SMTPException) as exc:
        # Raising inside the transaction drops the invitation: no link exists that nobody received.
        raise InvitationNotSent(email) from exc
    _audit(actor=invited_by, action="invitation.create", target_type="invitation", target_id=invitation.pk,
           organisation_id=organisation.pk, detail={"email": email, "role": role})
    return invitation


def invitation_by_token(*, token: str) -> Invitation | None:
    """A pending, unexpired invitation for this token, or None."""
    if not token or len(token) > 100:
        return None
    return (Invitation.objects.select_related("organisation")
            .filter(token_hash=_token_hash(token), accepted_at__isnull=True, revoked_at__isnull=True,
                    expires_at__gt=timezone.now()).first())


def _invitation_take(invitation, *, user: User | None, first_name: str, last_name: str, password: str):
    """The part every invitation shares (a structure's or the network's), inside the caller's transaction: lock
    it, refuse a used, revoked or expired one, create the staff account if needed, mark it accepted.
    Returns the locked invitation and the person."""
    invitation = type(invitation).objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at or invitation.expires_at <= timezone.now():
        raise ValueError("invitation no longer valid")
    if user is None:
        user = staff_create(email=invitation.email, first_name=first_name, last_name=last_name, password=password)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation, user


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User | None = None, first_name: str = "",
                      last_name: str = "", password: str = "") -> User:
    """Join the organisation: with the signed-in staff account, or a new account created here."""
    invitation, user = _invitation_take(invitation, user=user, first_name=first_name, last_name=last_name,
                                        password=password)
    membership_add(user=user, organisation=invitation.organisation, role=invitation.role)
    _audit(actor=user, action="invitation.accept", target_type="invitation", target_id=invitation.pk,
           organisation_id=invitation.organisation_id)
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _audit(actor=actor, action="invitation.revoke", target_type="invitation", target_id=invitation.pk,
           organisation_id=invitation.organisation_id)


class LastAdminError(ValueError):
    """An organisation always keeps at least one admin."""


@transaction.atomic
def membership_update(*, membership: Membership, actor: User, role: str | None = None, remove: bool = False) -> None:
    others_admins = (Membership.objects.select_for_update().filter(organisation=membership.organisation,
                                                                   role=MembershipRole.ADMIN)
                     .exclude(pk=membership.pk).count())
    losing_admin = membership.role == MembershipRole.ADMIN and (remove or role != MembershipRole.ADMIN)
    if losing_admin and others_admins == 0:
        raise LastAdminError
    if remove:
        membership.delete()
    else:
        if role not in MembershipRole.values:
            raise ValueError("unknown role")
        membership.role = role
        membership.save(update_fields=["role"])
    _audit(actor=actor, action="membership.remove" if remove else "membership.update", target_type="user",
           target_id=membership.user_id, organisation_id=membership.organisation_id,
           detail={} if remove else {"role": role})


# --- Learners: one at a time, by file, duplicates, merge, sharing ---------------------------------------------


@transaction.atomic
def learner_import_prepare(*, organisation: Organisation, created_by: User, data: bytes,
                           filename: str = "") -> LearnerImport:
    """Parse the file and keep its rows server-side until the trainer confirms. Raises ImportFileError."""
    from .selectors import person_keys_in

    parsed = parse_learner_file(data, filename)
    keys = [stored_person_key(row["first_name"], row["last_name"], row["birth_year"]) for row in parsed.rows]
    existing = person_keys_in(organisation=organisation, keys=keys)
    rows, errors = [], list(parsed.errors)
    for row, key in zip(parsed.rows, keys, strict=True):
        if key in existing:
            errors.append({"line": row["line"], "message": gettext(
                "%(name)s existe déjà dans votre structure (code %(code)s)") % {
                "name": " ".join(filter(None, [row["first_name"], row["last_name"]])),
                "code": format_code(existing[key])}})
        else:
            rows.append(row)
    errors.sort(key=lambda e: e["line"])
    return LearnerImport.objects.create(organisation=organisation, created_by=created_by, filename=filename[:255],
                                        rows=rows, errors=errors)


class ImportNotReady(ValueError):
    """The import has errors or was already done: nothing is created."""


@transaction.atomic
def learner_import_confirm(*, learner_import: LearnerImport, actor: User) -> list[User]:
    """Create every learner of the file, or none."""
    learner_import = LearnerImport.objects.select_for_update().get(pk=learner_import.pk)
    if learner_import.status != LearnerImport.Status.PENDING or learner_import.errors or not learner_import.rows:
        raise ImportNotReady
    users = learners_bulk_create(people=learner_import.rows)
    Enrolment.objects.bulk_create(
        [Enrolment(learner=u, organisation=learner_import.organisation, created_by=actor,
                   contact_email=row.get("email", "")) for u, row in zip(users, learner_import.rows, strict=True)],
        batch_size=500)
    learner_import.status, learner_import.created_count = LearnerImport.Status.DONE, len(users)
    learner_import.rows = []  # the people now exist; do not keep a second copy of their details
    learner_import.save(update_fields=["status", "created_count", "rows"])
    _audit(actor=actor, action="learners.import", target_type="learner_import", target_id=learner_import.pk,
           organisation_id=learner_import.organisation_id,
           detail={"count": len(users), "filename": learner_import.filename})
    return users


@transaction.atomic
def learner_merge(*, organisation: Organisation, kept: User, duplicate: User, actor: User) -> dict[str, int]:
    """Fold ``duplicate`` into ``kept``, both followed by ``organisation`` (ADR 0008).

    The organisation's own rows about the duplicate (its enrolment, groups, attendance, assignments,
    notes, records) move to ``kept``. Rows of any other organisation are never moved or rewritten.
    What belongs to the person (learning events, progress, diagnostics, CV…) moves, and the duplicate
    account is closed, only when no other organisation follows the duplicate; otherwise the duplicate
    simply stops being followed here and keeps its account and history everywhere else.

    Relations are found through the model registry, so apps above this one (progress, coaching…) are
    covered without being imported. Where ``kept`` already has the unique row (same module, same
    organisation…), kept's row wins and the duplicate's is dropped; derived tables such as module
    progress must then be rebuilt by the caller.
    """
    if kept.pk == duplicate.pk or not kept.is_learner or not duplicate.is_learner:
        raise ValueError("merge needs two different learners")
    followed = Enrolment.objects.filter(learner__in=[kept, duplicate], organisation=organisation)
    if followed.count() != 2:
        raise ValueError("both learners must be followed by the organisation")
    shared = Enrolment.objects.filter(learner=duplicate).exclude(organisation=organisation).exists()
    moved: dict[str, int] = {}
    for model, name in _rows_about_a_learner():
        path = _organisation_path(model)
        if path is None and shared:
            continue  # the person's own history stays with the account other organisations follow
        rows = model._default_manager.filter(**{name: duplicate})
        if path is not None:
            rows = rows.filter(**{path: organisation})
        count = _reassign(rows, name, kept)
        if count:
            moved[model._meta.label] = count
    if shared:
        Enrolment.objects.filter(learner=duplicate, organisation=organisation).delete()
    else:
        duplicate.is_active = False
        duplicate.card_token = None
        duplicate.set_unusable_password()
        duplicate.save(update_fields=["is_active", "card_token", "password"])
    _audit(actor=actor, action="learner.merge", target_type="learner", target_id=kept.pk,
           organisation_id=organisation.pk,
           detail={"duplicate": str(duplicate.pk), "moved": moved, "shared": shared})
    return moved


_NOT_MERGED_APPS = {"audit", "admin", "axes", "sessions"}


def _rows_about_a_learner() -> list[tuple[Any, str]]:
    """(model, field) of every table whose rows point at a learner, from the model registry (so apps above
    this one are covered without being imported); many-to-many tables through their automatic table."""
    out = []
    for rel in User._meta.related_objects:
        model: Any = rel.related_model
        if model._meta.app_label in _NOT_MERGED_APPS:
            continue
        if rel.many_to_many:
            through: Any = getattr(rel, "through", None)
            if through is None or not through._meta.auto_created:
                continue  # an explicit through model has its own foreign key, met in this same loop
            field: Any = rel.field
            out.append((through, field.m2m_reverse_field_name()))
        else:
            out.append((model, rel.field.name))
    return out


@transaction.atomic
def learner_history_move(*, source: User, target: User) -> dict[str, int]:
    """Move every row about ``source`` to ``target`` (target's row wins on unique conflicts). For a guest
    whose device progress joins the account they signed in with (ADR 0010): a guest is followed by no
    organisation, so there is no other organisation's row to protect."""
    if source.pk == target.pk or not source.is_learner or not target.is_learner:
        raise ValueError("needs two different learners")
    if Enrolment.objects.filter(learner=source).exists():
        raise ValueError("the source is followed by an organisation: use learner_merge")
    moved: dict[str, int] = {}
    for model, name in _rows_about_a_learner():
        count = _reassign(model._default_manager.filter(**{name: source}), name, target)
        if count:
            moved[model._meta.label] = count
    return moved


def _organisation_path(model) -> str | None:
    """How rows of ``model`` reach the organisation that owns them: ``organisation`` on the row, or on a row
    it points to (attendance → workshop, group membership → group); ``None`` for rows about the person."""
    names = {f.name for f in model._meta.fields}
    if "organisation" in names:
        return "organisation"
    for f in model._meta.fields:
        if f.is_relation and f.many_to_one and "organisation" in {g.name for g in f.related_model._meta.fields}:
            return f"{f.name}__organisation"
    return None


def _reassign(rows, field_name: str, kept: User) -> int:
    try:
        with transaction.atomic():
            return rows.update(**{field_name: kept})
    except IntegrityError:
        pass
    count = 0
    model = rows.model
    for pk in list(rows.values_list("pk", flat=True)):
        one = model._default_manager.filter(pk=pk)
        try:
            with transaction.atomic():
                count += one.update(**{field_name: kept})
        except IntegrityError:
            one.delete()  # kept already has this row (same module, same organisation…)
    return count


class ShareError(ValueError):
    pass


@transaction.atomic
def learner_share(*, learner: User, from_organisation: Organisation, to_organisation: Organisation, actor: User,
                  consent: bool) -> LearnerShare:
    """Let another organisation follow this learner too. Needs the learner's consent, recorded here."""
    if not consent:
        raise ShareError("consent is required")
    if to_organisation.pk == from_organisation.pk:
        raise ShareError("same organisation")
    if Enrolment.objects.filter(learner=learner, organisation=to_organisation).exists():
        raise ShareError("already enrolled")
    Enrolment.objects.create(learner=learner, organisation=to_organisation, created_by=actor)
    share = LearnerShare.objects.create(learner=learner, from_organisation=from_organisation,
                                        to_organisation=to_organisation, consent_recorded_by=actor,
                                        consent_at=timezone.now())
    _audit(actor=actor, action="learner.share", target_type="learner", target_id=learner.pk,
           organisation_id=from_organisation.pk,
           detail={"to_organisation": str(to_organisation.pk), "consent_at": share.consent_at.isoformat()})
    return share


@transaction.atomic
def signup_link_create(*, organisation: Organisation, created_by: User, label: str = "",
                       hours: int = 24) -> SignupLink:
    link = SignupLink.objects.create(organisation=organisation, created_by=created_by, label=label.strip()[:120],
                                     token=secrets.token_urlsafe(18),
                                     expires_at=timezone.now() + timedelta(hours=hours))
    _audit(actor=created_by, action="signup_link.create", target_type="signup_link", target_id=link.pk,
           organisation_id=organisation.pk)
    return link


def signup_link_by_token(*, token: str) -> SignupLink | None:
    if not token or len(token) > 64:
        return None
    return (SignupLink.objects.select_related("organisation")
            .filter(token=token, expires_at__gt=timezone.now(), uses__lt=F("max_uses")).first())


class SignupClosed(ValueError):
    pass


@transaction.atomic
def signup_link_use(*, link: SignupLink, first_name: str) -> NewLearner:
    """A learner enrols themself from the workshop room's link."""
    link = SignupLink.objects.select_for_update().get(pk=link.pk)
    if link.expires_at <= timezone.now() or link.uses >= link.max_uses:
        raise SignupClosed
    new = learner_enrol(organisation=link.organisation, created_by=link.created_by, first_name=first_name)
    link.uses = F("uses") + 1
    link.save(update_fields=["uses"])
    _audit(actor=new.user, action="learner.signup", target_type="learner", target_id=new.user.pk,
           organisation_id=link.organisation_id, detail={"signup_link": str(link.pk)})
    return new


# --- the network above the structures (issue 11) ------------------------------------------------------------


class NetworkPermissionError(PermissionError):
    """The network scope may not do this (screens answer 404, as for a forged id)."""


class TerritoryError(ValueError):
    """A territory that cannot be created as asked; the message is French and shown to the user."""


def _national(scope: NetworkScope) -> bool:
    return scope.is_network_admin and scope.territory is None


@transaction.atomic
def territory_create(*, scope: NetworkScope, name: str, kind: str, region: Region | None = None,
                     departments: list[Department] | tuple[Department, ...] = ()) -> Territory:
    """A region, a department or a hub of several departments, created by the national team."""
    if not _national(scope):
        raise NetworkPermissionError("territory_create")
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise TerritoryError(gettext("Donnez un nom au territoire (200 caractères au plus)."))
    if kind not in TerritoryKind.values:
        raise TerritoryError(gettext("Choisissez le type de territoire."))
    if kind == TerritoryKind.REGION:
        if region is None:
            raise TerritoryError(gettext("Choisissez la région."))
        covered = list(region.departments.all())
    elif kind == TerritoryKind.DEPARTMENT:
        if len(departments) != 1:
            raise TerritoryError(gettext("Choisissez un département, un seul."))
        covered, region = list(departments), departments[0].region
    else:
        if len(departments) < 2:
            raise TerritoryError(gettext("Un hub coordonne au moins deux départements : choisissez-les."))
        covered, region = list(departments), None
    if Territory.objects.filter(name__iexact=name).exists():
        raise TerritoryError(gettext("Un territoire porte déjà ce nom."))
    try:
        with transaction.atomic():
            territory = Territory.objects.create(name=name, kind=kind, region=region, created_by=scope.user)
    except IntegrityError as exc:  # the same form sent twice at once
        raise TerritoryError(gettext("Un territoire porte déjà ce nom.")) from exc
    territory.departments.set(covered)
    _audit(actor=scope.user, action="territory.create", target_type="territory", target_id=territory.pk,
           detail={"kind": kind, "departments": sorted(d.code for d in covered)})
    return territory


def network_membership_add(*, user: User, role: str, territory: Territory | None) -> NetworkMembership:
    """Give someone a network role (used by invitations, the demo and the generator)."""
    if role not in NetworkRole.values or (territory is None and role != NetworkRole.NETWORK_ADMIN):
        raise ValueError("a coordinator or a funder belongs to a territory")
    membership, _ = NetworkMembership.objects.get_or_create(user=user, territory=territory,
                                                            defaults={"role": role})
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def network_invitation_create(*, scope: NetworkScope, email: str, role: str, territory: Territory | None,
                              accept_url_for: Callable[[str], str]) -> NetworkInvitation:
    """The national team invites a coordinator or a funder of a territory (or another national team member)."""
    if not _national(scope):
        raise NetworkPermissionError("network_invitation_create")
    if role not in NetworkRole.values or (territory is None and role != NetworkRole.NETWORK_ADMIN) \
            or (territory is not None and role == NetworkRole.NETWORK_ADMIN):
        raise ValueError("role and territory do not match")
    email = User.objects.normalize_email(email).strip().lower()
    token = secrets.token_urlsafe(32)
    invitation = NetworkInvitation.objects.create(
        email=email, role=role, territory=territory, token_hash=_token_hash(token), invited_by=scope.user,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS))
    context = {"territory": territory, "role": NetworkRole(role).label, "invited_by": scope.user,
               "url": accept_url_for(token), "days": INVITATION_DAYS}
    try:
        send_mail(subject=gettext("Invitation au pilotage du réseau Tremplin"),
                  message=render_to_string("network/invitation_email.txt", context),
                  from_email=None, recipient_list=[email])
    except (OSError, smtplib.SMTPException) as exc:
        raise InvitationNotSent(email) from exc
    _audit(actor=scope.user, action="network_invitation.create", target_type="network_invitation",
           target_id=invitation.pk, detail={"email": email, "role": role,
                                            "territory": str(territory.pk) if territory else "national"})
    return invitation


def network_invitation_by_token(*, token: str) -> NetworkInvitation | None:
    """A pending, unexpired network invitation for this token, or None."""
    if not isinstance(token, str) or not token or len(token) > 100 or "\x00" in token:
        return None
    return (NetworkInvitation.objects.select_related("territory")
            .filter(token_hash=_token_hash(token), accepted_at__isnull=True, revoked_at__isnull=True,
                    expires_at__gt=timezone.now()).first())


@transaction.atomic
def network_invitation_accept(*, invitation: NetworkInvitation, user: User | None = None, first_name: str = "",
                              last_name: str = "", password: str = "") -> User:
    """Take the network role: with the signed-in staff account, or a new staff account created here."""
    invitation, user = _invitation_take(invitation, user=user, first_name=first_name, last_name=last_name,
                                        password=password)
    network_membership_add(user=user, role=invitation.role, territory=invitation.territory)
    _audit(actor=user, action="network_invitation.accept", target_type="network_invitation",
           target_id=invitation.pk)
    return user


@transaction.atomic
def network_invitation_revoke(*, scope: NetworkScope, invitation: NetworkInvitation) -> None:
    if not _national(scope):
        raise NetworkPermissionError("network_invitation_revoke")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _audit(actor=scope.user, action="network_invitation.revoke", target_type="network_invitation",
           target_id=invitation.pk)


@transaction.atomic
def structure_create(*, scope: NetworkScope, name: str, type: str, commune: Commune, admin_email: str,
                     accept_url_for: Callable[[str], str]) -> Organisation:
    """A coordinator (or the national team) opens a structure of their territory and invites its manager, who
    then runs it like any structure (the coordinator is not a member: they see its figures, not its learners)."""
    if not scope.sees_structures or not scope.covers_department(commune.department_id):
        raise NetworkPermissionError("structure_create")
    organisation = organisation_create(name=name, type=type, commune=commune)
    invitation_create(organisation=organisation, email=admin_email, role=MembershipRole.ADMIN,
                      invited_by=scope.user, accept_url_for=accept_url_for)
    _audit(actor=scope.user, action="structure.create", target_type="organisation", target_id=organisation.pk,
           organisation_id=organisation.pk,
           detail={"territory": str(scope.territory.pk) if scope.territory else "national"})
    return organisation
