"""Retention (ADR 0015): nothing about a person is kept longer than its period, every day.

- a learner with no contact for ``RETENTION_LEARNER_INACTIVE_DAYS`` (default 730: the CNIL's two years after the
  last contact for social accompaniment) is erased the way a person asking would be (``learner_erase``), so the
  statistics keep their counts;
- notes about a person are deleted ``RETENTION_NOTE_DAYS`` after they were written, the free text of
  accompaniment records and the name and phone of referrals emptied after ``RETENTION_RECORD_DAYS`` (the record
  and the referral still count);
- import files waiting for a confirmation are deleted after ``RETENTION_IMPORT_DAYS``;
- guests (open access) inactive for ``GUEST_INACTIVE_DAYS`` go as before (``accounts.guests.guests_purge``);
- audit entries are deleted after ``RETENTION_AUDIT_DAYS`` (default 365, the CNIL's recommendation for access logs).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tremplin.accounts.enums import UserKind
from tremplin.accounts.guests import guests_purge
from tremplin.accounts.models import User

from .erasure import ANONYMOUS_PREFIX, learner_erase


@dataclass
class RetentionReport:
    dry_run: bool
    learners: list[tuple[str, str]] = field(default_factory=list)  # (login code, last contact) erased
    notes: int = 0
    records: int = 0
    referrals: int = 0
    imports: int = 0
    guests: int = 0
    audit_entries: int = 0

    def lines(self) -> list[str]:
        would = "à effacer" if self.dry_run else "effacés"
        out = [f"Apprenants sans contact depuis {settings.RETENTION_LEARNER_INACTIVE_DAYS} jours {would} : "
               f"{len(self.learners)}"]
        out += [f"  - {code} (dernier contact : {last})" for code, last in self.learners]
        verb = "à supprimer" if self.dry_run else "supprimées"
        out.append(f"Notes de plus de {settings.RETENTION_NOTE_DAYS} jours {verb} : {self.notes}")
        verb = "à vider" if self.dry_run else "vidés"
        out.append(f"Textes libres des comptes-rendus de plus de {settings.RETENTION_RECORD_DAYS} jours {verb} : "
                   f"{self.records}")
        out.append(f"Noms et téléphones des orientations de plus de {settings.RETENTION_RECORD_DAYS} jours {verb} : "
                   f"{self.referrals}")
        verb = "à supprimer" if self.dry_run else "supprimés"
        out.append(f"Imports non confirmés de plus de {settings.RETENTION_IMPORT_DAYS} jours {verb} : {self.imports}")
        out.append(f"Apprenants sans compte inactifs depuis {settings.GUEST_INACTIVE_DAYS} jours {verb} : "
                   f"{self.guests}")
        verb = "à supprimer" if self.dry_run else "supprimées"
        out.append(f"Entrées du journal de plus de {settings.RETENTION_AUDIT_DAYS} jours {verb} : "
                   f"{self.audit_entries}")
        return out


def _before(now: dt.datetime, days: int) -> dt.datetime:
    return now - dt.timedelta(days=days)


def learners_inactive(*, now: dt.datetime | None = None) -> QuerySet[User]:
    """Learners with a code and no contact since the limit: no sign-in, learning, workshop, record, note or
    enrolment since then."""
    from tremplin.coaching.models import Accompaniment, Attendance, Note
    from tremplin.organisations.models import Enrolment
    from tremplin.progress.models import LearningEvent

    now = now or timezone.now()
    limit = _before(now, settings.RETENTION_LEARNER_INACTIVE_DAYS)
    day = timezone.localdate(limit)
    recent = [
        LearningEvent.objects.filter(learner=OuterRef("pk"), stored_at__gte=limit),
        Attendance.objects.filter(learner=OuterRef("pk"), workshop__date__gte=day),
        Accompaniment.objects.filter(learner=OuterRef("pk"), date__gte=day),
        Note.objects.filter(learner=OuterRef("pk"), created_at__gte=limit),
        Enrolment.objects.filter(learner=OuterRef("pk"), created_at__gte=limit),
    ]
    learners = (User.objects.filter(kind=UserKind.LEARNER, is_active=True, is_guest=False, date_joined__lt=limit)
                .exclude(username__startswith=ANONYMOUS_PREFIX)
                .filter(Q(last_login__isnull=True) | Q(last_login__lt=limit)))
    for rows in recent:
        learners = learners.exclude(Exists(rows))
    return learners.order_by("date_joined", "pk")


def _last_contact(learner: User) -> str:
    from tremplin.progress.models import LearningEvent

    moments = [learner.date_joined, learner.last_login,
               LearningEvent.objects.filter(learner=learner).order_by("-stored_at")
               .values_list("stored_at", flat=True).first()]
    return timezone.localdate(max(m for m in moments if m is not None)).isoformat()


@transaction.atomic
def _records_expire(now: dt.datetime, dry_run: bool, report: RetentionReport) -> None:
    from tremplin.coaching.models import Accompaniment, Note, Referral
    from tremplin.organisations.models import LearnerImport

    notes = Note.objects.filter(created_at__lt=_before(now, settings.RETENTION_NOTE_DAYS))
    records = Accompaniment.objects.filter(date__lt=timezone.localdate(_before(now, settings.RETENTION_RECORD_DAYS))
                                           ).exclude(notes="")
    referrals = Referral.objects.filter(created_at__lt=_before(now, settings.RETENTION_RECORD_DAYS)).exclude(
        first_name="", phone="", diagnostic_note="")
    imports = LearnerImport.objects.filter(status=LearnerImport.Status.PENDING,
                                           created_at__lt=_before(now, settings.RETENTION_IMPORT_DAYS))
    report.notes, report.records = notes.count(), records.count()
    report.referrals, report.imports = referrals.count(), imports.count()
    if not dry_run:
        notes.delete()
        records.update(notes="")
        referrals.update(first_name="", phone="", diagnostic_note="")
        imports.delete()


def retention_apply(*, now: dt.datetime | None = None, dry_run: bool = False,
                    limit: int | None = None) -> RetentionReport:
    """Apply every retention period once (the daily task, ``manage.py apply_retention``). Each learner is erased in
    a transaction of its own: a run stopped half-way leaves whole erasures only, and the next run goes on."""
    from tremplin.audit.models import AuditEntry
    from tremplin.audit.services import audit_log

    now = now or timezone.now()
    report = RetentionReport(dry_run=dry_run)
    for learner in learners_inactive(now=now)[:limit or settings.RETENTION_BATCH]:
        report.learners.append((learner.login_code_display, _last_contact(learner)))
        if not dry_run:
            learner_erase(learner_id=learner.pk, actor=None, requested_by="retention", reason="retention")
    _records_expire(now, dry_run, report)
    report.guests = guests_purge(now=now, dry_run=dry_run)
    old_entries = AuditEntry.objects.filter(at__lt=_before(now, settings.RETENTION_AUDIT_DAYS))
    report.audit_entries = old_entries.count()
    if not dry_run:
        old_entries.delete()
        audit_log(actor=None, action="retention.apply", detail={
            "learners": len(report.learners), "notes": report.notes, "records": report.records,
            "referrals": report.referrals, "imports": report.imports, "guests": report.guests,
            "audit_entries": report.audit_entries})
    return report
