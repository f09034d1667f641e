"""The follow-up grid reads its cells batch by batch (``GRID_BATCH`` learners at a time): the CSV export and the
filtered screen see everyone, with the same statuses, however many batches there are."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.audit.models import AuditEntry
from tremplin.coaching import selectors
from tremplin.coaching.services import assignment_create, group_create
from tremplin.progress.enums import ProgressStatus
from tremplin.progress.models import ModuleProgress

from ..factories import EnrolmentFactory, LearnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven(side):
    """Seven more learners in a group given the side's module: two completed it, one idle for 20 days (needs
    help), one in progress with two wrong first answers (needs help), one in progress lately."""
    people = [EnrolmentFactory(organisation=side.organisation, learner=LearnerFactory(first_name=f"Lot{i}")).learner
              for i in range(7)]
    group = group_create(organisation=side.organisation, name="Lot", members=people, created_by=side.trainer)
    module = side.assignment.module
    assignment_create(organisation=side.organisation, created_by=side.trainer, module=module, group=group,
                      due_date=timezone.localdate() + dt.timedelta(days=7))
    now = timezone.now()
    done = dict(status=ProgressStatus.COMPLETED, last_activity_at=now)
    for learner, fields in [
            (people[0], done), (people[1], done),
            (people[2], dict(status=ProgressStatus.IN_PROGRESS, last_activity_at=now - dt.timedelta(days=20))),
            (people[3], dict(status=ProgressStatus.IN_PROGRESS, last_activity_at=now,
                             answers={"q1": {"first": False}, "q2": {"first": False}})),
            (people[4], dict(status=ProgressStatus.IN_PROGRESS, last_activity_at=now,
                             answers={"q1": {"first": False}, "q2": {"first": True}}))]:
        ModuleProgress.objects.create(learner=learner, module=module, **fields)
    return module


def _exported(client, **params) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(client.get(reverse("trainer:followup_export"), params).content.decode())))
    column = rows[0].index(module_slug := rows[0][5])
    assert module_slug
    return {row[1]: row[column] for row in rows[1:] if row[1].startswith("Lot")}


def test_the_export_and_the_filters_are_the_same_in_batches_of_two_as_in_one(trainer_client, seven, monkeypatch):
    whole = _exported(trainer_client)
    needing_help = _exported(trainer_client, statut="needs_help")
    monkeypatch.setattr(selectors, "GRID_BATCH", 2)
    assert _exported(trainer_client) == whole
    assert whole == {"Lot0": "completed", "Lot1": "completed", "Lot2": "needs_help", "Lot3": "needs_help",
                     "Lot4": "in_progress", "Lot5": "not_started", "Lot6": "not_started"}
    assert _exported(trainer_client, statut="needs_help") == needing_help == {"Lot2": "needs_help",
                                                                               "Lot3": "needs_help"}
    helped_first = list(_exported(trainer_client, tri="help"))
    assert helped_first[:2] == ["Lot2", "Lot3"]
    # Each export is audited with the number of rows written (the side's own learner is in it too).
    rows = sorted(e.detail["rows"] for e in AuditEntry.objects.filter(action="followup.export"))
    assert rows == [2, 2, 8, 8, 8]


def test_a_page_of_the_grid_shows_the_last_activity_whatever_the_sort(trainer_client, seven):
    for sort in ("name", "activity", "help"):
        text = trainer_client.get(reverse("trainer:followup_grid"), {"tri": sort}).content.decode()
        assert text.count("jamais") == 8 - 5, sort  # five learners have progress: their date is shown
