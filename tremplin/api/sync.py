"""``POST /api/sync/``: answers and « Suivant » made without network, sent when it comes back (issue 14).

The same domain rules as the pages (``progress.services.step_answer`` / ``step_advance``), each event stored on its
own, in the order they happened. Nothing lost, nothing doubled: the event id made on the device is the
idempotency key, so a batch sent twice, or cut in the middle and sent again, stores each event once.
The rules and the errors: docs/areas/offline-sync.md.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pydantic
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from tremplin.catalog.models import Module, Step
from tremplin.catalog.selectors import module_active, steps_of
from tremplin.progress.quiz import InvalidAnswer, first_not_done, step_object_id
from tremplin.progress.selectors import event_ids_stored, last_step_finishes, progress_of, step_slugs_done
from tremplin.progress.services import EventConflict, step_advance, step_answer

from .auth import ApiError, LearnerSession
from .keys import learner_key_matches
from .schemas import MAX_BODY, MAX_EVENTS, ErrorOut, ModuleStateOut, SyncBatchIn, SyncEventIn, SyncOut

router = Router(tags=["sync"])

EARLIEST = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # before Tremplin existed: a device clock gone wrong
CLOCK_AHEAD = dt.timedelta(minutes=5)

REQUEST_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    **SyncBatchIn.model_json_schema(), "properties": {
        **SyncBatchIn.model_json_schema()["properties"],
        "events": {"type": "array", "maxItems": MAX_EVENTS, "items": SyncEventIn.model_json_schema()}}}}}}}


def _malformed() -> ApiError:
    return ApiError(400, "malformed", _("Ces données ne peuvent pas être lues. Rien n'a été enregistré."))


def _too_many() -> ApiError:
    return ApiError(413, "too_many", _("Trop de réponses d'un coup : envoyez-en au plus %(n)s à la fois. "
                                       "Rien n'a été enregistré.") % {"n": MAX_EVENTS})


def _batch_read(request: HttpRequest) -> SyncBatchIn:
    """The body, read whole or refused whole (nothing is written before it is read)."""
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        raise _too_many()
    try:
        body = request.body
    except RequestDataTooBig:  # a body sent without its length, past Django's own bound
        raise _too_many() from None
    if len(body) > MAX_BODY:
        raise _too_many()
    # NUL can't be stored in PostgreSQL text: refused here, whether raw or escaped in a JSON string.
    if b"\x00" in body or b"\\u0000" in body.lower():
        raise _malformed()
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise _malformed() from None
    try:
        batch = SyncBatchIn.model_validate(data)
    except pydantic.ValidationError:
        raise ApiError(422, "malformed", _("Ces données ne peuvent pas être lues. Rien n'a été enregistré.")) from None
    if len(batch.events) > MAX_EVENTS:
        raise _too_many()
    return batch


def _result(raw_id: Any, status: str, code: str = "", detail: str = "") -> dict:
    return {"id": str(raw_id)[:64] if isinstance(raw_id, str | int) else "", "status": status, "code": code,
            "detail": detail}


def _rejected(raw_id: Any, code: str) -> dict:
    details = {
        "malformed": _("Cette réponse est illisible : elle n'est pas enregistrée."),
        "unknown_step": _("Cette étape n'existe plus : la réponse n'est pas enregistrée."),
        "bad_timestamp": _("La date de cette réponse est impossible (horloge du téléphone ?) : elle n'est pas "
                           "enregistrée."),
        "event_id_taken": _("Cette réponse a déjà été envoyée par une autre personne : elle n'est pas enregistrée."),
    }
    return _result(raw_id, "rejected", code, details[code])


def _raw_answer(step: Step, event: SyncEventIn) -> dict:
    """The event's answer as the page's form would send it (``catalog.answers.read_response``)."""
    if step.kind == "order":
        return {f"rank_{i}": value for i, value in enumerate(event.ranks or [])}
    choices = list(event.choices or [])
    if step.kind == "multiple":
        return {"choice": choices}
    return {"choice": choices[0] if len(choices) == 1 else (choices or None)}


class _Curriculum:
    """The active modules and steps the batch names, read once per module."""

    def __init__(self) -> None:
        self.modules: dict[str, tuple[Module, list[Step]] | None] = {}

    def step(self, module_slug: str, step_slug: str) -> tuple[Module, list[Step], Step] | None:
        if module_slug not in self.modules:
            module = module_active(slug=module_slug)
            self.modules[module_slug] = (module, steps_of(module=module)) if module is not None else None
        found = self.modules[module_slug]
        if found is None:
            return None
        module, steps = found
        step = next((s for s in steps if s.slug == step_slug), None)
        return (module, steps, step) if step is not None else None


def _finish_settle(learner, module: Module, steps: list[Step]) -> None:
    """A « Terminer » sent before a step done earlier (batches out of order): once every step is there, the
    module completes as it would have online, with the completion id derived from that « Terminer »."""
    progress = progress_of(learner=learner, module=module)
    if progress is not None and progress.is_completed:
        return
    last = steps[-1]
    finishes = last_step_finishes(learner=learner, module=module, step_object_id=step_object_id(last))
    if not finishes:
        return
    seen, answered = step_slugs_done(learner=learner, module=module)
    if first_not_done(steps, seen=seen, answered=answered) is not None:
        return
    event_id, client_timestamp = finishes[0]
    step_advance(learner=learner, step=last, event_id=event_id, client_timestamp=client_timestamp)


def _module_state(learner, module: Module, steps: list[Step]) -> ModuleStateOut:
    seen, answered = step_slugs_done(learner=learner, module=module)
    done = sum(1 for s in steps if s.slug in (answered if s.is_question else seen))
    progress = progress_of(learner=learner, module=module)
    return ModuleStateOut(slug=module.slug, completed=bool(progress and progress.is_completed), steps_done=done,
                          steps=len(steps))


def batch_apply(*, learner, events: list[Any], now: dt.datetime | None = None) -> dict:
    """Apply a batch's events for ``learner``: each one alone, in the order they happened."""
    now = now or timezone.now()
    results: list[dict | None] = [None] * len(events)
    readable: list[tuple[dt.datetime, int, SyncEventIn]] = []
    for index, raw in enumerate(events):
        try:
            event = SyncEventIn.model_validate(raw)
        except pydantic.ValidationError:
            results[index] = _rejected(raw.get("id") if isinstance(raw, dict) else None, "malformed")
            continue
        readable.append((event.at, index, event))
    readable.sort(key=lambda t: t[:2])  # in the order they happened, then the order of the batch
    known = event_ids_stored(learner=learner, ids={event.id for _at, _i, event in readable})
    curriculum = _Curriculum()
    touched: dict[str, tuple[Module, list[Step]]] = {}
    for at, index, event in readable:
        if not EARLIEST <= at <= now + CLOCK_AHEAD:
            results[index] = _rejected(str(event.id), "bad_timestamp")
            continue
        found = curriculum.step(event.module, event.step)
        if found is None:
            results[index] = _rejected(str(event.id), "unknown_step")
            continue
        module, steps, step = found
        duplicate = event.id in known
        try:
            if event.kind == "answer":
                if not duplicate:  # a replayed answer is not graded again
                    step_answer(learner=learner, step=step, raw=_raw_answer(step, event), event_id=event.id,
                                client_timestamp=at)
            else:
                step_advance(learner=learner, step=step, event_id=event.id, client_timestamp=at)
        except InvalidAnswer as exc:
            results[index] = _result(str(event.id), "rejected", "invalid_answer", str(exc))
            continue
        except EventConflict:
            results[index] = _rejected(str(event.id), "event_id_taken")
            continue
        known.add(event.id)
        results[index] = _result(str(event.id), "duplicate" if duplicate else "stored")
        touched[module.slug] = (module, steps)
    for module, steps in touched.values():
        _finish_settle(learner, module, steps)
    return {"results": results,
            "modules": [_module_state(learner, module, steps) for module, steps in touched.values()]}


@router.post("/sync/", auth=LearnerSession(), url_name="sync", openapi_extra=REQUEST_BODY,
             response={200: SyncOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 413: ErrorOut,
                       422: ErrorOut})
def sync(request: HttpRequest):
    """Send a batch of the queue made on the device for the signed-in learner (at most 500 events)."""
    batch = _batch_read(request)
    if not learner_key_matches(request.auth, batch.learner):
        raise ApiError(409, "other_learner", _("Ces réponses ont été faites par une autre personne sur ce "
                                               "téléphone : elles attendent qu'elle se connecte."))
    return batch_apply(learner=request.auth, events=batch.events)
