"""Building offline batches as the device's queue would, and sending them."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from django.urls import reverse
from django.utils import timezone

from tremplin.api.keys import learner_key
from tremplin.catalog.selectors import module_active, steps_of
from tremplin.progress.models import LearningEvent, ModuleProgress

MODULE = "ecran-tactile"


class Queue:
    """A device's queue: events one second apart, starting ``start`` (an hour ago by default)."""

    def __init__(self, module: str = MODULE, start: dt.datetime | None = None):
        self.module = module_active(slug=module)
        self.steps = steps_of(module=self.module)
        self.clock = start or timezone.now() - dt.timedelta(hours=1)
        self.events: list[dict] = []

    def _add(self, kind: str, number: int, **extra) -> dict:
        self.clock += dt.timedelta(seconds=1)
        event = {"id": str(uuid.uuid4()), "kind": kind, "module": self.module.slug,
                 "step": self.steps[number - 1].slug, "content_version": self.module.content_version,
                 "at": self.clock.isoformat().replace("+00:00", "Z"), **extra}
        self.events.append(event)
        return event

    def next(self, number: int) -> dict:
        return self._add("advance", number)

    def answer(self, number: int, choices=None, ranks=None) -> dict:
        return self._add("answer", number, **({"choices": choices} if choices is not None else {}),
                         **({"ranks": ranks} if ranks is not None else {}))

    def whole_module_right(self) -> Queue:
        """Every step done, every quiz answered rightly the first time, then « Terminer »."""
        for number, step in enumerate(self.steps, start=1):
            if step.is_question:
                choices = step.data["choices"]
                if step.kind == "order":
                    self.answer(number, ranks=[str(r) for r in range(1, len(choices) + 1)])
                else:
                    self.answer(number, choices=[str(i) for i, c in enumerate(choices) if c.get("correct")])
            self.next(number)
        return self


def sync(client, user, events, *, learner: str | None = None, **extra):
    body = json.dumps({"learner": learner_key(user) if learner is None else learner, "events": events})
    return client.post(reverse("api:sync"), body, content_type="application/json", **extra)


def statuses(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["status"] for r in response.json()["results"]]


def events_of(user) -> list[tuple]:
    """The learner's events as the statistics and the trainer read them (ids and times aside), in order."""
    rows = LearningEvent.objects.filter(learner=user).order_by("stored_at", "verb")
    return [(e.verb, e.object_type, e.object_id, e.success, e.response, e.content_version, e.module_id) for e in rows]


def progress_of(user, module=MODULE) -> dict:
    row = ModuleProgress.objects.get(learner=user, module__slug=module)
    return {"status": row.status, "furthest_position": row.furthest_position, "answers": row.answers,
            "score": row.score, "started": row.started_at is not None, "completed": row.completed_at is not None}


def everything() -> tuple:
    return (sorted(map(str, LearningEvent.objects.values_list("pk", "learner_id", "verb", "object_id"))),
            sorted(map(str, ModuleProgress.objects.values_list("learner_id", "module_id", "status", "answers",
                                                               "furthest_position", "score"))))
