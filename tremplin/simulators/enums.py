from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    GUIDED = "guided", _("Guidé")
    PRACTICE = "practice", _("Entraînement")
    CHECK = "check", _("Vérification")


class Outcome(models.TextChoices):
    IN_PROGRESS = "in_progress", _("En cours")
    COMPLETED = "completed", _("Terminé")
    PASSED = "passed", _("Réussi")
    FAILED = "failed", _("À refaire")
    ABANDONED = "abandoned", _("Arrêté")
