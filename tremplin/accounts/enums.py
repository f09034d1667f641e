from django.db import models
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    LEARNER = "learner", _("Apprenant")
    STAFF = "staff", _("Équipe")
