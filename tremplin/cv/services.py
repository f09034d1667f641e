"""Writes to a CV. Each change is validated on the whole document before anything is saved."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tremplin.accounts.models import User

from .models import CV
from .schema import CVData

LIST_SECTIONS = {"experiences", "trainings"}


class CVInvalid(Exception):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


def _validate(data: dict[str, Any]) -> CVData:
    from pydantic import ValidationError

    from .schema import french_errors

    try:
        return CVData.model_validate(data)
    except ValidationError as exc:
        raise CVInvalid(french_errors(exc)) from exc


def _save(*, learner: User, change) -> CV:
    with transaction.atomic():
        cv, _created = CV.objects.select_for_update().get_or_create(learner=learner)
        current = CVData.model_validate(cv.data).model_dump()
        change(current)
        cv.data = _validate(current).model_dump()
        cv.save(update_fields=["data", "updated_at"])
    return cv


def cv_update(*, learner: User, values: dict[str, Any]) -> CV:
    """Replace top-level parts (``contact``, ``target_job``, ``skills``…) of the learner's CV."""
    return _save(learner=learner, change=lambda current: current.update(values))


def cv_item_add(*, learner: User, section: str, item: dict[str, Any]) -> CV:
    if section not in LIST_SECTIONS:
        raise ValueError(section)
    return _save(learner=learner, change=lambda current: current[section].append(item))


def cv_item_remove(*, learner: User, section: str, index: int) -> CV:
    if section not in LIST_SECTIONS:
        raise ValueError(section)

    def change(current):
        if 0 <= index < len(current[section]):
            del current[section][index]

    return _save(learner=learner, change=change)


def cv_draft(*, data: CVData, values: dict[str, Any] | None = None, add_to: str | None = None,
             item: dict[str, Any] | None = None) -> CVData:
    """The CV as it would be after a change, validated, without saving anything (the live preview)."""
    current = data.model_dump()
    if values:
        current.update(values)
    if add_to in LIST_SECTIONS and item and any(str(v).strip() for v in item.values() if v is not None):
        current[add_to].append(item)
    return _validate(current)
