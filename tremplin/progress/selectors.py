from django.db.models import QuerySet

from tremplin.accounts.models import User
from tremplin.catalog.models import Module

from .enums import ProgressStatus
from .models import ModuleProgress


def progress_by_module(*, learner: User) -> dict[int, ModuleProgress]:
    return {p.module_id: p for p in ModuleProgress.objects.filter(learner=learner)}


def progress_of(*, learner: User, module: Module) -> ModuleProgress | None:
    return ModuleProgress.objects.filter(learner=learner, module=module).first()


def module_to_resume(*, learner: User) -> ModuleProgress | None:
    return (ModuleProgress.objects.filter(learner=learner, status=ProgressStatus.IN_PROGRESS,
                                          module__is_active=True)
            .select_related("module", "module__track").order_by("-last_activity_at").first())


def completed_modules(*, learner: User) -> QuerySet[ModuleProgress]:
    return (ModuleProgress.objects.filter(learner=learner, status=ProgressStatus.COMPLETED)
            .select_related("module").order_by("-completed_at"))
