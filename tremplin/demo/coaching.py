"""Groups, workshops with attendance, assignments and accompaniment records for the demo network.

Idempotent: objects are found again by their natural keys (group name, workshop title, a marker in
the records' notes); running again on another day only moves the demo dates, so that one workshop
is always today, one a week ago, and one assignment is late.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tremplin.accounts.models import User
from tremplin.catalog.models import Module, Track
from tremplin.coaching.enums import AccompanimentType, Genre, StatutSocial, TrancheAge, TypeLieu
from tremplin.coaching.models import Accompaniment, Assignment, Group, Workshop
from tremplin.coaching.services import (
    AccompanimentInput,
    accompaniment_record,
    assignment_create,
    attendance_record,
    group_create,
    workshop_create,
)
from tremplin.organisations.models import Organisation

from .network import ORGANISATIONS


@transaction.atomic
def build_demo_coaching() -> int:
    """Returns how many objects were created."""
    created = 0
    today = timezone.localdate()
    tracks = list(Track.objects.filter(is_active=True).order_by("order"))
    modules = list(Module.objects.filter(is_active=True).select_related("track").order_by("track__order",
                                                                                         "position"))
    if not tracks or not modules:
        return 0
    for spec in ORGANISATIONS:
        org = Organisation.objects.filter(name=spec["name"]).first()
        if org is None:
            continue
        trainer = User.objects.get(username=spec["staff"][-1][0])
        learners = list(User.objects.filter(enrolments__organisation=org).order_by("date_joined", "username"))
        if len(learners) < 4:
            continue
        half = len(learners) // 2
        groups = []
        for name, members in [("Lundi matin", learners[:half]), ("Jeudi après-midi", learners[half:])]:
            group = Group.objects.filter(organisation=org, name=name).first()
            if group is None:
                group = group_create(organisation=org, name=name, members=members, created_by=trainer)
                created += 1
            groups.append(group)
        plans = [("today", today, dt.time(14, 0), "Envoyer un e-mail avec une pièce jointe", "email", groups[0]),
                 ("last-week", today - dt.timedelta(days=7), dt.time(9, 30), "Prendre en main son smartphone",
                  "prendre_en_main_du_materiel", groups[1])]
        for key, day, start, title, theme, group in plans:
            workshop = Workshop.objects.filter(organisation=org, title=title).first()
            if workshop is None:
                workshop = workshop_create(organisation=org, created_by=trainer, title=title, date=day,
                                           start_time=start, duration_minutes=90, theme=theme,
                                           place="Salle informatique", group=group)
                created += 1
            elif workshop.date != day:
                Workshop.objects.filter(pk=workshop.pk).update(date=day)
            if key == "last-week" and workshop.attendance_taken_at is None:
                members = list(group.members.order_by("username"))
                attendance_record(workshop=workshop, present=members[: max(1, len(members) - 2)],
                                  recorded_by=trainer)
        # A whole track for the first group (due next week), one module for the second (already late).
        plans = [("track", {"track": tracks[0], "group": groups[0], "due_date": today + dt.timedelta(days=7)}),
                 ("module", {"module": modules[min(3, len(modules) - 1)], "group": groups[1],
                             "due_date": today + dt.timedelta(days=1)})]
        for key, kwargs in plans:
            found = Assignment.objects.filter(organisation=org, group=kwargs["group"],
                                              track=kwargs.get("track"), module=kwargs.get("module")).first()
            if found is None:
                found = assignment_create(organisation=org, created_by=trainer, **kwargs)
                created += 1
            if key == "module":  # the service refuses past dates: make this one late afterwards
                Assignment.objects.filter(pk=found.pk).update(due_date=today - dt.timedelta(days=3))
        records = [
            ("individual", AccompanimentInput(
                type=AccompanimentType.INDIVIDUEL, date=today - dt.timedelta(days=1), duree=30,
                type_lieu=TypeLieu.LIEU_ACTIVITE, thematiques=["email", "securite_numerique"],
                materiel=["telephone"], autonomie="partiellement_autonome", learner=learners[0])),
            ("anonymous", AccompanimentInput(
                type=AccompanimentType.INDIVIDUEL, date=today - dt.timedelta(days=2), duree=45,
                type_lieu=TypeLieu.DOMICILE, lieu_commune=org.commune, thematiques=["aide_aux_demarches_administratives",
                                                                                    "social_sante"],
                materiel=["ordinateur"], autonomie="entierement_accompagne",
                structure_de_redirection="operateur_ou_organisme_en_charge",
                beneficiaire_genre=Genre.FEMININ, beneficiaire_tranche_age=TrancheAge.SOIXANTE_DIX_PLUS,
                beneficiaire_statut_social=StatutSocial.RETRAITE, beneficiaire_commune=org.commune,
                premier_accompagnement=True)),
            ("collective", AccompanimentInput(
                type=AccompanimentType.COLLECTIF, date=today - dt.timedelta(days=7), duree=90,
                type_lieu=TypeLieu.LIEU_ACTIVITE, thematiques=["prendre_en_main_du_materiel"],
                materiel=["telephone", "tablette"], titre_atelier="Prendre en main son smartphone",
                niveau_atelier="debutant", accompagnements=max(1, len(groups[1].members.all()) - 2))),
        ]
        for key, data in records:
            data.notes = f"Démonstration ({key})"
            if not Accompaniment.objects.filter(organisation=org, notes=data.notes).exists():
                accompaniment_record(organisation=org, mediateur=trainer, data=data)
                created += 1
    return created
