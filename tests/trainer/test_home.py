import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.progress.enums import ProgressStatus
from tremplin.progress.models import ModuleProgress

from ..coaching.world import build_side
from ..conftest import page_text
from ..factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_the_home_lists_stuck_learners_todays_workshops_and_overdue_work(client, content):
    side = build_side("A")
    other = build_side("B")
    module = side.assignment.module
    ModuleProgress.objects.create(learner=side.learner, module=module, status=ProgressStatus.IN_PROGRESS,
                                  last_activity_at=timezone.now() - dt.timedelta(days=30))
    ModuleProgress.objects.create(learner=other.learner, module=module, status=ProgressStatus.IN_PROGRESS,
                                  last_activity_at=timezone.now() - dt.timedelta(days=30))
    side.assignment.due_date = timezone.localdate() - dt.timedelta(days=1)
    side.assignment.save()
    client.force_login(side.trainer)
    text = page_text(client.get(reverse("trainer:home")))
    assert "Ce qui demande votre attention aujourd'hui" in text
    assert "Atelier A" in text and "Atelier B" not in text
    assert "Personnes qui ont besoin d'aide" in text
    assert text.count(side.learner.display_name) >= 2  # stuck, and late on the assignment
    assert other.learner.display_name not in text
    assert "Travail en retard" in text and "Rien n'est en retard." not in text
    assert "Nouveau compte-rendu" in text and "Programmer un atelier" in text


def test_a_quiet_day_says_so(client, content):
    side = build_side("A")
    side.workshop.date = timezone.localdate() + dt.timedelta(days=3)
    side.workshop.save()
    client.force_login(side.trainer)
    text = page_text(client.get(reverse("trainer:home")))
    assert "Pas d'atelier aujourd'hui." in text
    assert "Personne n'est bloqué pour l'instant." in text
    assert "Rien n'est en retard." in text


def test_a_staff_member_without_organisation_is_told_so(client, db):
    client.force_login(StaffFactory())
    assert "aucune structure" in page_text(client.get(reverse("trainer:home")))
