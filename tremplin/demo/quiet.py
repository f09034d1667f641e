"""A learner of the demo who has not come back for three years: what the retention task would erase
(``manage.py apply_retention --dry-run`` lists them on a freshly seeded demo, issue 16)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from tremplin.accounts.models import User
from tremplin.organisations.models import Enrolment, Organisation
from tremplin.organisations.services import learner_enrol
from tremplin.progress.enums import ObjectType, Verb
from tremplin.progress.models import LearningEvent

QUIET_CODE = "QTR3NS"  # the demo's login code for this person (letters of the code alphabet only)
QUIET_EVENT = uuid.UUID("5b0c2f7e-3d1a-4c59-9a57-0e1f6f0a3e21")


@transaction.atomic
def build_quiet_learner() -> int:
    """One learner of the Angers structure, enrolled and last seen three years ago. Created once."""
    if User.objects.filter(username=QUIET_CODE).exists():
        return 0
    organisation = Organisation.objects.order_by("created_at", "pk").first()
    if organisation is None:
        return 0
    then = timezone.now() - dt.timedelta(days=3 * 365)
    learner = learner_enrol(organisation=organisation, created_by=None, first_name="Gérard",
                            last_name="Perrot", login_code=QUIET_CODE).user
    User.objects.filter(pk=learner.pk).update(date_joined=then, last_login=then)
    Enrolment.objects.filter(learner=learner).update(created_at=then)
    LearningEvent.objects.create(id=QUIET_EVENT, learner=learner, verb=Verb.EXPERIENCED,
                                 object_type=ObjectType.STEP, object_id="demo:ancienne-etape", client_timestamp=then)
    LearningEvent.objects.filter(pk=QUIET_EVENT).update(stored_at=then)
    return 3
