from django.db import models
from django.utils.translation import gettext_lazy as _


class StepKind(models.TextChoices):
    EXPLANATION = "explanation", _("Explication")
    RECAP = "recap", _("À retenir")
    SINGLE = "single", _("Question à choix unique")
    MULTIPLE = "multiple", _("Question à choix multiples")
    PICTURE = "picture", _("Choisir l'image")
    ORDER = "order", _("Remettre dans l'ordre")


QUESTION_KINDS = {StepKind.SINGLE, StepKind.MULTIPLE, StepKind.PICTURE, StepKind.ORDER}


class Journey(models.TextChoices):
    DEMARCHES = "demarches", _("Démarches en ligne")
    EMPLOI = "emploi", _("Emploi")


class Level(models.TextChoices):
    DEBUTANT = "debutant", _("Débutant")
    INTERMEDIAIRE = "intermediaire", _("Intermédiaire")
    AVANCE = "avance", _("Avancé")
