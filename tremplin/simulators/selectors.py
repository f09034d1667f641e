from uuid import UUID

from django.db.models import QuerySet

from tremplin.accounts.models import User

from .models import Simulator, SimulatorAttempt


def simulators_for_learners() -> QuerySet[Simulator]:
    return Simulator.objects.filter(is_active=True).only("slug", "title", "summary", "site_name", "position")


def simulator_active(*, slug: str) -> Simulator | None:
    return Simulator.objects.filter(slug=slug, is_active=True).first()


def attempt_of(*, learner: User, attempt_id: UUID) -> SimulatorAttempt | None:
    """An attempt, only for the learner who made it."""
    return SimulatorAttempt.objects.filter(pk=attempt_id, learner=learner).select_related("simulator").first()


def recent_attempts(*, learner: User, limit: int = 10) -> QuerySet[SimulatorAttempt]:
    return (SimulatorAttempt.objects.filter(learner=learner).exclude(outcome="in_progress")
            .select_related("simulator").order_by("-started_at")[:limit])
