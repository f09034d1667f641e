"""« À faire pour votre formateur » on « Mes parcours »: soonest due first, each content once, nothing finished or
withdrawn, in one query whatever the number of assignments."""

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tremplin.catalog.cache import invalidate
from tremplin.catalog.models import Module, Track
from tremplin.catalog.selectors import catalog
from tremplin.coaching.services import assignment_create, group_create
from tremplin.learner.home_assignments import assignments_for_home
from tremplin.progress.models import ModuleProgress

from ..coaching.world import build_side
from ..conftest import page_text


def _box(client) -> str:
    text = page_text(client.get(reverse("learner:home")))
    start = text.index("À faire pour votre formateur")
    return text[start:start + 600]


def test_assignments_are_listed_soonest_first_once_each_without_finished_or_withdrawn_modules(client, content):
    side = build_side("A")  # gives its group the first module, without a due date
    org, trainer, learner = side.organisation, side.trainer, side.learner
    first, second = Module.objects.filter(is_active=True).order_by("track__order", "position")[:2]
    assert side.assignment.module == first
    track = Track.objects.filter(is_active=True).first()
    other_group = group_create(organisation=org, name="Mardi", members=[learner], created_by=trainer)
    soon, later = dt.date(2099, 1, 5), dt.date(2099, 2, 9)
    assignment_create(organisation=org, created_by=trainer, track=track, learner=learner)  # no date: last
    assignment_create(organisation=org, created_by=trainer, module=second, learner=learner, due_date=later)
    assignment_create(organisation=org, created_by=trainer, module=second, group=other_group, due_date=soon)
    client.force_login(learner)

    items = assignments_for_home(learner)["assigned"]
    assert [(i["slug"], i["due_date"], i["is_track"]) for i in items] == [
        (second.slug, soon, False), (track.slug, None, True), (first.slug, None, False)]
    box = _box(client)
    assert box.index(second.title) < box.index(track.title) and box.count(second.title) == 1
    assert re.search(r"À faire avant le \w+ 5 janvier", box)

    ModuleProgress.objects.create(learner=learner, module=first, status="completed",
                                  completed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    Module.objects.filter(pk=second.pk).update(is_active=False)  # withdrawn by a content release
    invalidate()
    assert [i["slug"] for i in assignments_for_home(learner)["assigned"]] == [track.slug]


def test_the_to_do_box_costs_one_query_whatever_the_number_of_assignments(content):
    side = build_side("A")
    modules = list(Module.objects.filter(is_active=True))
    for n, module in enumerate(modules):
        assignment_create(organisation=side.organisation, created_by=side.trainer, module=module, learner=side.learner,
                          due_date=dt.date(2099, 1, 1) + dt.timedelta(days=n))
    done: set[int] = set()
    curriculum = catalog()  # the home page has read it already
    with CaptureQueriesContext(connection) as queries:
        items = assignments_for_home(side.learner, done=done, curriculum=curriculum)["assigned"]
    assert len(items) == len(modules) and len(queries) == 1
