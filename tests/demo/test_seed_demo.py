"""`make demo`: the same commands, in the same order, build a lively network; running them again adds nothing.

The commands run once for this file (``demo``, module-scoped, rolled back at the end); each test then
works inside its own transaction on top of them.
"""

import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from tremplin.accounts.enums import UserKind
from tremplin.accounts.models import User
from tremplin.diagnostic.enums import SessionStatus
from tremplin.diagnostic.models import DiagnosticSession
from tremplin.diagnostic.selectors import next_version_for
from tremplin.organisations.models import Membership, Organisation
from tremplin.progress.enums import ProgressStatus
from tremplin.progress.models import LearningEvent, ModuleProgress
from tremplin.progress.services import progress_rebuild

# `make demo` runs load_geography, load_content, load_diagnostic, load_simulators, then seed_demo.
MAKE_DEMO = ("load_geography", "seed_demo")


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in apps.get_models()
            if m._meta.app_label in {"accounts", "organisations", "progress", "coaching", "diagnostic",
                                     "simulators", "catalog", "audit"}}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, loaded_rows):
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        # load_content, load_diagnostic and load_simulators write what the session already loaded once
        # with the same services (tests/conftest.py): those rows are reused; the commands have their own
        # tests, and the idempotency test below runs load_content again over them.
        for name in ("real_content", "real_bank", "real_simulators"):
            loaded_rows(name).restore()
        for command in MAKE_DEMO:
            call_command(command, stdout=out)
        yield SimpleNamespace(printed=out.getvalue(), counts=counts())
        transaction.set_rollback(True)


@pytest.fixture
def seeded(demo, db):
    return demo


def test_running_the_demo_commands_again_duplicates_nothing(seeded):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("load_content", stdout=io.StringIO())
    again = counts()
    again["ContentRelease"] -= 1  # each load records a release, by design
    assert again == seeded.counts


def test_the_demo_network_has_four_structures_a_partner_agency_and_sixty_seven_learners(seeded):
    from tremplin.coaching.models import Referral
    from tremplin.organisations.enums import MembershipRole

    partners = Organisation.objects.filter(memberships__role=MembershipRole.PRESCRIBER).distinct()
    structures = Organisation.objects.exclude(pk__in=partners)
    assert structures.count() == 4 and partners.count() == 1
    assert structures.values("commune__department").distinct().count() == 4
    # 3 trainers and a partner, the 2 new structures' managers, the 4 people of the network
    assert User.objects.filter(kind=UserKind.STAFF).count() == 10
    for org in Organisation.objects.all():
        assert Membership.objects.filter(organisation=org).exists()
    # 66, one person referred and enrolled, one not seen for three years
    assert User.objects.filter(kind=UserKind.LEARNER).count() == 68
    for org in structures:  # every structure looks alive on the dashboards
        assert LearningEvent.objects.filter(learner__enrolments__organisation=org).exists(), org
        assert org.workshops.exists() and org.accompaniments.exists(), org
    assert sorted(Referral.objects.values_list("status", flat=True)) == ["enrolled", "sent"]
    printed = seeded.printed
    assert "tremplin-demo-2026" in printed and "code secret" in printed and "oriente des personnes" in printed


def test_demo_learners_are_mid_way_or_done_and_their_progress_is_what_their_events_say(seeded):
    statuses = set(ModuleProgress.objects.values_list("status", flat=True))
    assert statuses == {ProgressStatus.IN_PROGRESS, ProgressStatus.COMPLETED}
    assert LearningEvent.objects.filter(module__isnull=False).count() > 500
    # The demo writes its events in bulk: the progress it shows is exactly the one derived from them.
    before = sorted(ModuleProgress.objects.values_list("learner_id", "module_id", "status", "furthest_position",
                                                       "score"))
    progress_rebuild()
    assert sorted(ModuleProgress.objects.values_list("learner_id", "module_id", "status", "furthest_position",
                                                     "score")) == before


def test_demo_diagnostics_are_complete_and_stop_where_the_engine_stops(seeded):
    sessions = list(DiagnosticSession.objects.all())
    assert len(sessions) == 12  # 10 learners, two of whom took it again a month later
    assert all(s.status == SessionStatus.COMPLETED and s.results for s in sessions)
    # The demo picks its questions with the engine directly (one read of the bank for all sessions):
    # they are the very questions the learner's screen asks. Taking the answers back from the last, the
    # screen's selector asks nothing after the last one and asks each removed question again (checked
    # on the first four, where the rotation over competences decides, and the last two).
    session = sessions[0]
    answers = list(session.answers.order_by("position"))
    assert len(answers) >= 10
    assert next_version_for(session) is None
    checked = {0, 1, 2, 3, len(answers) - 2, len(answers) - 1}
    for position, answer in reversed(list(enumerate(answers))):
        answer.delete()
        if position in checked:
            assert next_version_for(session).item_id == answer.item_id, position


def test_the_demo_network_has_a_region_a_hub_and_people_above_the_structures_who_sign_in(seeded, client):
    from tremplin.organisations.access import network_scope_for
    from tremplin.organisations.models import Territory

    region = Territory.objects.get(kind="region")
    hub = Territory.objects.get(kind="hub")
    assert region.department_codes() >= {"44", "49"} and hub.department_codes() == {"33", "59"}
    printed = seeded.printed
    expected = {"equipe.nationale@demo.tremplin.fr": ("network_admin", None),
                "agnes.perrin@demo.tremplin.fr": ("coordinator", region),
                "thomas.girard@demo.tremplin.fr": ("coordinator", hub),
                "financeur.pdl@demo.tremplin.fr": ("funder", region)}
    for email, (role, territory) in expected.items():
        assert email in printed
        scope = network_scope_for(user=User.objects.get(username=email))
        assert (scope.role, scope.territory) == (role, territory)
    response = client.post("/connexion/equipe/", {"email": "financeur.pdl@demo.tremplin.fr",
                                                  "password": "tremplin-demo-2026"})
    assert response.status_code == 302


def test_the_demo_figures_are_computed_at_the_end_of_seeding(seeded):
    from tremplin.stats.models import ActivityDay, PeriodFigure

    reached = ActivityDay.objects.values("person").distinct().count()
    assert reached == LearningEvent.objects.values("learner").distinct().count()
    assert PeriodFigure.objects.filter(period="all", level="national", metric="people_reached").get().value == reached


def test_the_retention_dry_run_on_a_fresh_demo_lists_the_learner_not_seen_for_three_years_and_erases_nothing(seeded):
    from tremplin.demo.quiet import QUIET_CODE
    from tremplin.privacy.retention import retention_apply

    learners = User.objects.filter(kind=UserKind.LEARNER).count()
    report = retention_apply(dry_run=True)
    assert [code.replace(" ", "").replace("-", "") for code, _last in report.learners] == [QUIET_CODE]
    assert User.objects.filter(kind=UserKind.LEARNER).count() == learners
    assert User.objects.filter(username=QUIET_CODE, is_active=True).exists()
