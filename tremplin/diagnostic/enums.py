from django.db import models
from django.utils.translation import gettext_lazy as _


class LevelName(models.TextChoices):
    DEBUTANT = "debutant", _("Débutant")
    INITIE = "initie", _("Initié")
    AUTONOME = "autonome", _("Autonome")
    CONFIRME = "confirme", _("Confirmé")


class SessionMode(models.TextChoices):
    ALONE = "alone", _("Seul")
    ACCOMPANIED = "accompanied", _("Accompagné")
    PAPER = "paper", _("Sur papier")


class SessionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("En cours")
    COMPLETED = "completed", _("Terminé")
