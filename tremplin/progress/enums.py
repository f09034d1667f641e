from django.db import models
from django.utils.translation import gettext_lazy as _

XAPI_VERB_PREFIX = "http://adlnet.gov/expapi/verbs/"


class Verb(models.TextChoices):
    """xAPI verbs (the IRI is XAPI_VERB_PREFIX + value)."""

    ATTEMPTED = "attempted", _("commencé")
    EXPERIENCED = "experienced", _("vu")
    ANSWERED = "answered", _("répondu")
    COMPLETED = "completed", _("terminé")
    PASSED = "passed", _("réussi")
    FAILED = "failed", _("échoué")
    PROGRESSED = "progressed", _("avancé")


class ObjectType(models.TextChoices):
    MODULE = "module", _("module")
    STEP = "step", _("étape")
    QUESTION = "question", _("question")
    SIMULATOR = "simulator", _("simulateur")
    DIAGNOSTIC_ITEM = "diagnostic_item", _("question du positionnement")
    DIAGNOSTIC = "diagnostic", _("positionnement")


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Pas commencé")
    IN_PROGRESS = "in_progress", _("En cours")
    COMPLETED = "completed", _("Terminé")
