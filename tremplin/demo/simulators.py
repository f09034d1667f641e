"""Demo practice: some demo learners have already trained on simulators, so trainers see attempts.

Idempotent: a learner who already has an attempt is left alone.
"""

from __future__ import annotations

from tremplin.accounts.enums import UserKind
from tremplin.accounts.models import User
from tremplin.demo.quiet import QUIET_CODE
from tremplin.simulators.enums import Mode
from tremplin.simulators.models import Simulator, SimulatorAttempt
from tremplin.simulators.services import attempt_finish, attempt_progress, attempt_start

# (simulator slug, mode, errors, hints) played by the n-th demo learner
PLAYS = [
    ("inscription-emploi", Mode.GUIDED, 2, 0),
    ("inscription-emploi", Mode.CHECK, 1, 0),
    ("reperer-arnaque", Mode.PRACTICE, 1, 2),
    ("declaration-trimestrielle-caf", Mode.CHECK, 4, 0),
    ("creer-adresse-email", Mode.GUIDED, 0, 0),
]


def build_demo_simulators(learners_count: int = 12) -> int:
    simulators = {s.slug: s for s in Simulator.objects.filter(is_active=True)}
    if not simulators:
        return 0
    created = 0
    learners = (User.objects.filter(kind=UserKind.LEARNER, enrolments__isnull=False).exclude(username=QUIET_CODE)
                .order_by("date_joined", "username"))
    for n, learner in enumerate(learners[:learners_count]):
        if SimulatorAttempt.objects.filter(learner=learner).exists():
            continue
        for slug, mode, errors, hints in PLAYS[n % len(PLAYS): n % len(PLAYS) + 2]:
            if slug not in simulators:
                continue
            attempt = attempt_start(learner=learner, simulator=simulators[slug], mode=mode)
            attempt_progress(attempt=attempt, errors=errors, hints=hints if mode != Mode.CHECK else 0)
            attempt_finish(attempt=attempt)
            created += 1
    return created
