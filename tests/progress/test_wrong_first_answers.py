"""``ModuleProgress.wrong_first_answers`` (the follow-up grid's « besoin d'aide » in SQL) always says what the
``answers`` JSON says: answered live, sent late from a device, rebuilt from the events, saved by hand, and filled by
the migration for the rows that existed before it."""

import datetime as dt
import importlib
import uuid
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from tremplin.catalog.enums import QUESTION_KINDS
from tremplin.catalog.models import Module
from tremplin.progress.enums import ObjectType, Verb
from tremplin.progress.models import ModuleProgress, wrong_first_count
from tremplin.progress.quiz import step_object_id
from tremplin.progress.services import event_record, progress_rebuild

from ..factories import LearnerFactory

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("tremplin.progress.migrations.0003_backfill_wrong_first_answers").backfill


def _answer(learner, step, success: bool, *, at: dt.datetime | None = None) -> None:
    event_record(learner=learner, event_id=uuid.uuid4(), verb=Verb.ANSWERED, object_type=ObjectType.QUESTION,
                 object_id=step_object_id(step), module=step.module, success=success, client_timestamp=at)


def _row(learner, module) -> ModuleProgress:
    return ModuleProgress.objects.get(learner=learner, module=module)


@pytest.fixture
def questions(content):
    module = Module.objects.filter(steps__kind__in=QUESTION_KINDS).distinct().first()
    steps = list(module.steps.filter(kind__in=QUESTION_KINDS).order_by("position"))
    assert len(steps) >= 3
    return steps


def test_answers_given_live_count_the_questions_missed_the_first_time_only(questions):
    learner = LearnerFactory()
    q1, q2, q3 = questions[:3]
    _answer(learner, q1, False)
    _answer(learner, q1, True)  # right the second time: still missed the first time
    _answer(learner, q2, True)
    _answer(learner, q2, False)  # wrong the second time: not a first answer
    assert _row(learner, q1.module).wrong_first_answers == 1
    _answer(learner, q3, False)
    row = _row(learner, q1.module)
    assert row.wrong_first_answers == 2 == wrong_first_count(row.answers)


def test_an_answer_sent_late_from_a_device_and_the_rebuild_keep_the_count_right(questions):
    learner = LearnerFactory()
    q1, q2 = questions[:2]
    _answer(learner, q1, True)
    _answer(learner, q2, True)
    assert _row(learner, q1.module).wrong_first_answers == 0
    # Made offline before the answers above: it was the first answer to q1, and it was wrong.
    _answer(learner, q1, False, at=timezone.now() - dt.timedelta(hours=2))
    row = _row(learner, q1.module)
    assert row.answers[q1.slug]["first"] is False and row.wrong_first_answers == 1
    ModuleProgress.objects.filter(pk=row.pk).update(wrong_first_answers=7)
    progress_rebuild(learner=learner)
    assert _row(learner, q1.module).wrong_first_answers == 1


def test_saving_a_row_by_hand_counts_its_answers_even_when_only_the_answers_are_saved(questions):
    row = ModuleProgress.objects.create(learner=LearnerFactory(), module=questions[0].module,
                                        answers={"a": {"first": False}, "b": {"first": True}})
    assert row.wrong_first_answers == 1
    row.answers = {"a": {"first": False}, "b": {"first": False}, "c": {"last": False}}
    row.save(update_fields=["answers"])
    assert _row(row.learner, row.module).wrong_first_answers == 2


def test_the_migration_fills_the_count_of_existing_rows_from_their_answers_in_the_database(questions):
    modules = list(Module.objects.all()[:2])
    kinds = [
        {}, {"a": {"first": True, "last": True}}, {"a": {"first": False, "last": True}},
        {"a": {"first": False}, "b": {"first": False, "last": False}, "c": {"first": True}},
        {"a": {"last": False}, "b": {"first": None}, "c": "false", "d": {"first": "false"}, "e": {"first": 0}},
    ]
    for answers in kinds:
        learner = LearnerFactory()
        for module in modules:
            ModuleProgress.objects.create(learner=learner, module=module, answers=answers)
    ModuleProgress.objects.update(wrong_first_answers=0)  # as the column is just after it is added
    backfill(apps, SimpleNamespace(connection=connection))
    counted = [(wrong_first_count(answers), n) for answers, n in ModuleProgress.objects.values_list(
        "answers", "wrong_first_answers")]
    assert all(python == sql for python, sql in counted), counted
    assert sorted({n for _a, n in counted}) == [0, 1, 2]
