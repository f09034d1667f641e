"""Groups, workshops and attendance, assignments, notes and accompaniment records.

Every row belongs to one organisation: selectors scope every read to it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tremplin.catalog.models import Module, Track
from tremplin.organisations.models import Commune, Organisation

from .enums import (
    THEME_CHOICES,
    AccompanimentType,
    Autonomie,
    Genre,
    ReferralStatus,
    ReferralUrgency,
    StatutSocial,
    StructureDeRedirection,
    TrancheAge,
    TypeLieu,
    WorkshopLevel,
)


class Group(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("nom du groupe"), max_length=120)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="coaching_groups", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The form that created this row (a hidden UUID): the same form sent twice gives this row back.
    client_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        # « Débutants » and « débutants » are the same group (lower() folds ASCII only on SQLite, all on PostgreSQL).
        constraints = [models.UniqueConstraint(F("organisation"), Lower("name"),
                                               name="unique_group_name_in_org_any_case")]

    def __str__(self) -> str:
        return self.name


class Workshop(models.Model):
    """A scheduled session (atelier)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="workshops")
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="workshops")
    title = models.CharField(_("titre"), max_length=200)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("heure de début"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=90)
    place = models.CharField(_("lieu"), max_length=200, blank=True)  # the room: « salle informatique, 1er étage »
    # Where it happens, in the places standard (the structure's own place, or another place nearby).
    venue = models.ForeignKey("organisations.Place", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="workshops")
    theme = models.CharField(_("thématique"), max_length=40, choices=THEME_CHOICES)
    level = models.CharField(_("niveau"), max_length=20, choices=WorkshopLevel.choices, default=WorkshopLevel.DEBUTANT)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Attendance",
                                       through_fields=("workshop", "learner"), related_name="+")
    attendance_taken_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The form that created this row (a hidden UUID): the same form sent twice gives this row back.
    client_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["organisation", "date"], name="workshop_org_date")]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"


class Attendance(models.Model):
    """A learner present at a workshop (absent learners have no row)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="attendances")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workshop", "learner"], name="one_attendance_per_learner")]


class Assignment(models.Model):
    """A track or a module given to a group or to one learner, with an optional due date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assignments")
    track = models.ForeignKey(Track, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="assignments")
    due_date = models.DateField(_("à faire avant le"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The form that created this row (a hidden UUID): the same form sent twice gives this row back.
    client_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["due_date", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=(Q(track__isnull=False) & Q(module__isnull=True))
                                   | (Q(track__isnull=True) & Q(module__isnull=False)),
                                   name="assignment_is_a_track_or_a_module"),
            models.CheckConstraint(condition=(Q(group__isnull=False) & Q(learner__isnull=True))
                                   | (Q(group__isnull=True) & Q(learner__isnull=False)),
                                   name="assignment_is_for_a_group_or_a_learner"),
        ]

    @property
    def content_title(self) -> str:
        return (self.module or self.track).title


class Note(models.Model):
    """A trainer's note about a learner, seen by the organisation's trainers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="notes")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes_about")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    # The form that created this row (a hidden UUID): the same form sent twice gives this row back.
    client_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at"]


class Accompaniment(models.Model):
    """A compte-rendu d'activité, field for field La Coop de la médiation numérique's « activité »."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="accompaniments")
    mediateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    type = models.CharField(max_length=20, choices=AccompanimentType.choices)
    date = models.DateField()
    duree = models.PositiveSmallIntegerField()  # minutes
    type_lieu = models.CharField(max_length=20, choices=TypeLieu.choices)
    lieu_commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    materiel = models.JSONField(default=list)
    thematiques = models.JSONField(default=list)
    # Individual only.
    autonomie = models.CharField(max_length=30, choices=Autonomie.choices, blank=True)
    oriente_vers_structure = models.BooleanField(null=True)
    structure_de_redirection = models.CharField(max_length=40, choices=StructureDeRedirection.choices, blank=True)
    # Collective only.
    titre_atelier = models.CharField(max_length=200, blank=True)
    niveau_atelier = models.CharField(max_length=20, choices=WorkshopLevel.choices, blank=True)
    workshop = models.ForeignKey(Workshop, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    accompagnements = models.PositiveSmallIntegerField(default=1)  # number of people accompanied
    # The beneficiary (individual): an enrolled learner, or anonymous with a few facts.
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="accompaniments")
    beneficiaire_genre = models.CharField(max_length=20, choices=Genre.choices, default=Genre.NON_COMMUNIQUE)
    beneficiaire_tranche_age = models.CharField(max_length=30, choices=TrancheAge.choices,
                                                default=TrancheAge.NON_COMMUNIQUE)
    beneficiaire_statut_social = models.CharField(max_length=20, choices=StatutSocial.choices,
                                                  default=StatutSocial.NON_COMMUNIQUE)
    beneficiaire_commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True,
                                             related_name="+")
    premier_accompagnement = models.BooleanField(null=True)
    notes = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    # The form that created this row (a hidden UUID): the same form sent twice gives this row back.
    client_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["organisation", "date"], name="accompaniment_org_date")]
        constraints = [
            models.CheckConstraint(condition=Q(duree__gt=0), name="accompaniment_has_a_duration"),
            models.CheckConstraint(condition=Q(type="individuel") | (Q(autonomie="")
                                   & Q(structure_de_redirection="") & Q(oriente_vers_structure__isnull=True)),
                                   name="autonomy_and_redirection_are_individual_only"),
            models.CheckConstraint(condition=Q(type="collectif") | (Q(titre_atelier="") & Q(niveau_atelier="")),
                                   name="workshop_fields_are_collective_only"),
        ]

    @property
    def materiel_labels(self) -> list[str]:
        from .enums import Materiel

        return [str(Materiel(m).label) if m in Materiel.values else m for m in self.materiel]

    @property
    def theme_labels(self) -> list[str]:
        from .enums import THEME_LABELS

        return [str(THEME_LABELS.get(t, t)) for t in self.thematiques]


class Referral(models.Model):
    """A partner professional sends a person to a structure (« orientation »), with the person's consent.

    The receiving structure (``organisation``) owns the row like any coaching row; the sending partner
    (``from_organisation``) reads it only through ``selectors.referrals_sent_of``, which shows an outcome
    and nothing of the person's learning (ADR 0011).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="referrals_sent")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # One submit of the form (a double tap sends it twice: the second finds the first).
    client_token = models.UUIDField(unique=True)
    reference = models.CharField(max_length=12, unique=True)  # printed on the slip handed to the person
    first_name = models.CharField(_("prénom"), max_length=100)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    themes = models.JSONField(default=list)  # La Coop's themes: what the person needs help with
    urgency = models.CharField(_("urgence"), max_length=10, choices=ReferralUrgency.choices,
                               default=ReferralUrgency.NORMAL)
    diagnostic_note = models.CharField(_("résultat du positionnement"), max_length=200, blank=True)
    consent_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    redirected_from = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="referrals")
    workshop = models.ForeignKey(Workshop, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "status"], name="referral_org_status"),
                   models.Index(fields=["from_organisation", "created_at"], name="referral_from_time")]
