"""Light reads of a learner's own progress for the pages that list modules (the home page, a track page): the
columns they show, never the answers (JSON)."""

from datetime import datetime

from tremplin.accounts.models import User

from .models import ModuleProgress


def progress_states(*, learner: User) -> dict[int, tuple[str, datetime | None]]:
    """{module id: (status, last activity)} of the learner's modules (none for a visitor without an account)."""
    if learner is None or not learner.is_authenticated:
        return {}
    return {module_id: (status, last) for module_id, status, last in ModuleProgress.objects.filter(
        learner=learner).values_list("module_id", "status", "last_activity_at")}
