import pytest
from django.urls import reverse

from tremplin.coaching.models import Accompaniment, Assignment, Attendance, Group, Workshop
from tremplin.demo.coaching import build_demo_coaching
from tremplin.demo.network import build_demo_network

from ..conftest import page_text
from ..factories import CommuneFactory, DepartmentFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(content):
    CommuneFactory()
    CommuneFactory(code="33281", name="Mérignac", postcodes=["33700"], department=DepartmentFactory(
        code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine")))
    CommuneFactory(code="44109", name="Nantes", postcodes=["44000"], department=DepartmentFactory(
        code="44", name="Loire-Atlantique", region=RegionFactory()))
    CommuneFactory(code="59512", name="Roubaix", postcodes=["59100"], department=DepartmentFactory(
        code="59", name="Nord", region=RegionFactory(code="32", name="Hauts-de-France")))
    build_demo_network()


def test_the_demo_coaching_data_is_built_once_and_shows_on_the_trainer_home(client, demo):
    assert build_demo_coaching() > 0
    counts = [Group.objects.count(), Workshop.objects.count(), Assignment.objects.count(),
              Accompaniment.objects.count(), Attendance.objects.count()]
    assert build_demo_coaching() == 0
    assert counts == [Group.objects.count(), Workshop.objects.count(), Assignment.objects.count(),
                      Accompaniment.objects.count(), Attendance.objects.count()]
    assert counts[:4] == [8, 8, 8, 12] and counts[4] > 0  # four demo structures since issue 11
    from tremplin.accounts.models import User

    client.force_login(User.objects.get(username="yanis.benali@demo.tremplin.fr"))
    text = page_text(client.get(reverse("trainer:home")))
    assert "Envoyer un e-mail avec une pièce jointe" in text
    assert "Rien n'est en retard." not in text
