import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import MembershipRole, OrganisationType


class Region(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Commune(models.Model):
    """A current commune of the Code officiel géographique; INSEE codes are strings (2A004)."""

    code = models.CharField(max_length=5, primary_key=True)
    name = models.CharField(max_length=150)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="communes")
    postcodes = models.JSONField(default=list)
    population = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.department_id})"


class Organisation(models.Model):
    """A structure: association, CCAS, library, France Services…"""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("nom"), max_length=200)
    type = models.CharField(_("type de structure"), max_length=20, choices=OrganisationType.choices)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="organisations")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(siret="") | models.Q(siret__regex=r"^[0-9]{14}$"),
                                   name="siret_is_14_digits"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A staff member working for an organisation (a trainer may work for several)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=MembershipRole.choices, default=MembershipRole.TRAINER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")]


class Enrolment(models.Model):
    """A learner followed by an organisation. A learner may be followed by several (with consent)."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="enrolments")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Contact kept by this organisation only; never used to sign in.
    contact_email = models.EmailField(_("adresse e-mail de contact"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner", "organisation"], name="one_enrolment_per_org")]


class Invitation(models.Model):
    """A staff member invited by e-mail to join an organisation. Only the token's hash is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(max_length=16, choices=MembershipRole.choices, default=MembershipRole.TRAINER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class LearnerImport(models.Model):
    """A parsed CSV/XLSX file waiting for the trainer's confirmation (rows never travel back through the form)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        DONE = "done", _("Importé")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="learner_imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255, blank=True)
    # [{"line": 2, "first_name": …, "last_name": …, "birth_year": 1975|None, "phone": …, "email": …}]
    rows = models.JSONField(default=list)
    # [{"line": 3, "message": "…"}]
    errors = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]


class SignupLink(models.Model):
    """A time-limited link (and its QR code) with which learners in a workshop room enrol themselves."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="signup_links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("nom de l'atelier"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    max_uses = models.PositiveIntegerField(default=60)
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]


class LearnerShare(models.Model):
    """A learner's consent, recorded by a trainer, to be followed by another organisation too."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shares")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    consent_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                            related_name="+")
    consent_at = models.DateTimeField()

