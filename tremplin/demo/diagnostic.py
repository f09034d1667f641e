"""Demo diagnostics: a few demo learners have taken the diagnostic (two of them twice, with progress).

Deterministic and idempotent: learners who already have a completed diagnostic are skipped.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tremplin.accounts.enums import UserKind
from tremplin.accounts.models import User
from tremplin.diagnostic import engine
from tremplin.diagnostic.models import Competence, DiagnosticSession
from tremplin.diagnostic.selectors import next_version_for
from tremplin.diagnostic.services import answer_record, session_complete, session_profile_save, session_start
from tremplin.diagnostic.simulation import draw_learner

DEMO_LEARNERS = 10


def _take(learner: User, thetas: dict[str, float], rng: random.Random) -> DiagnosticSession:
    session = session_start(learner=learner)
    session_profile_save(session=session, profile={"appareils": ["smartphone"], "aide": ["structure"]})
    while (version := next_version_for(session)) is not None:
        p = engine.p_correct(thetas[version.item.competence.slug], version.discrimination, version.difficulty)
        right = rng.random() < p
        choices = version.data.get("choices") or []
        if not right:
            response = {"skipped": True}
        elif version.kind == "order":
            response = {"ranks": list(range(1, len(choices) + 1))}
        elif version.kind == "text":
            response = {"text": version.data["answers"][0]}
        else:
            response = {"choices": [i for i, c in enumerate(choices) if c.get("correct")]}
        answer_record(session=session, version=version, response=response)
    return session_complete(session=session)


@transaction.atomic
def build_demo_diagnostic() -> int:
    """Returns the number of diagnostics created."""
    competences = list(Competence.objects.filter(is_active=True).values_list("slug", flat=True))
    if not competences:
        return 0
    learners = list(User.objects.filter(kind=UserKind.LEARNER, enrolments__isnull=False).distinct()
                    .order_by("date_joined", "username")[:DEMO_LEARNERS])
    rng = random.Random(2026)
    created = 0
    for n, learner in enumerate(learners):
        _levels, thetas = draw_learner(rng, competences)
        if DiagnosticSession.objects.filter(learner=learner).exists():
            continue
        first = _take(learner, thetas, rng)
        created += 1
        if n % 5 == 0:  # a retake a month later, after some learning
            DiagnosticSession.objects.filter(pk=first.pk).update(
                completed_at=timezone.now() - timedelta(days=30), started_at=timezone.now() - timedelta(days=30))
            _take(learner, {c: t + 1.0 for c, t in thetas.items()}, rng)
            created += 1
    return created
