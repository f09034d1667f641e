"""What a sync changes elsewhere: the statistics of the day it happened, the trainer's follow-up grid."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.stats import rollup
from tremplin.stats.models import ActivityDay

from ..coaching.world import build_side
from .helpers import Queue, statuses, sync

pytestmark = pytest.mark.django_db


def test_an_answer_made_offline_yesterday_counts_in_yesterdays_activity(content, learner_client, learner):
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    noon = dt.datetime.combine(yesterday, dt.time(12), timezone.get_current_timezone())
    assert statuses(sync(learner_client, learner, [Queue(start=noon).next(1)])) == ["stored"]
    rollup.range_rollup(first=yesterday, last=today)
    assert list(ActivityDay.objects.values_list("day", flat=True)) == [yesterday]


def test_a_module_completed_offline_shows_done_on_the_trainers_grid(content, client):
    side = build_side("A")
    module = side.assignment.module
    client.force_login(side.learner)
    response = sync(client, side.learner, Queue(module.slug).whole_module_right().events)
    assert response.json()["modules"][0]["completed"] is True
    client.force_login(side.trainer)
    html = client.get(reverse("trainer:followup_grid")).content.decode()
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    assert re.findall(r'<span class="(status-[a-z]+)">', body) == ["status-done"]
