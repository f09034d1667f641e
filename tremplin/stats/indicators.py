"""Indicators, each defined once with the sentence shown beside it (the network issue builds on these).

Reads only: ``stats`` reads every domain app and is imported by screens only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef

from tremplin.accounts.enums import UserKind
from tremplin.accounts.models import User
from tremplin.organisations.models import Enrolment
from tremplin.progress.models import LearningEvent

PEOPLE_REACHED = ("Personnes touchées : personnes différentes qui ont fait au moins une activité (une étape, une "
                  "question, un entraînement, un positionnement) pendant la période.")
AUTONOMOUS = ("Apprenants autonomes : personnes touchées qu'aucune structure ne suit — elles apprennent seules, "
              "avec ou sans code. Elles ne sont comptées pour aucune structure.")


@dataclass(frozen=True)
class Reached:
    total: int
    followed: int  # followed by at least one organisation
    autonomous: int  # no organisation: guests and people who kept their progress alone

    definition = PEOPLE_REACHED
    autonomous_definition = AUTONOMOUS


def people_reached(*, since: datetime | None = None, until: datetime | None = None) -> Reached:
    """Learners with at least one learning event stored in [since, until)."""
    events = LearningEvent.objects.filter(learner=OuterRef("pk"))
    if since is not None:
        events = events.filter(stored_at__gte=since)
    if until is not None:
        events = events.filter(stored_at__lt=until)
    learners = User.objects.filter(kind=UserKind.LEARNER).filter(Exists(events))
    followed = Exists(Enrolment.objects.filter(learner=OuterRef("pk")))
    total = learners.count()
    n_followed = learners.filter(followed).count()
    return Reached(total=total, followed=n_followed, autonomous=total - n_followed)


REFERRALS = ("Orientations : personnes envoyées par un partenaire (France Travail, CAF, CCAS, Mission locale…) "
             "vers une structure, selon où elles en sont.")


def referrals_by_outcome(*, since: datetime | None = None, until: datetime | None = None) -> dict[str, int]:
    """{outcome code: number of referrals} for referrals sent in [since, until) (codes of
    ``coaching.selectors.referral_outcomes``)."""
    from collections import Counter

    from tremplin.coaching.models import Referral
    from tremplin.coaching.selectors import referral_outcomes

    referrals = Referral.objects.all()
    if since is not None:
        referrals = referrals.filter(created_at__gte=since)
    if until is not None:
        referrals = referrals.filter(created_at__lt=until)
    counts: Counter = Counter()
    for start in range(0, referrals.count(), 2000):  # bounded memory; the network issue moves this to rollups
        chunk = list(referrals.order_by("pk")[start:start + 2000])
        counts.update(o.code for o in referral_outcomes(chunk).values())
    return dict(counts)
