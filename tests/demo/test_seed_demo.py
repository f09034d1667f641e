import io

import pytest
from django.apps import apps
from django.core.management import call_command

from tremplin.accounts.enums import UserKind
from tremplin.accounts.models import User
from tremplin.organisations.models import Membership, Organisation
from tremplin.progress.enums import ProgressStatus
from tremplin.progress.models import ModuleProgress

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in apps.get_models()
            if m._meta.app_label in {"accounts", "organisations", "progress", "coaching", "diagnostic",
                                     "simulators", "catalog", "audit"}}


def test_the_demo_network_is_lively_and_running_it_twice_duplicates_nothing():
    out = io.StringIO()
    for command in ("load_geography", "load_content", "load_diagnostic", "load_simulators", "seed_demo"):
        call_command(command, stdout=out)
    first = counts()
    call_command("seed_demo", stdout=out)
    call_command("load_content", stdout=out)
    second = counts()
    second["ContentRelease"] -= 1  # each load records a release, by design
    assert first == second

    assert Organisation.objects.count() == 2
    assert Organisation.objects.values("commune__department").distinct().count() == 2
    assert User.objects.filter(kind=UserKind.STAFF).count() == 3
    for org in Organisation.objects.all():
        assert Membership.objects.filter(organisation=org).exists()
    assert User.objects.filter(kind=UserKind.LEARNER).count() == 40
    statuses = set(ModuleProgress.objects.values_list("status", flat=True))
    assert statuses == {ProgressStatus.IN_PROGRESS, ProgressStatus.COMPLETED}
    printed = out.getvalue()
    assert "tremplin-demo-2026" in printed and "code secret" in printed
