"""The group and assignment forms show one page of learners and a search, whatever the structure's size; the
assignments list is paged. Without JavaScript: « Chercher » and the page buttons send the form back to itself."""

import re

import pytest
from django.urls import reverse

from tremplin.accounts.enums import UserKind
from tremplin.accounts.models import User
from tremplin.coaching.models import Assignment, Group
from tremplin.coaching.services import assignment_create
from tremplin.organisations.models import Enrolment

from ..coaching.world import build_side
from ..conftest import page_text
from ..factories import _learner_code

pytestmark = pytest.mark.django_db

MANY = 60  # more than a page (50)


def _crowd(org, n=MANY) -> list[User]:
    """``n`` learners enrolled in ``org``, made in two queries (Aaron 000 … first in the name order)."""
    start = User.objects.count() + 900_000
    users = User.objects.bulk_create([
        User(kind=UserKind.LEARNER, username=_learner_code(start + i), first_name=f"Aaron{i:03d}", last_name="Foule",
             is_active=True) for i in range(n)])
    Enrolment.objects.bulk_create([Enrolment(organisation=org, learner=u) for u in users])
    return users


def _html(response) -> str:
    return response.content.decode()


def test_the_new_group_form_shows_at_most_fifty_learners_in_a_structure_of_sixty(trainer_client, side):
    _crowd(side.organisation)
    html = _html(trainer_client.get(reverse("trainer:group_create")))
    assert len(re.findall(r'name="members"', html)) == 50
    assert "Page 1 sur 2 (61 personnes)" in page_text(trainer_client.get(reverse("trainer:group_create")))


def test_a_learner_found_by_search_joins_the_group_with_the_one_ticked_before(trainer_client, side):
    crowd = _crowd(side.organisation)
    last = crowd[-1]  # not on the first page
    assert last.first_name not in _html(trainer_client.get(reverse("trainer:group_create")))
    # Tick the first one, then search: nothing is saved, the name and the ticked learner stay.
    response = trainer_client.post(reverse("trainer:group_create"), {
        "name": "Jeudi", "members": [str(crowd[0].pk)], "q": last.first_name, "action": "search"})
    html = _html(response)
    assert response.status_code == 200 and not Group.objects.filter(name="Jeudi").exists()
    assert 'value="Jeudi"' in html
    assert re.search(rf'value="{crowd[0].pk}"[^>]*checked', html)
    assert re.search(rf'name="members" value="{last.pk}"', html)
    assert len(re.findall(r'name="members"', html)) == 2
    response = trainer_client.post(reverse("trainer:group_create"), {
        "name": "Jeudi", "members": [str(crowd[0].pk), str(last.pk)], "q": last.first_name})
    assert response.status_code == 302
    assert set(Group.objects.get(name="Jeudi").members.all()) == {crowd[0], last}


def test_the_next_page_of_learners_keeps_what_was_typed_and_ticked(trainer_client, side):
    crowd = _crowd(side.organisation)
    response = trainer_client.post(reverse("trainer:group_create"), {
        "name": "Vendredi", "members": [str(crowd[0].pk)], "page": "2"})
    html = _html(response)
    assert response.status_code == 200 and 'value="Vendredi"' in html
    assert "Page 2 sur 2" in page_text(response)
    assert re.search(rf'value="{crowd[0].pk}"[^>]*checked', html)
    assert str(crowd[-1].pk) in html


def test_a_group_s_page_keeps_its_members_ticked_and_shows_at_most_fifty_others(trainer_client, side):
    _crowd(side.organisation)
    html = _html(trainer_client.get(reverse("trainer:group_detail", args=[side.group.pk])))
    assert re.search(rf'value="{side.learner.pk}"[^>]*checked', html)
    assert len(re.findall(r'name="members"', html)) == 1 + 50


def test_a_page_number_or_search_of_garbage_shows_the_form_again(trainer_client, side):
    for data in ({"page": "\x00"}, {"page": "9" * 40}, {"q": "\x00" * 3 + "x" * 10_000, "action": "search"}):
        response = trainer_client.post(reverse("trainer:group_create"), {"name": "Z", **data})
        assert response.status_code == 200
    assert not Group.objects.filter(name="Z").exists()


def test_the_assignment_form_offers_at_most_fifty_learners_and_gives_to_one_found_by_search(trainer_client, side):
    crowd = _crowd(side.organisation)
    html = _html(trainer_client.get(reverse("trainer:assignment_create")))
    assert len(re.findall(r'<option value="learner:', html)) == 50
    assert "Groupe A" in html  # the groups stay
    last = crowd[-1]
    response = trainer_client.post(reverse("trainer:assignment_create"), {
        "content": f"module:{side.assignment.module.slug}", "q": last.first_name, "action": "search"})
    html = _html(response)
    assert response.status_code == 200 and not Assignment.objects.filter(learner=last).exists()
    assert re.findall(r'<option value="learner:[^"]*"', html) == [f'<option value="learner:{last.pk}"']
    assert f'value="module:{side.assignment.module.slug}" selected' in html
    response = trainer_client.post(reverse("trainer:assignment_create"), {
        "content": f"module:{side.assignment.module.slug}", "target": f"learner:{last.pk}"})
    assert response.status_code == 302
    assert Assignment.objects.filter(learner=last, module=side.assignment.module).exists()


def test_an_assignment_to_a_learner_of_another_structure_is_refused_in_french(trainer_client, side):
    stranger = build_side("B").learner
    before = Assignment.objects.count()
    for target in (f"learner:{stranger.pk}", "learner:\x00", "learner:" + "9" * 5000, "group:x"):
        response = trainer_client.post(reverse("trainer:assignment_create"), {
            "content": f"module:{side.assignment.module.slug}", "target": target})
        assert response.status_code == 400
        assert "Choisissez un groupe ou une personne de la liste." in page_text(response)
    assert Assignment.objects.count() == before


def test_the_assignments_list_shows_fifty_assignments_a_page(trainer_client, side):
    for u in _crowd(side.organisation):
        assignment_create(organisation=side.organisation, created_by=side.trainer,
                          module=side.assignment.module, learner=u)
    first = trainer_client.get(reverse("trainer:assignment_list"))
    assert _html(first).count(">Retirer<") == 50 and "Page 1 sur 2" in page_text(first)
    second = trainer_client.get(reverse("trainer:assignment_list") + "?page=2")
    assert _html(second).count(">Retirer<") == MANY + 1 - 50


def test_the_duplicates_page_shows_twenty_sets_of_look_alikes_a_page(trainer_client, side):
    start = User.objects.count() + 950_000
    users = User.objects.bulk_create([
        User(kind=UserKind.LEARNER, username=_learner_code(start + i), first_name=f"Double{i // 2:02d}",
             last_name="Pareil", birth_year=1980, is_active=True) for i in range(50)])
    Enrolment.objects.bulk_create([Enrolment(organisation=side.organisation, learner=u) for u in users])
    first = trainer_client.get(reverse("trainer:duplicates"))
    assert _html(first).count(">Fusionner</button>") == 20 and "Page 1 sur 2" in page_text(first)
    second = trainer_client.get(reverse("trainer:duplicates") + "?page=2")
    assert _html(second).count(">Fusionner</button>") == 5
