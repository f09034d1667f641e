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
from tremplin.demo.quiet import QUIET_CODE
from tremplin.diagnostic import engine
from tremplin.diagnostic.models import Competence, DiagnosticItem, DiagnosticItemVersion, DiagnosticSession
from tremplin.diagnostic.services import answer_record, session_complete, session_profile_save, session_start
from tremplin.diagnostic.simulation import draw_learner

DEMO_LEARNERS = 10


class _Bank:
    """The item bank read once, as ``diagnostic.selectors.next_version_for`` sees it (current versions of
    active items, competences in framework order), so that choosing each question costs no query."""

    def __init__(self, competences: list[str]):
        self.competences = competences
        self.versions: dict[str, DiagnosticItemVersion] = {}
        for item in DiagnosticItem.objects.filter(is_active=True, current__isnull=False).select_related(
                "current", "competence"):
            item.current.item = item
            self.versions[item.slug] = item.current
        self.items = [engine.Item(slug, v.item.competence.slug, v.difficulty, v.discrimination)
                      for slug, v in self.versions.items()]

    def next_version(self, answered: list[tuple[engine.Item, bool]]) -> DiagnosticItemVersion | None:
        """The engine's next question after ``answered`` (the session's answers, in order)."""
        chosen = engine.next_item(engine.posterior_from(self.competences, answered), self.items,
                                  [it.key for it, _ok in answered])
        return self.versions[chosen.key] if chosen else None


def _take(learner: User, thetas: dict[str, float], rng: random.Random, bank: _Bank) -> DiagnosticSession:
    session = session_start(learner=learner)
    session_profile_save(session=session, profile={"appareils": ["smartphone"], "aide": ["structure"]})
    answered: list[tuple[engine.Item, bool]] = []
    while (version := bank.next_version(answered)) is not None:
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
        answer, _created = answer_record(session=session, version=version, response=response)
        answered.append((engine.Item(version.item.slug, version.item.competence.slug, version.difficulty,
                                     version.discrimination), answer.correct))
    return session_complete(session=session)


@transaction.atomic
def build_demo_diagnostic() -> int:
    """Returns the number of diagnostics created."""
    competences = list(Competence.objects.filter(is_active=True).values_list("slug", flat=True))
    if not competences:
        return 0
    bank = _Bank(competences)
    learners = list(User.objects.filter(kind=UserKind.LEARNER, enrolments__isnull=False).distinct()
                    .exclude(username=QUIET_CODE)  # the person not seen for three years did nothing recent
                    .order_by("date_joined", "username")[:DEMO_LEARNERS])
    rng = random.Random(2026)
    created = 0
    for n, learner in enumerate(learners):
        _levels, thetas = draw_learner(rng, competences)
        if DiagnosticSession.objects.filter(learner=learner).exists():
            continue
        first = _take(learner, thetas, rng, bank)
        created += 1
        if n % 5 == 0:  # a retake a month later, after some learning
            DiagnosticSession.objects.filter(pk=first.pk).update(
                completed_at=timezone.now() - timedelta(days=30), started_at=timezone.now() - timedelta(days=30))
            _take(learner, {c: t + 1.0 for c, t in thetas.items()}, rng, bank)
            created += 1
    return created
