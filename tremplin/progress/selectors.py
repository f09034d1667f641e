
from django.db.models import F
from django.db.models.functions import Coalesce, Least

from tremplin.accounts.models import User
from tremplin.catalog.models import Module

from .enums import ProgressStatus, Verb
from .models import LearningEvent, ModuleProgress


def event_moment():
    """When an event happened: the device's clock if it sent one, else when it was stored — never later than when
    it was stored (a device clock running ahead is not believed), so ``stored_at >= start`` bounds a scan. The one
    definition for progress (the order answers count in) and the statistics (the day an event lands in)."""
    return Least(Coalesce("client_timestamp", "stored_at"), F("stored_at"))


def _nobody(learner) -> bool:
    """A visitor without any account yet (open access): no progress to read."""
    return learner is None or not learner.is_authenticated


def progress_by_module(*, learner: User) -> dict[int, ModuleProgress]:
    if _nobody(learner):
        return {}
    return {p.module_id: p for p in ModuleProgress.objects.filter(learner=learner)}


def progress_of(*, learner: User, module: Module) -> ModuleProgress | None:
    if _nobody(learner):
        return None
    return ModuleProgress.objects.filter(learner=learner, module=module).first()


def module_to_resume(*, learner: User) -> ModuleProgress | None:
    if _nobody(learner):
        return None
    return (ModuleProgress.objects.filter(learner=learner, status=ProgressStatus.IN_PROGRESS,
                                          module__is_active=True)
            .select_related("module", "module__track").order_by("-last_activity_at").first())


def completed_module_ids(*, learner: User) -> set[int]:
    """Ids of the modules the learner completed (none for a visitor without an account)."""
    if _nobody(learner):
        return set()
    return set(ModuleProgress.objects.filter(learner=learner, status=ProgressStatus.COMPLETED)
               .values_list("module_id", flat=True))


def has_history(*, learner: User) -> bool:
    """Whether the learner did anything at all (a guest worth offering to attach)."""
    return not _nobody(learner) and LearningEvent.objects.filter(learner=learner).exists()


def event_ids_stored(*, learner: User, ids) -> set:
    """Which of these event ids the learner already stored (an offline batch sent again)."""
    if _nobody(learner):
        return set()
    return set(LearningEvent.objects.filter(learner=learner, pk__in=list(ids)).values_list("pk", flat=True))


def step_slugs_done(*, learner: User, module: Module) -> tuple[set[str], set[str]]:
    """Slugs of the module's steps the learner saw and answered (what ``quiz.first_not_done`` reads)."""
    seen: set[str] = set()
    answered: set[str] = set()
    if _nobody(learner):
        return seen, answered
    prefix = f"{module.slug}/"
    rows = LearningEvent.objects.filter(learner=learner, module=module, object_id__startswith=prefix,
                                        verb__in=[Verb.EXPERIENCED, Verb.ANSWERED]).values_list("verb", "object_id")
    for verb, object_id in rows:
        (seen if verb == Verb.EXPERIENCED else answered).add(object_id[len(prefix):])
    return seen, answered


def last_step_finishes(*, learner: User, module: Module, step_object_id: str) -> list[tuple]:
    """The learner's « Terminer » on the module's last step (experienced events of ``step_object_id``), latest
    first by when they happened: ``(event id, client timestamp)``. An offline « Terminer » that arrived before a
    step done earlier completes the module once that step arrives (``api.sync``)."""
    if _nobody(learner):
        return []
    return list(LearningEvent.objects.filter(learner=learner, module=module, object_id=step_object_id,
                                             verb=Verb.EXPERIENCED)
                .order_by(event_moment().desc(), "-stored_at").values_list("pk", "client_timestamp"))
