import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .codes import format_code
from .enums import UserKind


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username, password=None, **extra):
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, password=None, **extra):
        extra.setdefault("email", username)
        return self.create_user(username, password, is_staff=True, is_superuser=True, kind=UserKind.STAFF, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """One table for everybody.

    ``username`` is the e-mail address for staff and the personal code for learners
    (codes never contain « @ », so the two never collide). A learner's password is the PIN.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    username = models.CharField(_("identifiant"), max_length=254, unique=True)
    kind = models.CharField(_("type de compte"), max_length=16, choices=UserKind.choices, default=UserKind.LEARNER)
    # NULL, not "", when absent: the address is unique among those who have one.
    email = models.EmailField(_("adresse e-mail"), blank=True, null=True)  # noqa: DJ001
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"), null=True, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    card_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    is_active = models.BooleanField(default=True)
    # A learner who started without an account: known by the device cookie only, no PIN, no card, no name.
    # « Garder ma progression » turns them into an ordinary learner with a code and a PIN (ADR 0010).
    is_guest = models.BooleanField(default=False)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["first_name"]

    class Meta:
        verbose_name = _("utilisateur")
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=Q(email__isnull=False), name="unique_email_when_set"),
            models.CheckConstraint(
                condition=Q(kind="learner") | Q(email__isnull=False), name="staff_have_an_email"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_learner(self) -> bool:
        return self.kind == UserKind.LEARNER

    @property
    def is_guest_learner(self) -> bool:
        return self.kind == UserKind.LEARNER and self.is_guest

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.username

    @property
    def login_code_display(self) -> str:
        return format_code(self.username) if self.is_learner else ""
