"""A lively, deterministic demo network: running it twice creates nothing new."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tremplin.accounts.codes import CODE_ALPHABET
from tremplin.accounts.models import User
from tremplin.accounts.services import staff_create
from tremplin.catalog.models import Module, Step
from tremplin.organisations.enums import MembershipRole, OrganisationType
from tremplin.organisations.models import Commune, Organisation
from tremplin.organisations.services import learner_enrol, membership_add, organisation_create
from tremplin.progress.enums import ObjectType, Verb
from tremplin.progress.models import LearningEvent
from tremplin.progress.services import progress_rebuild

NAMESPACE = uuid.UUID("7f1c2a4e-3b5d-4c6e-8f90-a1b2c3d4e5f6")
STAFF_PASSWORD = "tremplin-demo-2026"

ORGANISATIONS = [
    {"name": "Les Clés du Numérique", "type": OrganisationType.ASSO, "commune": "49007",
     "address": "12 rue Plantagenêt", "learners": 24,
     "staff": [("claire.martin@demo.tremplin.fr", "Claire", "Martin", MembershipRole.ADMIN),
               ("yanis.benali@demo.tremplin.fr", "Yanis", "Benali", MembershipRole.TRAINER)]},
    {"name": "CCAS de Mérignac", "type": OrganisationType.CCAS, "commune": "33281",
     "address": "60 avenue du Maréchal de Lattre de Tassigny", "learners": 16,
     "staff": [("nadia.roux@demo.tremplin.fr", "Nadia", "Roux", MembershipRole.ADMIN)]},
    # A third and a fourth structure in other departments (issue 11): the network's dashboards compare them.
    {"name": "Espace numérique Nantes Nord", "type": OrganisationType.EPN, "commune": "44109",
     "address": "3 boulevard Albert Einstein", "learners": 14,
     "staff": [("malik.nguyen@demo.tremplin.fr", "Malik", "Nguyen", MembershipRole.ADMIN)]},
    {"name": "France Services de Roubaix", "type": OrganisationType.MSAP, "commune": "59512",
     "address": "25 rue du Grand Chemin", "learners": 12,
     "staff": [("sandrine.leroy@demo.tremplin.fr", "Sandrine", "Leroy", MembershipRole.ADMIN)]},
]

FIRST_NAMES = ["Samia", "Karim", "Monique", "Oleksandr", "Fatou", "Jean", "Inès", "Mehdi", "Josiane", "Thierry",
               "Aïcha", "Lucas", "Odette", "Mamadou", "Sofia", "Bernard", "Yasmine", "Dylan", "Huguette", "Ali",
               "Nathalie", "Kevin", "Lina", "Marcel", "Awa", "Enzo", "Maryse", "Rayan", "Chantal", "Ibrahim",
               "Léa", "Gérard", "Nour", "Théo", "Paulette", "Moussa", "Sarah", "Hugo", "Irina", "Bilal"]


@dataclass
class DemoReport:
    staff: list[tuple[str, str]] = field(default_factory=list)  # (email, organisation)
    learners: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # (name, code, pin, token, org)
    created: int = 0


def _uuid(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(map(str, parts)))


def _code_and_pin(rng: random.Random) -> tuple[str, str]:
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(6)), f"{rng.randrange(10_000):04d}"


def _play(learner: User, module: Module, steps: list[Step], upto: int, complete: bool,
          rng: random.Random) -> list[LearningEvent]:
    """The events of a learner going through ``module`` (all of it, or its first ``upto`` steps)."""

    def event(event_id: uuid.UUID, verb: str, object_type: str, object_id: str, **extra) -> LearningEvent:
        return LearningEvent(id=event_id, learner=learner, verb=verb, object_type=object_type, object_id=object_id,
                             module=module, content_version=module.content_version, **extra)

    events = []
    for step in steps[: upto if not complete else len(steps)]:
        object_id = f"{module.slug}/{step.slug}"
        if step.is_question:
            events.append(event(_uuid(learner.pk, object_id, "answer"), Verb.ANSWERED, ObjectType.QUESTION,
                                object_id, success=rng.random() < 0.75, response={"demo": True}))
        events.append(event(_uuid(learner.pk, object_id, "next"), Verb.EXPERIENCED,
                            ObjectType.QUESTION if step.is_question else ObjectType.STEP, object_id))
    if complete:
        events.append(event(_uuid(learner.pk, module.slug, "completed"), Verb.COMPLETED, ObjectType.MODULE,
                            module.slug))
    return events


@transaction.atomic
def build_demo_network() -> DemoReport:
    report = DemoReport()
    rng = random.Random(2026)
    modules = list(Module.objects.filter(is_active=True).select_related("track").order_by("track__order",
                                                                                          "position"))
    steps: dict[int, list[Step]] = {m.pk: [] for m in modules}
    for step in Step.objects.filter(is_active=True, module__in=modules).order_by("module_id", "position"):
        steps[step.module_id].append(step)
    events: list[LearningEvent] = []
    now = timezone.now()
    index = 0
    for spec in ORGANISATIONS:
        org = Organisation.objects.filter(name=spec["name"]).first()
        if org is None:
            org = organisation_create(name=spec["name"], type=spec["type"],
                                      commune=Commune.objects.get(code=spec["commune"]), address=spec["address"])
            report.created += 1
        for email, first, last, role in spec["staff"]:
            user = User.objects.filter(username=email).first()
            if user is None:
                user = staff_create(email=email, first_name=first, last_name=last, password=STAFF_PASSWORD)
                report.created += 1
            membership_add(user=user, organisation=org, role=role)
            report.staff.append((email, org.name))
        for _ in range(spec["learners"]):
            first_name = FIRST_NAMES[index % len(FIRST_NAMES)]
            code, pin = _code_and_pin(rng)
            learner = User.objects.filter(username=code).first()
            if learner is None:
                learner = learner_enrol(organisation=org, created_by=None, first_name=first_name,
                                        birth_year=1950 + (index * 7) % 56, pin=pin, login_code=code).user
                report.created += 1
            report.learners.append((first_name, code, pin, learner.card_token, org.name))
            # Varied progress: some have not started, some are mid-way, some are well ahead.
            done = index % 6
            for m in modules[:done]:
                events += _play(learner, m, steps[m.pk], 0, True, rng)
            if modules and index % 4 != 3 and done < len(modules):
                events += _play(learner, modules[done], steps[modules[done].pk], 1 + index % 5, False, rng)
            index += 1
    # The history is written in one go (ids are deterministic: a second run adds nothing) and the
    # progress derived from it by progress_rebuild, the same fold event_record applies one event at a
    # time; recording ~1,800 events one by one made `seed_demo` take most of a minute.
    LearningEvent.objects.bulk_create(events, batch_size=500, ignore_conflicts=True)
    # Spread activity over the last weeks so that "last activity" and "stuck" mean something.
    for n, (_name, code, *_rest) in enumerate(report.learners):
        days = (n * 3) % 29
        LearningEvent.objects.filter(learner__username=code, response__isnull=True).update(
            stored_at=now - timedelta(days=days))
        LearningEvent.objects.filter(learner__username=code, response__isnull=False).update(
            stored_at=now - timedelta(days=days, minutes=1))
    progress_rebuild()
    return report
