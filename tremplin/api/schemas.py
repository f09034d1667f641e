"""What the offline sync and the download manifests read and answer (docs/areas/offline-sync.md)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

MAX_EVENTS = 500
MAX_BODY = 1024 * 1024

Slug = Field(min_length=1, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")
Value = int | str


class SyncBatchIn(BaseModel):
    """A batch of one learner's queue. The events are read one by one (a bad one is rejected alone)."""

    learner: str = Field(max_length=100, description="The page's <meta name=\"tremplin-learner\"> key.")
    events: list[Any] = Field(description=f"At most {MAX_EVENTS} events (see SyncEventIn).")


class SyncEventIn(BaseModel):
    """One queued action: an answer to a quiz step, or « Suivant » / « Terminer » on a step."""

    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID = Field(description="Made on the device (uuid4): the idempotency key.")
    kind: Literal["answer", "advance"]
    module: str = Slug
    step: str = Slug
    content_version: str = Field(default="", max_length=32)
    # The form's values: the indexes of the chosen choices (as in the page's ``choice`` inputs), or for an order
    # step the rank given to each choice in the content's order (the page's ``rank_<index>`` selects).
    choices: list[Value] | None = Field(default=None, max_length=20)
    ranks: list[Value] | None = Field(default=None, max_length=20)
    at: AwareDatetime = Field(description="When it happened on the device (ISO 8601 with a time zone).")


class SyncResultOut(BaseModel):
    id: str
    status: Literal["stored", "duplicate", "rejected"]
    code: str = ""
    detail: str = ""


class ModuleStateOut(BaseModel):
    slug: str
    completed: bool
    steps_done: int
    steps: int


class SyncOut(BaseModel):
    results: list[SyncResultOut]
    modules: list[ModuleStateOut]


class ErrorOut(BaseModel):
    detail: str
    code: str


class AnswerKeyOut(BaseModel):
    number: int
    kind: str
    correct: list[int] = Field(description="Right choice indexes; for an order step the right rank of each choice.")
    feedback: dict[str, str]


class ManifestOut(BaseModel):
    slug: str
    title: str
    content_version: str
    urls: list[str]
    bytes: int
    audio_bytes: int = Field(description="The part of ``bytes`` that is « Écouter » sounds (.ogg): most of it.")
    answers: dict[str, AnswerKeyOut]
    modules: dict[str, str] = Field(description="The content version of each module (a track's, in order).")
