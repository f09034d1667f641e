"""`manage.py generate_network` at small N: it creates what it says, in proportion, people can sign in with what
it prints, the progress it writes is what its events fold into, and its rollups are what a recompute gives.

The command runs once for this file (module-scoped, rolled back at the end) on a tiny geography (two regions,
three departments) and the small test curriculum; each test works in its own transaction on top of it.
"""

import io
import re
from collections import Counter
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory
from tremplin.accounts.codes import CODE_ALPHABET
from tremplin.accounts.enums import UserKind
from tremplin.accounts.models import User
from tremplin.coaching.enums import THEME_LABELS
from tremplin.coaching.models import Accompaniment, Attendance, Workshop
from tremplin.diagnostic.models import DiagnosticSession
from tremplin.organisations.enums import NetworkRole, TerritoryKind
from tremplin.organisations.models import Enrolment, NetworkMembership, Organisation, Territory
from tremplin.progress.models import LearningEvent, ModuleProgress
from tremplin.progress.services import progress_rebuild
from tremplin.simulators.models import SimulatorAttempt

LEARNERS, EVENTS, STRUCTURES = 300, 4000, 6


def _geography() -> None:
    north = RegionFactory(code="G1", name="Région G1")
    south = RegionFactory(code="G2", name="Région G2")
    for n, (code, region) in enumerate([("G1A", north), ("G1B", north), ("G2A", south)]):
        department = DepartmentFactory(code=code, name=f"Département {code}", region=region)
        for k in range(2):
            CommuneFactory(code=f"{code}0{k}", name=f"Commune {code}{k}", department=department,
                           population=1000 * (n + k + 1), postcodes=[])


def rollup_rows() -> dict[str, list]:
    from tremplin.stats.models import ActivityDay, PeriodFigure, Tally

    return {
        "activity": sorted(ActivityDay.objects.values_list("day", "person", "organisation_id", "department",
                                                           "region", "events")),
        "tally": sorted(Tally.objects.values_list("day", "organisation_id", "department", "region", "metric",
                                                  "key", "value"), key=str),
        "figures": sorted(PeriodFigure.objects.values_list("period", "start", "level", "code", "metric", "key",
                                                           "value")),
    }


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker, loaded_rows):
    with django_db_blocker.unblock(), transaction.atomic():
        for name in ("fixture_content", "real_bank", "real_simulators"):
            loaded_rows(name).restore()
        _geography()
        out = io.StringIO()
        call_command("generate_network", learners=LEARNERS, events=EVENTS, structures=STRUCTURES, seed=5, days=45,
                     stdout=out)
        yield SimpleNamespace(printed=out.getvalue(), rollups=rollup_rows())
        transaction.set_rollback(True)


@pytest.fixture
def network(generated, db):
    return generated


def test_the_generator_creates_the_learners_events_and_structures_it_was_asked_for(network):
    assert User.objects.filter(kind=UserKind.LEARNER).count() == LEARNERS
    assert LearningEvent.objects.count() == EVENTS
    assert Organisation.objects.count() == STRUCTURES
    # Structures spread over every department of the loaded geography, each with an admin and a trainer or more.
    assert set(Organisation.objects.values_list("commune__department", flat=True)) == {"G1A", "G1B", "G2A"}
    assert not Organisation.objects.annotate(n=Count("memberships")).filter(n=0).exists()


def test_learners_are_followed_in_proportion_some_by_two_structures_some_by_none(network):
    per_learner = Counter(Enrolment.objects.values_list("learner_id", flat=True))
    autonomous = LEARNERS - len(per_learner)
    assert 0.05 * LEARNERS < autonomous < 0.30 * LEARNERS
    assert 1 <= sum(1 for n in per_learner.values() if n == 2) < 0.15 * LEARNERS
    active = LearningEvent.objects.values("learner_id").distinct().count()
    assert 0.75 * LEARNERS < active < LEARNERS  # a few enrolled people never started


def test_diagnostics_simulators_workshops_and_records_come_in_proportion(network):
    sessions = Counter(DiagnosticSession.objects.values_list("learner_id", flat=True))
    assert 0.1 * LEARNERS < len(sessions) < 0.4 * LEARNERS
    assert any(n == 2 for n in sessions.values())  # first and latest
    assert all(s.results and s.completed_at for s in DiagnosticSession.objects.all())
    twice = [learner for learner, n in sessions.items() if n == 2]
    gained = 0
    for learner in twice:
        first, latest = DiagnosticSession.objects.filter(learner_id=learner).order_by("completed_at")
        levels = ["debutant", "initie", "autonome", "confirme"]
        gained += any(levels.index(latest.results[c]["level"]) > levels.index(first.results[c]["level"])
                      for c in first.results)
    assert 0 < gained < len(twice) + 1
    assert SimulatorAttempt.objects.count() > 0.1 * LEARNERS
    assert Workshop.objects.exists() and Attendance.objects.exists()
    themes = {t for record in Accompaniment.objects.all() for t in record.thematiques}
    assert themes and themes <= {str(t) for t in THEME_LABELS}
    assert Accompaniment.objects.filter(type="collectif", workshop__isnull=False).exists()
    assert Accompaniment.objects.filter(type="individuel", learner__isnull=False).exists()


def test_the_network_has_territories_of_every_kind_and_the_printed_people_sign_in(network, client):
    assert set(Territory.objects.values_list("kind", flat=True)) == set(TerritoryKind.values)
    roles = set(NetworkMembership.objects.values_list("role", flat=True))
    assert roles == set(NetworkRole.values)
    printed = network.printed
    password = re.search(r"affiché une seule fois\) : (\S+)", printed).group(1)
    assert printed.count(password) == 1
    national = re.search(r"(national@\S+)", printed).group(1)
    response = client.post("/connexion/equipe/", {"email": national, "password": password})
    assert response.status_code == 302
    assert "seconds" not in printed and " s\n" in printed  # each phase says how long it took


def test_learner_codes_are_valid_login_codes_and_the_printed_pin_signs_in(network, client):
    codes = list(User.objects.filter(kind=UserKind.LEARNER).values_list("username", flat=True))
    assert all(re.fullmatch(f"[{CODE_ALPHABET}]{{6}}", code) for code in codes)
    pin = re.search(r"code secret commun (\d{4})", network.printed).group(1)
    code = re.search(r"par exemple ([A-Z0-9]{3}-[A-Z0-9]{3})", network.printed).group(1)
    response = client.post("/connexion/", {"code": code, "pin": pin})
    assert response.status_code == 302 and response.url.startswith("/apprendre")


def test_module_progress_is_what_the_events_fold_into(network):
    columns = ("learner_id", "module_id", "status", "furthest_position", "score", "answers", "started_at",
               "completed_at", "last_activity_at")
    written = sorted(ModuleProgress.objects.values_list(*columns), key=str)
    assert {row[2] for row in written} == {"in_progress", "completed"}
    progress_rebuild()
    assert sorted(ModuleProgress.objects.values_list(*columns), key=str) == written


def test_the_rollups_it_computed_are_what_a_recompute_gives(network):
    assert network.rollups["activity"] and network.rollups["figures"]
    call_command("rollup_stats", "--all", stdout=io.StringIO())
    assert rollup_rows() == network.rollups
