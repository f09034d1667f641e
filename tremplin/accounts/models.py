import hashlib
import json
import uuid
from functools import lru_cache

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .codes import format_code
from .enums import UserKind

PERSON_FIELDS = frozenset({"first_name", "last_name", "birth_year"})


@lru_cache(maxsize=4096)
def stored_person_key(first_name: str, last_name: str, birth_year: int | None) -> str:
    """``User.person_key``: a digest of ``organisations.imports.person_key`` (names without case, accents or extra
    spaces, and the birth year), so the database groups look-alikes. Change that function and every stored key
    must be computed again (a data migration like accounts 0004)."""
    from tremplin.organisations.imports import person_key  # the one rule; imported late (it sits above accounts)

    birth_year = int(birth_year) if birth_year not in (None, "") else None  # as the database gives it back
    text = json.dumps(person_key(first_name, last_name, birth_year), ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class UserQuerySet(models.QuerySet):
    """Writes that skip ``User.save`` keep ``person_key`` right too. (Also used by migrations' historical models,
    which have no methods of their own, and before accounts 0003 no ``person_key``: hence ``_keyed``.)"""

    def _keyed(self) -> bool:
        return any(f.name == "person_key" for f in self.model._meta.concrete_fields)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if self._keyed():
            for user in objs:
                user.person_key = stored_person_key(user.first_name, user.last_name, user.birth_year)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if PERSON_FIELDS.intersection(fields) and self._keyed():
            objs = list(objs)
            for user in objs:
                user.person_key = stored_person_key(user.first_name, user.last_name, user.birth_year)
            fields = [*fields, "person_key"] if "person_key" not in fields else fields
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if PERSON_FIELDS.intersection(kwargs) and "person_key" not in kwargs and self._keyed():
            raise ValueError("names or birth year set in SQL: give person_key too (stored_person_key), "
                             "or save each user")
        return super().update(**kwargs)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

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
    # Who may be the same person (the duplicates page): kept by save(), bulk_create() and bulk_update().
    person_key = models.CharField(max_length=32, blank=True, default="", editable=False)

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
        indexes = [models.Index(fields=["person_key"], name="accounts_user_person_key")]

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        # The names written: those listed, or every one loaded (a user read with .only() saves only what it read).
        written = (PERSON_FIELDS - self.get_deferred_fields() if update_fields is None
                   else PERSON_FIELDS.intersection(update_fields))
        if written:
            self.person_key_refresh()  # once set, person_key is loaded: saved with the rest
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "person_key"}
        super().save(*args, **kwargs)

    def person_key_refresh(self) -> None:
        self.person_key = stored_person_key(self.first_name, self.last_name, self.birth_year)

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
