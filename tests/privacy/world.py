"""A learner with something in every table about a person, and the walk that looks for them afterwards."""

from __future__ import annotations

import datetime as dt
import uuid

from django.apps import apps
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from tremplin.accounts.codes import format_code
from tremplin.accounts.services import learner_pin_reset
from tremplin.organisations.services import learner_import_prepare

from ..coaching.world import build_side, side_extras
from ..factories import PIN

TEXT_FIELDS = (models.CharField, models.TextField, models.EmailField)


def rich_side(*, marked: bool = True):
    """An organisation whose learner has a name, a phone, a PIN, a CV, learning, a referral, a note, a record…"""
    from tremplin.coaching.models import Referral
    from tremplin.cv.models import CV
    from tremplin.progress.enums import ObjectType, Verb
    from tremplin.progress.services import event_record

    side = side_extras(build_side("Nous", marked=marked))
    learner = side.learner
    learner.phone, learner.birth_year = "0612345678", 1980
    learner.save(update_fields=["phone", "birth_year"])
    side.twin.first_name, side.twin.last_name = "Jumeau", ""  # the duplicate of side_extras: another person here
    side.twin.save(update_fields=["first_name", "last_name"])
    learner_pin_reset(learner=learner, pin=PIN)
    learner.refresh_from_db()
    CV.objects.create(learner=learner, data={"contact": {"first_name": learner.first_name, "phone": learner.phone}})
    module = side.assignment.module
    event_record(learner=learner, event_id=uuid.uuid4(), verb=Verb.COMPLETED, object_type=ObjectType.MODULE,
                 object_id=module.slug, module=module,
                 client_timestamp=timezone.now() - dt.timedelta(days=1))
    Referral.objects.filter(pk=side.referral.pk).update(learner=learner)
    # A file being imported names the person again (« … existe déjà (code K7M-4PX) »): an erasure during an import.
    side.pending_import = learner_import_prepare(
        organisation=side.organisation, created_by=side.trainer, filename="liste.csv",
        data=f"Prénom;Nom;Année de naissance\n{learner.first_name};{learner.last_name};1980\nLina;Martin;1990\n"
        .encode())
    assert learner.first_name in str(side.pending_import.errors)
    return side


def secrets_of(learner) -> dict[str, str]:
    found = {"id": str(learner.pk), "id (hex)": learner.pk.hex, "code": learner.username,
             "code (display)": format_code(learner.username), "first name": learner.first_name,
             "phone": learner.phone}
    if learner.last_name:
        found["last name"] = learner.last_name
    if learner.card_token:
        found["card token"] = learner.card_token
    return found


def tables_holding(secrets: dict[str, str]) -> list[str]:
    """Every model's text, JSON and UUID columns (and the id columns of foreign keys), searched for each secret:
    one query per table, then one per column of the tables that hold something."""
    found = []
    person_id = uuid.UUID(secrets["id"])
    values = [v for v in secrets.values() if v]
    for model in apps.get_models(include_auto_created=True):
        checks: list[tuple[str, str, Q]] = []
        annotations = {}
        for field in model._meta.concrete_fields:
            if isinstance(field, models.UUIDField) or (field.is_relation and isinstance(
                    field.target_field, models.UUIDField)):
                checks.append((field.attname, "id", Q(**{field.attname: person_id})))
            elif isinstance(field, (*TEXT_FIELDS, models.JSONField)):
                column = field.attname
                if isinstance(field, models.JSONField):
                    column = f"_text_{field.attname}"
                    annotations[column] = Cast(field.attname, TextField())
                for label, value in secrets.items():
                    if value:
                        checks.append((field.attname, label, Q(**{f"{column}__icontains": value})))
        if not checks or not values:
            continue
        rows = model._base_manager.annotate(**annotations) if annotations else model._base_manager.all()
        anything = Q()
        for _name, _label, q in checks:
            anything |= q
        if not rows.filter(anything).exists():
            continue
        found += [f"{model._meta.label}.{name}: {label}" for name, label, q in checks if rows.filter(q).exists()]
    return found
