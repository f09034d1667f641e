import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.coaching.models import Assignment, Attendance, Group, Workshop

from ..coaching.world import build_side
from ..conftest import page_text
from ..factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_a_trainer_creates_a_group_with_two_learners(trainer_client, side):
    second = EnrolmentFactory(organisation=side.organisation).learner
    response = trainer_client.post(reverse("trainer:group_create"), {
        "name": "Mardi après-midi", "members": [str(side.learner.pk), str(second.pk)]})
    group = Group.objects.get(name="Mardi après-midi")
    assert response.status_code == 302 and response["Location"] == reverse("trainer:group_detail", args=[group.pk])
    assert set(group.members.all()) == {side.learner, second}
    assert "Mardi après-midi" in page_text(trainer_client.get(reverse("trainer:group_list")))


def test_a_group_cannot_take_a_learner_of_another_organisation(trainer_client, content):
    stranger = build_side("B").learner
    response = trainer_client.post(reverse("trainer:group_create"), {"name": "X", "members": [str(stranger.pk)]})
    assert response.status_code == 400
    assert "pas suivie ici" in page_text(response)
    assert not Group.objects.filter(name="X").exists()


def test_an_empty_group_name_is_refused_in_french(trainer_client):
    response = trainer_client.post(reverse("trainer:group_create"), {"name": ""})
    assert response.status_code == 400 and "Donnez un nom au groupe." in page_text(response)


def test_a_trainer_schedules_a_workshop_and_takes_attendance(trainer_client, side):
    walk_in = EnrolmentFactory(organisation=side.organisation).learner
    response = trainer_client.post(reverse("trainer:workshop_create"), {
        "title": "Envoyer un e-mail", "date": "2026-12-01", "start_time": "14:00", "duration_minutes": "90",
        "theme": "email", "level": "debutant", "group": str(side.group.pk), "place": "Salle 2"})
    workshop = Workshop.objects.get(title="Envoyer un e-mail")
    assert response["Location"] == reverse("trainer:workshop_detail", args=[workshop.pk])
    sheet = page_text(trainer_client.get(reverse("trainer:workshop_attendance", args=[workshop.pk])))
    assert side.learner.display_name in sheet and walk_in.display_name in sheet  # walk-in under « en plus »
    response = trainer_client.post(reverse("trainer:workshop_attendance", args=[workshop.pk]),
                                   {"present": [str(side.learner.pk), str(walk_in.pk)]})
    assert response.status_code == 302
    assert set(Attendance.objects.filter(workshop=workshop).values_list("learner_id", flat=True)) == {
        side.learner.pk, walk_in.pk}
    detail = page_text(trainer_client.get(response["Location"]))
    assert "2 personnes présentes" in detail


def test_a_workshop_with_an_invalid_date_is_refused_in_french(trainer_client):
    response = trainer_client.post(reverse("trainer:workshop_create"), {
        "title": "x", "date": "31/02/2026", "start_time": "25:00", "duration_minutes": "90", "theme": "email",
        "level": "debutant"})
    assert response.status_code == 400
    text = page_text(response)
    assert "Cette date n'est pas valide" in text and "Cette heure n'est pas valide" in text


def test_attendance_cannot_mark_a_learner_of_another_organisation(trainer_client, side, content):
    stranger = build_side("B").learner
    response = trainer_client.post(reverse("trainer:workshop_attendance", args=[side.workshop.pk]),
                                   {"present": [str(stranger.pk)]})
    assert response.status_code == 400
    assert not Attendance.objects.filter(learner=stranger, workshop=side.workshop).exists()


def test_a_trainer_assigns_a_module_to_a_group_with_a_due_date(trainer_client, side):
    due = timezone.localdate() + dt.timedelta(days=7)
    module = side.assignment.module
    response = trainer_client.post(reverse("trainer:assignment_create"), {
        "content": f"module:{module.slug}", "target": f"group:{side.group.pk}", "due_date": due.isoformat()})
    assert response.status_code == 302
    assert Assignment.objects.filter(group=side.group, module=module, due_date=due).exists()


def test_a_trainer_assigns_a_whole_track_to_one_learner(trainer_client, side):
    track = side.assignment.module.track
    trainer_client.post(reverse("trainer:assignment_create"), {
        "content": f"track:{track.slug}", "target": f"learner:{side.learner.pk}"})
    assert Assignment.objects.filter(learner=side.learner, track=track).exists()


def test_an_assignment_to_a_forged_target_is_refused(trainer_client, content):
    other = build_side("B")
    response = trainer_client.post(reverse("trainer:assignment_create"), {
        "content": "module:ecran-tactile", "target": f"group:{other.group.pk}"})
    assert response.status_code == 400
    assert not Assignment.objects.filter(group=other.group, created_by__isnull=False).exclude(
        pk=other.assignment.pk).exists()


def test_a_trainer_removes_an_assignment(trainer_client, side):
    response = trainer_client.post(reverse("trainer:assignment_delete", args=[side.assignment.pk]))
    assert response.status_code == 302 and not Assignment.objects.filter(pk=side.assignment.pk).exists()


def test_the_learner_sees_the_assignment_on_mes_parcours(client, side):
    side.assignment.due_date = dt.date(2099, 3, 12)
    side.assignment.save()
    client.force_login(side.learner)
    text = page_text(client.get(reverse("learner:home")))
    assert "À faire pour votre formateur" in text
    assert side.assignment.module.title in text and "12 mars" in text


def test_a_learner_without_assignment_sees_no_to_do_box(client, content):
    learner = EnrolmentFactory().learner
    client.force_login(learner)
    assert "À faire pour votre formateur" not in page_text(client.get(reverse("learner:home")))


def test_a_workshop_happens_at_the_structure_s_place_and_a_place_elsewhere_is_refused(trainer_client, side):
    from tremplin.organisations.models import Commune, Place
    from tremplin.organisations.services_places import organisation_place_save

    own = organisation_place_save(organisation=side.organisation, actor=None, values={
        "nom": "Espace numérique Belle-Beille", "adresse": "5 rue du Bois", "code_postal": "49000"})
    side.organisation.refresh_from_db()
    elsewhere = Place.objects.create(nom="Médiathèque de Brest", adresse="1 quai", code_postal="29200",
                                     commune="Brest", date_maj=timezone.localdate(),
                                     cog_commune=Commune.objects.exclude(pk=side.organisation.commune_id).first())
    form = page_text(trainer_client.get(reverse("trainer:workshop_create")))
    assert "Espace numérique Belle-Beille – 5 rue du Bois" in form and "Médiathèque de Brest" not in form
    data = {"title": "Atelier CAF", "date": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
            "start_time": "14:00", "duration_minutes": "90", "theme": "email", "level": "debutant",
            "venue": str(elsewhere.pk)}
    response = trainer_client.post(reverse("trainer:workshop_create"), data)
    assert response.status_code == 400 and "Choisissez un lieu de la liste." in page_text(response)
    assert not Workshop.objects.filter(title="Atelier CAF").exists()
    response = trainer_client.post(reverse("trainer:workshop_create"), {**data, "venue": str(own.pk)})
    workshop = Workshop.objects.get(title="Atelier CAF")
    assert workshop.venue == own
    assert "5 rue du Bois" in page_text(trainer_client.get(response["Location"]))


def test_the_attendance_sheet_lists_a_bounded_number_of_walk_ins_and_finds_the_others_by_name(trainer_client, side):
    from ..factories import LearnerFactory

    for i in range(45):
        EnrolmentFactory(organisation=side.organisation, learner=LearnerFactory(first_name=f"Zed{i:02d}"))
    url = reverse("trainer:workshop_attendance", args=[side.workshop.pk])
    sheet = page_text(trainer_client.get(url))
    assert len(set(re.findall(r"Zed\d\d", sheet))) == 40 and "cherchez-les par leur nom" in sheet
    found = page_text(trainer_client.get(url, {"q": "zed44"}))
    assert set(re.findall(r"Zed\d\d", found)) == {"Zed44"}
    assert "Personne ne porte ce nom" in page_text(trainer_client.get(url, {"q": "\x00inconnu"}))
    walk_in = side.organisation.enrolments.get(learner__first_name="Zed44").learner
    trainer_client.post(url, {"present": [str(side.learner.pk), str(walk_in.pk)]})
    assert set(Attendance.objects.filter(workshop=side.workshop).values_list("learner_id", flat=True)) == {
        side.learner.pk, walk_in.pk}
