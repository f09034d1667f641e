"""The quiz rules in the domain, called as the offline sync will: a learner, a step, a raw answer."""

import uuid

import pytest
from django.http import QueryDict

from tremplin.catalog import answers
from tremplin.catalog.models import Step
from tremplin.diagnostic import scoring
from tremplin.progress import quiz
from tremplin.progress.enums import ObjectType, Verb
from tremplin.progress.models import LearningEvent, ModuleProgress
from tremplin.progress.quiz import InvalidAnswer, completion_event_id, event_id_parse, first_not_done, step_answer_read
from tremplin.progress.services import EventConflict, step_advance, step_answer

CHOICES = [{"text": "A", "correct": True}, {"text": "B"}, {"text": "C", "correct": True}]


def make_step(kind):
    one = [{"text": "A", "correct": True}, {"text": "B"}, {"text": "C"}]
    choices = {"single": one, "picture": one,
               "order": [{"text": "1"}, {"text": "2"}, {"text": "3"}]}.get(kind, CHOICES)
    return Step(kind=kind, slug="q", data={} if kind == "explanation" else {"choices": choices})


def form(**fields):
    query = QueryDict(mutable=True)
    for key, value in fields.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


# Grading each step kind, from a form and from a plain mapping (the offline queue)

@pytest.mark.parametrize("kind", ["single", "picture"])
@pytest.mark.parametrize("raw", [form(choice="0"), {"choice": "0"}, {"choice": 0}])
def test_a_single_or_picture_step_is_right_only_with_its_correct_choice(kind, raw):
    assert step_answer_read(make_step(kind), raw) == quiz.Graded([0], True)
    assert step_answer_read(make_step(kind), {"choice": "1"}) == quiz.Graded([1], False)


def test_a_multiple_step_is_right_only_with_exactly_every_correct_choice():
    step = make_step("multiple")
    assert step_answer_read(step, form(choice=["2", "0"])) == quiz.Graded([0, 2], True)
    assert step_answer_read(step, {"choice": ["0", "2", "2"]}) == quiz.Graded([0, 2], True)
    assert step_answer_read(step, {"choice": ["0"]}).correct is False
    assert step_answer_read(step, {"choice": ["0", "1", "2"]}).correct is False


def test_an_order_step_is_right_when_the_ranks_follow_the_written_order():
    step = make_step("order")
    assert step_answer_read(step, {"rank_0": "1", "rank_1": "2", "rank_2": "3"}) == quiz.Graded([1, 2, 3], True)
    assert step_answer_read(step, form(rank_0="2", rank_1="1", rank_2="3")) == quiz.Graded([2, 1, 3], False)


# Invalid answers: one InvalidAnswer, French messages

@pytest.mark.parametrize(("kind", "raw", "message"), [
    ("single", {}, "Choisissez une réponse"),
    ("single", {"choice": ""}, "Choisissez une réponse"),
    ("single", {"choice": "3"}, "Cette réponse n'existe pas"),
    ("single", {"choice": "-1"}, "Cette réponse n'existe pas"),
    ("single", {"choice": "un"}, "Cette réponse n'existe pas"),
    ("single", {"choice": True}, "Cette réponse n'existe pas"),
    ("single", {"choice": ["0"]}, "Cette réponse n'existe pas"),
    ("picture", {"choice": 1.5}, "Cette réponse n'existe pas"),
    ("multiple", {}, "Cochez au moins une réponse"),
    ("multiple", {"choice": ["0", "9"]}, "Cette réponse n'existe pas"),
    ("order", {"rank_0": "1", "rank_1": "2"}, "Donnez un numéro à chaque ligne"),
    ("order", {"rank_0": "1", "rank_1": "1", "rank_2": "3"}, "Donnez un numéro différent"),
    ("order", {"rank_0": "1", "rank_1": "2", "rank_2": "4"}, "Cette réponse n'existe pas"),
    ("explanation", {"choice": "0"}, "Cette étape n'attend pas de réponse"),
])
def test_an_unreadable_answer_is_refused_with_a_french_sentence(kind, raw, message):
    with pytest.raises(InvalidAnswer, match=message):
        step_answer_read(make_step(kind), raw)


def test_quizzes_and_the_diagnostic_share_one_answer_reader_and_one_invalid_answer():
    assert quiz.InvalidAnswer is answers.InvalidAnswer
    assert not hasattr(scoring, "InvalidAnswer") and not hasattr(scoring, "read_response")
    assert answers.read_response("tap", 3, {"choice": "2"}, skippable=True) == {"choices": [2]}
    assert answers.read_response("single", 3, {"action": "skip"}, skippable=True) == answers.SKIP
    with pytest.raises(answers.InvalidAnswer, match="Je ne sais pas"):
        answers.read_response("single", 3, {}, skippable=True)
    with pytest.raises(answers.InvalidAnswer, match="Choisissez une réponse"):
        answers.read_response("single", 3, {"action": "skip"})  # a quiz step has no « Je ne sais pas »


def test_a_typed_answer_is_trimmed_cut_and_loses_nul_bytes():
    assert answers.read_response("text", 0, {"text": "  karim\x00@exemple.fr "}) == {"text": "karim@exemple.fr"}
    assert len(answers.read_response("text", 0, {"text": "a" * 500})["text"]) == answers.MAX_TEXT
    for raw in ({}, {"text": "   "}, {"text": "\x00"}, {"text": 12}):
        with pytest.raises(answers.InvalidAnswer, match="Écrivez votre réponse"):
            answers.read_response("text", 0, raw)


# The completion rule

def steps_of_kinds(*kinds):
    return [Step(kind=kind, slug=f"s{i}", data={"choices": CHOICES}) for i, kind in enumerate(kinds)]


def test_a_module_is_done_when_every_lesson_is_seen_and_every_question_answered():
    steps = steps_of_kinds("explanation", "single", "recap", "order")
    assert first_not_done(steps, seen={"s0", "s2"}, answered={"s1", "s3"}) is None


def test_the_first_step_not_done_is_the_one_to_do():
    steps = steps_of_kinds("explanation", "single", "recap", "order")
    assert first_not_done(steps, seen={"s2", "s3"}, answered={"s1", "s3"}) == 0
    assert first_not_done(steps, seen={"s0", "s1", "s2", "s3"}, answered={"s3"}) == 1  # seen is not answered
    assert first_not_done(steps, seen={"s0", "s1", "s3"}, answered={"s1", "s3"}) == 2
    assert first_not_done(steps, seen=set(), answered=set()) == 0


# Event ids are stable

def test_the_completion_event_id_is_the_same_for_the_same_submit_and_differs_otherwise():
    submit = uuid.UUID("6f1c1b52-0c7e-4a36-8a60-5b4f2d8b9e11")
    assert completion_event_id(submit) == completion_event_id(uuid.UUID(str(submit)))
    # Pinned: the same formula as before the move, so old forms replayed still match their stored event.
    assert completion_event_id(submit) == uuid.UUID("81e8a758-bb4f-53dd-9f76-e2e7e75c9de2")
    assert completion_event_id(submit) != submit
    assert completion_event_id(submit) != completion_event_id(uuid.uuid4())


def test_an_event_id_that_is_not_a_uuid_is_read_as_none():
    assert event_id_parse("pas-un-uuid") is None
    assert event_id_parse(None) is None
    assert event_id_parse("6f1c1b52-0c7e-4a36-8a60-5b4f2d8b9e11") == uuid.UUID("6f1c1b52-0c7e-4a36-8a60-5b4f2d8b9e11")


# The services, without any HttpRequest

@pytest.fixture
def module_steps(content):
    from tremplin.catalog.models import Module

    module = Module.objects.get(slug="ecran-tactile")
    return module, list(module.steps.filter(is_active=True).order_by("position"))


def right_answer(step):
    choices = step.data["choices"]
    if step.kind == "order":
        return {f"rank_{i}": str(i + 1) for i in range(len(choices))}
    good = [str(i) for i, c in enumerate(choices) if c.get("correct")]
    return {"choice": good} if step.kind == "multiple" else {"choice": good[0]}


def do_everything(learner, steps, skip=()):
    """Every step but the last « Terminer », as the learner's screens do it."""
    for step in steps:
        if step.slug in skip:
            continue
        if step.is_question:
            assert step_answer(learner=learner, step=step, raw=right_answer(step), event_id=uuid.uuid4()).correct
        if step is not steps[-1]:
            step_advance(learner=learner, step=step, event_id=uuid.uuid4())


def test_the_last_step_completes_the_module_once_everything_is_done(module_steps, learner):
    module, steps = module_steps
    do_everything(learner, steps)
    last = uuid.uuid4()
    assert step_advance(learner=learner, step=steps[-1], event_id=last).completed
    assert step_advance(learner=learner, step=steps[-1], event_id=last).completed  # replayed submit
    completed = LearningEvent.objects.filter(learner=learner, verb=Verb.COMPLETED)
    assert [e.id for e in completed] == [completion_event_id(last)]
    progress = ModuleProgress.objects.get(learner=learner, module=module)
    assert progress.is_completed and progress.score == 1.0


def test_the_last_step_alone_sends_the_learner_to_the_first_step_not_done(module_steps, learner):
    module, steps = module_steps
    do_everything(learner, steps, skip={steps[2].slug, steps[7].slug})
    advance = step_advance(learner=learner, step=steps[-1], event_id=uuid.uuid4())
    assert advance == quiz_advance(next_number=3, not_done=True)
    assert not LearningEvent.objects.filter(learner=learner, verb=Verb.COMPLETED).exists()
    assert not ModuleProgress.objects.get(learner=learner, module=module).is_completed


def test_a_step_in_the_middle_leads_to_the_next_one(module_steps, learner):
    _module, steps = module_steps
    assert step_advance(learner=learner, step=steps[0], event_id=uuid.uuid4()) == quiz_advance(next_number=2)


def quiz_advance(**kwargs):
    from tremplin.progress.services import Advance

    return Advance(**kwargs)


def test_an_answer_is_recorded_once_per_event_id_with_its_choices(module_steps, learner):
    _module, steps = module_steps
    question = next(s for s in steps if s.kind == "order")
    event_id = uuid.uuid4()
    raw = {"rank_0": "2", "rank_1": "1", "rank_2": "3"}
    assert step_answer(learner=learner, step=question, raw=raw, event_id=event_id).correct is False
    step_answer(learner=learner, step=question, raw=raw, event_id=event_id)
    event = LearningEvent.objects.get(learner=learner)
    assert (event.id, event.verb, event.object_type, event.object_id, event.success, event.response) == (
        event_id, Verb.ANSWERED, ObjectType.QUESTION, f"ecran-tactile/{question.slug}", False,
        {"choices": [2, 1, 3]})


def test_an_invalid_answer_records_nothing(module_steps, learner):
    _module, steps = module_steps
    with pytest.raises(InvalidAnswer):
        step_answer(learner=learner, step=steps[6], raw={"choice": "99"}, event_id=uuid.uuid4())
    assert not LearningEvent.objects.exists()


def test_an_event_id_of_another_learner_is_a_conflict_and_completes_nothing(module_steps, learner):
    from tests.factories import LearnerFactory

    _module, steps = module_steps
    other = LearnerFactory()
    do_everything(learner, steps)
    taken = uuid.uuid4()
    step_advance(learner=other, step=steps[0], event_id=taken)
    with pytest.raises(EventConflict):
        step_advance(learner=learner, step=steps[-1], event_id=taken)
    assert not LearningEvent.objects.filter(verb=Verb.COMPLETED).exists()
