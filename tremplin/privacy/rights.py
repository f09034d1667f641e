"""The right of access: what Tremplin keeps about one learner, who can see it, and a copy (JSON and PDF).

Only rows about this person: their account, the structures that follow them, their own learning history, and
what those structures wrote about them — notes and accompaniment records included (decision of ADR 0015: a
person may read what a structure writes about them, as in any social file; trainers are told so beside the note
form). Never another person's data: no other learner of a group or a workshop, no author's name (the structure
is named), no note about somebody else. Reads only, except ``personal_data_export`` which records the download.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tremplin.accounts.models import User
from tremplin.audit.models import AuditEntry
from tremplin.audit.services import audit_log
from tremplin.organisations.models import Enrolment, Organisation

FORMAT_VERSION = 1
ACCESS_ACTIONS = {"learner.view", "learner.enrol", "learner.enrol_existing", "learner.pin_reset", "learner.share",
                  "learner.merge", "learner.data_export", "learner.erasure_request", "diagnostic.sheet_printed",
                  "diagnostic.paper_entered", "diagnostic.accompanied_start"}


@dataclass(frozen=True)
class Summary:
    """How much we keep, in words a learner reads on « Mon compte »."""

    structures: list[Organisation]
    modules_started: int
    modules_completed: int
    diagnostics: int
    simulator_attempts: int
    workshops: int
    has_cv: bool
    notes: int
    records: int


def structures_following(*, learner: User) -> list[Organisation]:
    return list(Organisation.objects.filter(enrolments__learner=learner).select_related("commune").order_by("name"))


def summary_of(*, learner: User) -> Summary:
    from tremplin.coaching.models import Accompaniment, Attendance, Note
    from tremplin.cv.models import CV
    from tremplin.diagnostic.models import DiagnosticSession
    from tremplin.progress.enums import ProgressStatus
    from tremplin.progress.models import ModuleProgress
    from tremplin.simulators.models import SimulatorAttempt

    progress = ModuleProgress.objects.filter(learner=learner)
    return Summary(
        structures=structures_following(learner=learner),
        modules_started=progress.count(),
        modules_completed=progress.filter(status=ProgressStatus.COMPLETED).count(),
        diagnostics=DiagnosticSession.objects.filter(learner=learner).count(),
        simulator_attempts=SimulatorAttempt.objects.filter(learner=learner).count(),
        workshops=Attendance.objects.filter(learner=learner).count(),
        has_cv=CV.objects.filter(learner=learner).exists(),
        notes=Note.objects.filter(learner=learner).count(),
        records=Accompaniment.objects.filter(learner=learner).count(),
    )


def _when(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def personal_data(*, learner: User) -> dict[str, Any]:
    """Everything about the person, as plain JSON values (the download, and the PDF's content)."""
    from tremplin.coaching.models import Accompaniment, Attendance, Group, Note, Referral
    from tremplin.cv.models import CV
    from tremplin.diagnostic.models import DiagnosticSession
    from tremplin.progress.models import LearningEvent, ModuleProgress
    from tremplin.simulators.models import SimulatorAttempt

    enrolments = Enrolment.objects.filter(learner=learner).select_related("organisation__commune").order_by(
        "created_at")
    names = {e.organisation_id: e.organisation.name for e in enrolments}
    cv = CV.objects.filter(learner=learner).first()
    return {
        "format": "tremplin-donnees-personnelles", "version": FORMAT_VERSION,
        "exported_at": _when(timezone.now()),
        "account": {
            "login_code": learner.login_code_display, "first_name": learner.first_name,
            "last_name": learner.last_name, "birth_year": learner.birth_year, "phone": learner.phone,
            "created_at": _when(learner.date_joined), "last_sign_in": _when(learner.last_login),
            "without_account": learner.is_guest,
        },
        "structures": [{"name": e.organisation.name, "commune": e.organisation.commune.name,
                        "following_since": _when(e.created_at), "contact_email": e.contact_email}
                       for e in enrolments],
        "modules": [{"module": p.module.slug, "title": p.module.title, "status": p.status,
                     "score": p.score, "started_at": _when(p.started_at), "completed_at": _when(p.completed_at)}
                    for p in ModuleProgress.objects.filter(learner=learner).select_related("module")
                    .order_by("started_at", "pk")],
        "learning_events": [{"id": str(e.id), "verb": e.verb, "object": e.object_id, "success": e.success,
                             "score": e.score, "response": e.response, "at": _when(e.client_timestamp or e.stored_at)}
                            for e in LearningEvent.objects.filter(learner=learner).order_by("stored_at", "id")],
        "diagnostics": [{"status": d.status, "mode": d.mode, "started_at": _when(d.started_at),
                         "completed_at": _when(d.completed_at), "profile": d.profile, "results": d.results}
                        for d in DiagnosticSession.objects.filter(learner=learner).order_by("started_at")],
        "simulators": [{"simulator": a.simulator.slug, "title": a.simulator.title, "mode": a.mode,
                        "outcome": a.outcome, "score": a.score, "started_at": _when(a.started_at)}
                       for a in SimulatorAttempt.objects.filter(learner=learner).select_related("simulator")
                       .order_by("started_at")],
        "cv": cv.data if cv else None,
        "groups": [{"structure": g.organisation.name, "group": g.name}
                   for g in Group.objects.filter(members=learner).select_related("organisation").order_by("name")],
        "workshops": [{"structure": a.workshop.organisation.name, "title": a.workshop.title,
                       "date": _when(a.workshop.date)}
                      for a in Attendance.objects.filter(learner=learner)
                      .select_related("workshop__organisation").order_by("workshop__date")],
        "notes": [{"structure": names.get(n.organisation_id, n.organisation.name), "written_at": _when(n.created_at),
                   "text": n.text}
                  for n in Note.objects.filter(learner=learner).select_related("organisation").order_by("created_at")],
        "records": [{"structure": r.organisation.name, "date": _when(r.date), "type": r.type, "minutes": r.duree,
                     "themes": r.thematiques, "autonomy": r.autonomie, "notes": r.notes}
                    for r in Accompaniment.objects.filter(learner=learner).select_related("organisation")
                    .order_by("date")],
        "referrals": [{"from": r.from_organisation.name, "to": r.organisation.name, "first_name": r.first_name,
                       "phone": r.phone, "themes": r.themes, "status": r.status, "sent_at": _when(r.created_at)}
                      for r in Referral.objects.filter(learner=learner)
                      .select_related("organisation", "from_organisation").order_by("created_at")],
        "who_opened_my_file": [
            {"at": _when(a.at), "action": a.action,
             "structure": names.get(a.organisation_id, "") if a.organisation_id else ""}
            for a in AuditEntry.objects.filter(target_type="learner", target_id=str(learner.pk),
                                               action__in=ACCESS_ACTIONS).order_by("-at")[:500]],
    }


def personal_data_export(*, learner: User, actor: User, file_format: str, organisation: Organisation | None = None
                         ) -> dict[str, Any]:
    """The person's data for a download, recorded in the audit log (by the person, or a trainer for them)."""
    data = personal_data(learner=learner)
    audit_log(actor=actor, action="learner.data_export", target_type="learner", target_id=learner.pk,
              organisation_id=organisation.pk if organisation else None,
              detail={"format": file_format, "on_behalf": actor.pk != learner.pk})
    return data


def personal_data_pdf(*, data: dict[str, Any], request=None) -> bytes:
    from tremplin.lib.pdf import render_pdf

    return render_pdf("privacy/personal_data_pdf.html", {"data": data, "today": timezone.localdate()},
                      request=request)
