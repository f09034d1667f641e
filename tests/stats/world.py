"""A small network for the statistics tests: two regions, three departments, three structures, learners
followed by one, two or no structure, and helpers to write what the rollups count."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from dataclasses import dataclass

from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    LearnerFactory,
    OrganisationFactory,
    RegionFactory,
    StaffFactory,
)
from tremplin.coaching.models import Accompaniment, Attendance, Workshop
from tremplin.diagnostic.enums import SessionStatus
from tremplin.diagnostic.models import DiagnosticSession
from tremplin.organisations.models import Enrolment
from tremplin.progress.enums import ObjectType, Verb
from tremplin.progress.models import LearningEvent

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), PARIS)


def event(learner, day: dt.date, *, hour: int = 10, stored: dt.datetime | None = None, client: bool = False,
          verb: str = Verb.EXPERIENCED, object_type: str = ObjectType.STEP, object_id: str = "m/e") -> LearningEvent:
    """An event that happened on ``day`` (stored then, or ``stored`` later with the device's clock)."""
    moment = at(day, hour)
    row = LearningEvent.objects.create(id=uuid.uuid4(), learner=learner, verb=verb, object_type=object_type,
                                       object_id=object_id, client_timestamp=moment if client else None)
    LearningEvent.objects.filter(pk=row.pk).update(stored_at=stored or moment)
    return row


def diagnostic(learner, day: dt.date, levels: dict[str, str]) -> DiagnosticSession:
    return DiagnosticSession.objects.create(learner=learner, status=SessionStatus.COMPLETED, completed_at=at(day),
                                            results={slug: {"level": level, "theta": 0.0}
                                                     for slug, level in levels.items()})


def workshop(organisation, day: dt.date, *, attendees=(), recorded_by=None) -> Workshop:
    row = Workshop.objects.create(organisation=organisation, title="Premiers pas", theme="email", date=day,
                                  start_time=dt.time(14))
    for person in attendees:
        Attendance.objects.create(workshop=row, learner=person, recorded_by=recorded_by)
    return row


def record(organisation, day: dt.date, *, by, themes: list[str]) -> Accompaniment:
    return Accompaniment.objects.create(organisation=organisation, mediateur=by, type="individuel", date=day,
                                        duree=30, type_lieu="lieu_activite", thematiques=themes)


@dataclass
class World:
    angers: object  # structure in 49 (region 52)
    saumur: object  # structure in 49 (region 52)
    merignac: object  # structure in 33 (region 75)
    only_angers: object  # learner followed by Angers
    angers_and_saumur: object  # followed by two structures of the same department
    angers_and_merignac: object  # followed by structures of two regions
    autonomous: object  # followed by nobody
    trainer: object


def build_world() -> World:
    pdl = RegionFactory(code="52", name="Pays de la Loire")
    na = RegionFactory(code="75", name="Nouvelle-Aquitaine")
    d49 = DepartmentFactory(code="49", name="Maine-et-Loire", region=pdl)
    DepartmentFactory(code="44", name="Loire-Atlantique", region=pdl)
    d33 = DepartmentFactory(code="33", name="Gironde", region=na)
    angers = OrganisationFactory(name="Angers", commune=CommuneFactory(code="49007", name="Angers", department=d49))
    saumur = OrganisationFactory(name="Saumur", commune=CommuneFactory(code="49328", name="Saumur", department=d49))
    merignac = OrganisationFactory(name="Mérignac",
                                   commune=CommuneFactory(code="33281", name="Mérignac", department=d33))
    only_angers, both_49, two_regions, autonomous = (LearnerFactory() for _ in range(4))
    for learner, structures in ((only_angers, [angers]), (both_49, [angers, saumur]),
                                (two_regions, [angers, merignac])):
        for structure in structures:
            Enrolment.objects.create(learner=learner, organisation=structure)
    return World(angers, saumur, merignac, only_angers, both_49, two_regions, autonomous, StaffFactory())


__all__ = ["World", "at", "build_world", "diagnostic", "event", "record", "workshop"]
