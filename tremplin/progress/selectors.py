
from tremplin.accounts.models import User
from tremplin.catalog.models import Module

from .enums import ProgressStatus
from .models import LearningEvent, ModuleProgress


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
