"""Writes of the coaching domain: groups, workshops, attendance, assignments, notes, records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.accounts.models import User
from tremplin.audit.services import audit_log
from tremplin.catalog.models import Module, Track
from tremplin.organisations.models import Commune, Enrolment, Organisation

from .enums import (
    THEME_LABELS,
    AccompanimentType,
    Autonomie,
    Genre,
    Materiel,
    ReferralStatus,
    ReferralUrgency,
    StatutSocial,
    StructureDeRedirection,
    TrancheAge,
    TypeLieu,
    WorkshopLevel,
)
from .models import Accompaniment, Assignment, Attendance, Group, Note, Referral, Workshop


def _check_enrolled(organisation: Organisation, learners: list[User], field_name: str = "members") -> None:
    ids = {u.pk for u in learners}
    enrolled = set(Enrolment.objects.filter(organisation=organisation, learner_id__in=ids)
                   .values_list("learner_id", flat=True))
    if ids - enrolled:
        raise ValidationError({field_name: _("Ces personnes ne sont pas suivies par votre structure.")})


# --- forms sent twice ----------------------------------------------------------------------------------
# Every creating form carries a hidden UUID made when it is shown (``client_token``), stored on the row it
# creates (a unique column). The same form sent twice (a double tap, a slow network, « renvoyer » in the
# browser) gives the first row back instead of a second one.

def stale_form_error() -> ValidationError:
    return ValidationError(_("Ce formulaire n'est plus valable. Rechargez la page."))


def _already_created(model, *, organisation: Organisation, client_token):
    """The row this form already created, or ``None``; a token used by another organisation is refused
    (nothing about that row is said)."""
    if client_token is None:
        return None
    existing = model.objects.filter(client_token=client_token).first()
    if existing is not None and existing.organisation_id != organisation.pk:
        raise stale_form_error()
    return existing


def _create_once(model, *, organisation: Organisation, client_token, create) -> tuple:
    """``(create(), True)`` in a savepoint; ``(its row, False)`` when the other tap of a double submit won the
    race. Any other IntegrityError goes up."""
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        if client_token is not None:
            winner = _already_created(model, organisation=organisation, client_token=client_token)
            if winner is not None:
                return winner, False
        raise


# --- groups -----------------------------------------------------------------------------------------

@transaction.atomic
def group_create(*, organisation: Organisation, name: str, members: list[User], created_by: User,
                 client_token=None) -> Group:
    if existing := _already_created(Group, organisation=organisation, client_token=client_token):
        return existing
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Donnez un nom au groupe.")})
    if Group.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError({"name": _("Un groupe porte déjà ce nom.")})
    _check_enrolled(organisation, members)
    try:
        group, created = _create_once(
            Group, organisation=organisation, client_token=client_token,
            create=lambda: Group.objects.create(organisation=organisation, name=name[:120], created_by=created_by,
                                                client_token=client_token))
    except IntegrityError as exc:  # two « new group » with the same name at the same moment: one wins
        raise ValidationError({"name": _("Un groupe porte déjà ce nom.")}) from exc
    if created:
        group.members.set(members)
    return group


@transaction.atomic
def group_update(*, group: Group, name: str, members: list[User]) -> Group:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Donnez un nom au groupe.")})
    if Group.objects.filter(organisation=group.organisation, name__iexact=name).exclude(pk=group.pk).exists():
        raise ValidationError({"name": _("Un groupe porte déjà ce nom.")})
    _check_enrolled(group.organisation, members)
    group.name = name[:120]
    group.save(update_fields=["name"])
    group.members.set(members)
    return group


# --- workshops ----------------------------------------------------------------------------------------

@transaction.atomic
def workshop_create(*, organisation: Organisation, created_by: User, title: str, date: dt.date,
                    start_time: dt.time, duration_minutes: int, theme: str, level: str = WorkshopLevel.DEBUTANT,
                    place: str = "", group: Group | None = None, venue=None, client_token=None) -> Workshop:
    if existing := _already_created(Workshop, organisation=organisation, client_token=client_token):
        return existing
    if group is not None and group.organisation_id != organisation.pk:
        raise ValidationError({"group": _("Ce groupe n'existe pas dans votre structure.")})
    if theme not in THEME_LABELS:
        raise ValidationError({"theme": _("Choisissez une thématique de la liste.")})
    if level not in WorkshopLevel.values:
        raise ValidationError({"level": _("Choisissez un niveau de la liste.")})
    if not 5 <= duration_minutes <= 600:
        raise ValidationError({"duration_minutes": _("La durée va de 5 à 600 minutes.")})
    workshop, _created = _create_once(Workshop, organisation=organisation, client_token=client_token, create=lambda: (
        Workshop.objects.create(organisation=organisation, created_by=created_by, title=title.strip()[:200],
                                date=date, start_time=start_time, duration_minutes=duration_minutes, theme=theme,
                                level=level, place=place.strip()[:200], group=group, venue=venue,
                                client_token=client_token)))
    return workshop


@transaction.atomic
def attendance_record(*, workshop: Workshop, present: list[User], recorded_by: User) -> int:
    """Replace the list of people present (one submit from the phone). Returns how many were present."""
    _check_enrolled(workshop.organisation, present, "present")
    ids = {u.pk for u in present}
    Attendance.objects.filter(workshop=workshop).exclude(learner_id__in=ids).delete()
    already = set(Attendance.objects.filter(workshop=workshop).values_list("learner_id", flat=True))
    Attendance.objects.bulk_create([Attendance(workshop=workshop, learner_id=pk, recorded_by=recorded_by)
                                    for pk in ids - already])
    workshop.attendance_taken_at = timezone.now()
    workshop.save(update_fields=["attendance_taken_at"])
    return len(ids)


# --- assignments ------------------------------------------------------------------------------------

@transaction.atomic
def assignment_create(*, organisation: Organisation, created_by: User, track: Track | None = None,
                      module: Module | None = None, group: Group | None = None, learner: User | None = None,
                      due_date: dt.date | None = None, client_token=None) -> Assignment:
    if existing := _already_created(Assignment, organisation=organisation, client_token=client_token):
        return existing
    if (track is None) == (module is None):
        raise ValidationError({"content": _("Choisissez un parcours ou un module.")})
    if (group is None) == (learner is None):
        raise ValidationError({"target": _("Choisissez un groupe ou une personne.")})
    if group is not None and group.organisation_id != organisation.pk:
        raise ValidationError({"target": _("Ce groupe n'existe pas dans votre structure.")})
    if learner is not None:
        _check_enrolled(organisation, [learner], "target")
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationError({"due_date": _("La date limite est déjà passée.")})
    assignment, _created = _create_once(
        Assignment, organisation=organisation, client_token=client_token, create=lambda: Assignment.objects.create(
            organisation=organisation, created_by=created_by, track=track, module=module, group=group,
            learner=learner, due_date=due_date, client_token=client_token))
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment, actor: User) -> None:
    audit_log(actor=actor, action="assignment.delete", target_type="assignment", target_id=assignment.pk,
              organisation_id=assignment.organisation_id)
    assignment.delete()


# --- notes ------------------------------------------------------------------------------------------

@transaction.atomic
def note_add(*, organisation: Organisation, learner: User, author: User, text: str, client_token=None) -> Note:
    if existing := _already_created(Note, organisation=organisation, client_token=client_token):
        return existing
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("La note est vide.")})
    if len(text) > 4000:
        raise ValidationError({"text": _("La note est trop longue (4000 caractères au plus).")})
    _check_enrolled(organisation, [learner], "text")
    note, _created = _create_once(Note, organisation=organisation, client_token=client_token, create=lambda: (
        Note.objects.create(organisation=organisation, learner=learner, author=author, text=text,
                            client_token=client_token)))
    return note


# --- accompaniment records ----------------------------------------------------------------------------

@dataclass
class AccompanimentInput:
    """One record as typed in the form; values are the Coop's."""

    type: str
    date: dt.date
    duree: int
    type_lieu: str
    thematiques: list[str]
    materiel: list[str] = field(default_factory=list)
    lieu_commune: Commune | None = None
    autonomie: str = ""
    oriente_vers_structure: bool | None = None
    structure_de_redirection: str = ""
    titre_atelier: str = ""
    niveau_atelier: str = ""
    accompagnements: int = 1
    learner: User | None = None
    beneficiaire_genre: str = Genre.NON_COMMUNIQUE
    beneficiaire_tranche_age: str = TrancheAge.NON_COMMUNIQUE
    beneficiaire_statut_social: str = StatutSocial.NON_COMMUNIQUE
    beneficiaire_commune: Commune | None = None
    premier_accompagnement: bool | None = None
    workshop: Workshop | None = None
    notes: str = ""


def accompaniment_errors(*, organisation: Organisation, data: AccompanimentInput) -> dict[str, list[str]]:
    """Every rule of a record, as French messages per field (empty when the record is valid)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.type not in AccompanimentType.values:
        add("type", _("Choisissez individuel ou collectif."))
    if data.date > timezone.localdate():
        add("date", _("La date ne peut pas être dans le futur."))
    if not 1 <= data.duree <= 24 * 60:
        add("duree", _("La durée va de 1 minute à 24 heures."))
    if data.type_lieu not in TypeLieu.values:
        add("type_lieu", _("Choisissez un type de lieu."))
    elif data.type_lieu != TypeLieu.LIEU_ACTIVITE and data.lieu_commune is None:
        add("lieu_commune", _("Indiquez la commune (code INSEE) : l'accompagnement n'a pas eu lieu "
                              "au lieu d'activité."))
    if not data.thematiques:
        add("thematiques", _("Choisissez au moins une thématique."))
    elif set(data.thematiques) - set(THEME_LABELS):
        add("thematiques", _("Une thématique est inconnue."))
    if set(data.materiel) - set(Materiel.values):
        add("materiel", _("Un matériel est inconnu."))
    elif Materiel.AUCUN in data.materiel and len(data.materiel) > 1:
        add("materiel", _("« Pas de matériel » ne va pas avec un autre matériel."))
    if data.type == AccompanimentType.COLLECTIF:
        if data.autonomie:
            add("autonomie", _("L'autonomie ne se renseigne que pour un accompagnement individuel."))
        if data.structure_de_redirection or data.oriente_vers_structure is not None:
            add("structure_de_redirection", _("L'orientation ne se renseigne que pour un accompagnement "
                                              "individuel."))
        if not data.titre_atelier.strip():
            add("titre_atelier", _("Donnez un titre à l'atelier."))
        if data.niveau_atelier not in WorkshopLevel.values:
            add("niveau_atelier", _("Choisissez le niveau de l'atelier."))
        if not 1 <= data.accompagnements <= 500:
            add("accompagnements", _("Le nombre de participants va de 1 à 500."))
    elif data.type == AccompanimentType.INDIVIDUEL:
        if data.titre_atelier.strip() or data.niveau_atelier:
            add("titre_atelier", _("Le titre et le niveau d'atelier ne concernent que les ateliers collectifs."))
        if data.autonomie and data.autonomie not in Autonomie.values:
            add("autonomie", _("Choisissez un niveau d'autonomie de la liste."))
        if data.structure_de_redirection and data.structure_de_redirection not in StructureDeRedirection.values:
            add("structure_de_redirection", _("Choisissez une structure de la liste."))
        if data.structure_de_redirection and data.oriente_vers_structure is False:
            add("structure_de_redirection", _("Une structure est choisie alors que la personne n'a pas été "
                                              "orientée."))
    if data.beneficiaire_genre not in Genre.values:
        add("beneficiaire_genre", _("Choisissez un genre de la liste."))
    if data.beneficiaire_tranche_age not in TrancheAge.values:
        add("beneficiaire_tranche_age", _("Choisissez une tranche d'âge de la liste."))
    if data.beneficiaire_statut_social not in StatutSocial.values:
        add("beneficiaire_statut_social", _("Choisissez un statut de la liste."))
    if data.learner is not None and not Enrolment.objects.filter(organisation=organisation,
                                                                 learner=data.learner).exists():
        add("learner", _("Cette personne n'est pas suivie par votre structure."))
    if data.workshop is not None and data.workshop.organisation_id != organisation.pk:
        add("workshop", _("Cet atelier n'existe pas dans votre structure."))
    return errors


@transaction.atomic
def accompaniment_record(*, organisation: Organisation, mediateur: User, data: AccompanimentInput,
                         client_token=None) -> Accompaniment:
    """One record for La Coop. The same form sent twice (``client_token``) gives the first record back: a
    double tap must not count an accompaniment twice in the figures."""
    if existing := _already_created(Accompaniment, organisation=organisation, client_token=client_token):
        return existing
    errors = accompaniment_errors(organisation=organisation, data=data)
    if errors:
        raise ValidationError(errors)
    individual = data.type == AccompanimentType.INDIVIDUEL
    redirected = bool(data.structure_de_redirection) or bool(data.oriente_vers_structure)
    def create() -> Accompaniment:
        return Accompaniment.objects.create(
            organisation=organisation, mediateur=mediateur, type=data.type, date=data.date, duree=data.duree,
            type_lieu=data.type_lieu,
            lieu_commune=None if data.type_lieu == TypeLieu.LIEU_ACTIVITE else data.lieu_commune,
            materiel=list(dict.fromkeys(data.materiel)), thematiques=list(dict.fromkeys(data.thematiques)),
            autonomie=data.autonomie if individual else "",
            oriente_vers_structure=redirected if individual else None,
            structure_de_redirection=data.structure_de_redirection if individual else "",
            titre_atelier="" if individual else data.titre_atelier.strip()[:200],
            niveau_atelier="" if individual else data.niveau_atelier,
            accompagnements=1 if individual else data.accompagnements,
            learner=data.learner if individual else None,
            beneficiaire_genre=data.beneficiaire_genre, beneficiaire_tranche_age=data.beneficiaire_tranche_age,
            beneficiaire_statut_social=data.beneficiaire_statut_social,
            beneficiaire_commune=data.beneficiaire_commune, premier_accompagnement=data.premier_accompagnement,
            workshop=data.workshop, notes=data.notes.strip()[:2000], client_token=client_token)

    try:
        record, _created = _create_once(Accompaniment, organisation=organisation, client_token=client_token,
                                        create=create)
    except IntegrityError as exc:  # the model's constraints repeat the rules above; never a 500
        raise ValidationError(_("Ce compte-rendu est incohérent, vérifiez les champs.")) from exc
    return record


# --- duplicates ----------------------------------------------------------------------------------

@transaction.atomic
def duplicates_merge(*, organisation: Organisation, kept: User, duplicates: list[User], actor: User) -> None:
    """Fold several duplicates into ``kept`` (each with its audit entry), then rebuild kept's progress.

    Lives here, above ``progress``, because the merge rewrites rows of every app below (ADR 0008)."""
    from tremplin.organisations.services import learner_merge
    from tremplin.progress.services import progress_rebuild

    for duplicate in duplicates:
        learner_merge(organisation=organisation, kept=kept, duplicate=duplicate, actor=actor)
    progress_rebuild(learner=kept)


# --- referrals (orientation, ADR 0011) -------------------------------------------------------------

REFERRAL_ALPHABET = "ACDEFHJKLMNPRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B: read aloud over the phone


def _referral_reference() -> str:
    import secrets

    return "OR-" + "".join(secrets.choice(REFERRAL_ALPHABET) for _ in range(6))


@transaction.atomic
def referral_send(*, from_organisation: Organisation, sent_by: User, to_organisation: Organisation,
                  client_token, first_name: str, phone: str = "", themes: list[str], urgency: str,
                  diagnostic_note: str = "", consent: bool) -> tuple[Referral, bool]:
    """A partner sends a person to a structure. Returns (referral, created): the same form sent twice
    (``client_token``) gives the first referral back."""
    existing = Referral.objects.filter(client_token=client_token).first()
    if existing is not None:
        if existing.from_organisation_id != from_organisation.pk:
            raise ValidationError({"token": _("Ce formulaire n'est plus valable. Rechargez la page.")})
        return existing, False
    errors: dict[str, str] = {}
    first_name = " ".join(first_name.replace("\x00", "").split())[:100]
    if not first_name:
        errors["first_name"] = _("Écrivez le prénom de la personne.")
    if not consent:
        errors["consent"] = _("La personne doit être d'accord pour que la structure la contacte.")
    if to_organisation.pk == from_organisation.pk:
        errors["organisation"] = _("Choisissez une autre structure que la vôtre.")
    if not themes or any(t not in THEME_LABELS for t in themes):
        errors["themes"] = _("Choisissez au moins un besoin dans la liste.")
    if urgency not in ReferralUrgency.values:
        errors["urgency"] = _("Choisissez l'urgence dans la liste.")
    if errors:
        raise ValidationError(errors)
    for _attempt in range(10):
        try:
            with transaction.atomic():
                referral = Referral.objects.create(
                    organisation=to_organisation, from_organisation=from_organisation, sent_by=sent_by,
                    client_token=client_token, reference=_referral_reference(), first_name=first_name,
                    phone=phone.replace("\x00", "").strip()[:30], themes=list(dict.fromkeys(themes)),
                    urgency=urgency, diagnostic_note=diagnostic_note.replace("\x00", "").strip()[:200],
                    consent_at=timezone.now())
            break
        except IntegrityError:
            if Referral.objects.filter(client_token=client_token).exists():  # the other tap won the race
                return Referral.objects.get(client_token=client_token), False
    else:  # pragma: no cover — 24^6 references
        raise RuntimeError("could not find a free referral reference")
    audit_log(actor=sent_by, action="referral.send", target_type="referral", target_id=referral.pk,
              organisation_id=from_organisation.pk, detail={"to_organisation": str(to_organisation.pk)})
    return referral, True


def _referral_audit(referral: Referral, actor: User, action: str, **detail) -> None:
    audit_log(actor=actor, action=f"referral.{action}", target_type="referral", target_id=referral.pk,
              organisation_id=referral.organisation_id, detail=detail)


@transaction.atomic
def referral_accept(*, referral: Referral, actor: User) -> Referral:
    if referral.status == ReferralStatus.SENT:
        referral.status = ReferralStatus.ACCEPTED
        referral.save(update_fields=["status", "updated_at"])
        _referral_audit(referral, actor, "accept")
    return referral


@transaction.atomic
def referral_contacted(*, referral: Referral, actor: User) -> Referral:
    if referral.status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED):
        referral.status = ReferralStatus.CONTACTED
        referral.save(update_fields=["status", "updated_at"])
        _referral_audit(referral, actor, "contacted")
    return referral


@transaction.atomic
def referral_redirect(*, referral: Referral, to_organisation: Organisation, actor: User) -> Referral:
    """The structure sends the person on to another structure (better placed, closer…)."""
    if referral.status == ReferralStatus.ENROLLED:
        raise ValidationError({"organisation": _("Cette personne est déjà inscrite chez vous.")})
    if to_organisation.pk in (referral.organisation_id, referral.from_organisation_id):
        raise ValidationError({"organisation": _("Choisissez une autre structure.")})
    _referral_audit(referral, actor, "redirect", to_organisation=str(to_organisation.pk))
    referral.redirected_from_id = referral.organisation_id
    referral.organisation = to_organisation
    referral.status = ReferralStatus.SENT
    referral.save(update_fields=["organisation", "redirected_from", "status", "updated_at"])
    return referral


@transaction.atomic
def referral_enrol(*, referral: Referral, actor: User):
    """Enrol the referred person (code + PIN card). Returns the new learner and PIN, or (learner, None)
    when the person was already enrolled from this referral (a double tap)."""
    from tremplin.organisations.services import learner_enrol

    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.learner_id is not None:
        return locked.learner, None
    new = learner_enrol(organisation=locked.organisation, created_by=actor, first_name=locked.first_name,
                        phone=locked.phone)
    locked.learner = new.user
    locked.status = ReferralStatus.ENROLLED
    locked.save(update_fields=["learner", "status", "updated_at"])
    _referral_audit(locked, actor, "enrol", learner=str(new.user.pk))
    return new.user, new.pin


@transaction.atomic
def referral_invite(*, referral: Referral, workshop: Workshop, actor: User) -> Referral:
    """Invite the referred person to a workshop of the structure (the attendance is taken there)."""
    if workshop.organisation_id != referral.organisation_id:
        raise ValidationError({"workshop": _("Cet atelier n'existe pas dans votre structure.")})
    referral.workshop = workshop
    referral.save(update_fields=["workshop", "updated_at"])
    _referral_audit(referral, actor, "invite", workshop=str(workshop.pk))
    return referral
