"""Retention: what has outlived its period goes, every night; the dry run says what would go and changes nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from tremplin.accounts.models import User
from tremplin.audit.models import AuditEntry
from tremplin.coaching.models import Accompaniment, Attendance, Note
from tremplin.progress.models import LearningEvent

from .world import rich_side

pytestmark = pytest.mark.django_db
THREE_YEARS_AGO = timezone.now() - dt.timedelta(days=3 * 365)


def _gone_quiet(side) -> None:
    """Everything the side's learner did, three years ago."""
    User.objects.filter(pk=side.learner.pk).update(date_joined=THREE_YEARS_AGO, last_login=THREE_YEARS_AGO)
    LearningEvent.objects.filter(learner=side.learner).update(stored_at=THREE_YEARS_AGO,
                                                              client_timestamp=THREE_YEARS_AGO)
    side.learner.enrolments.update(created_at=THREE_YEARS_AGO)
    Note.objects.filter(learner=side.learner).update(created_at=THREE_YEARS_AGO)
    Accompaniment.objects.filter(learner=side.learner).update(date=THREE_YEARS_AGO.date())
    Attendance.objects.filter(learner=side.learner).update(learner=side.twin)
    AuditEntry.objects.update(at=THREE_YEARS_AGO)


def _run(*args) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_lists_the_learner_without_contact_for_two_years_and_changes_nothing(content):
    side = rich_side(marked=False)
    _gone_quiet(side)
    before = (User.objects.count(), Note.objects.count(), AuditEntry.objects.count())

    out = _run("--dry-run")

    assert "Essai : rien n'est changé." in out
    assert "Apprenants sans contact depuis 730 jours à effacer : 1" in out
    assert side.learner.login_code_display in out
    assert (User.objects.count(), Note.objects.count(), AuditEntry.objects.count()) == before


def test_the_run_erases_the_quiet_learner_old_notes_and_old_log_entries_and_keeps_the_others(content):
    side = rich_side(marked=False)
    _gone_quiet(side)
    recent = Note.objects.create(organisation=side.organisation, learner=side.twin, author=side.trainer, text="Hier.")

    out = _run()

    assert "Apprenants sans contact depuis 730 jours effacés : 1" in out
    assert not User.objects.filter(pk=side.learner.pk).exists()
    assert User.objects.filter(pk=side.twin.pk, is_active=True).exists()
    assert list(Note.objects.all()) == [recent]
    assert LearningEvent.objects.count() == 1  # the learning still counts, on an anonymous row
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert actions == {"learner.erase", "retention.apply"}  # three-year-old entries went


@override_settings(RETENTION_LEARNER_INACTIVE_DAYS=5000, RETENTION_AUDIT_DAYS=5000, RETENTION_NOTE_DAYS=5000,
                   RETENTION_RECORD_DAYS=5000)
def test_the_periods_come_from_the_settings(content):
    side = rich_side(marked=False)
    _gone_quiet(side)

    out = _run()

    assert "Apprenants sans contact depuis 5000 jours effacés : 0" in out
    assert User.objects.filter(pk=side.learner.pk, is_active=True).exists()


def test_the_dry_run_on_a_later_day_says_what_will_go_then(content):
    side = rich_side(marked=False)

    out = _run("--dry-run", "--on", (timezone.localdate() + dt.timedelta(days=800)).isoformat())

    assert side.learner.login_code_display in out and User.objects.filter(pk=side.learner.pk).exists()


def test_an_unreadable_day_is_said_in_french(content):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Date illisible"):
        _run("--dry-run", "--on", "demain")


def test_the_daily_task_applies_retention_and_reports_what_it_did(content):
    from tremplin.privacy.tasks import retention_daily

    side = rich_side(marked=False)
    _gone_quiet(side)

    result = retention_daily.enqueue()

    assert result.return_value["learners"] == 1 and result.return_value["dry_run"] is False
    assert not User.objects.filter(pk=side.learner.pk).exists()
