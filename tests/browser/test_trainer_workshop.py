"""A trainer runs a workshop on a phone; a learner sees what was assigned; the trainer follows and reports."""

import re
import time

import pytest
from playwright.sync_api import expect

from tremplin.accounts.codes import format_code
from tremplin.coaching.models import Accompaniment, Assignment, Attendance, Group, Workshop
from tremplin.organisations.services import learner_enrol, membership_add

from ..factories import OrganisationFactory, StaffFactory
from .steps import click, go, sign_in_as_staff


@pytest.fixture
def room(transactional_db, content):
    org = OrganisationFactory(name="Les Clés du Numérique")
    trainer = StaffFactory(first_name="Claire", email="claire@exemple.fr")
    membership_add(user=trainer, organisation=org)
    samia = learner_enrol(organisation=org, created_by=trainer, first_name="Samia", pin="2580").user
    karim = learner_enrol(organisation=org, created_by=trainer, first_name="Karim", pin="1357").user
    return {"org": org, "trainer": trainer, "samia": samia, "karim": karim}


def sign_in_as_trainer(page, base):
    sign_in_as_staff(page, base, "claire@exemple.fr")


def test_a_trainer_runs_a_workshop_assigns_a_module_follows_progress_and_reports(page, live_server, room):
    base = live_server.url
    sign_in_as_trainer(page, base)
    go(page, f"{base}/espace-formateur/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce qui demande votre attention aujourd'hui")

    # A group with the two learners.
    click(page, "Groupes", role="link")
    click(page, "Créer un groupe", role="link")
    page.get_by_label("Nom du groupe").fill("Mardi après-midi")
    page.get_by_label(re.compile("Samia")).check()
    page.get_by_label(re.compile("Karim")).check()
    click(page, "Créer le groupe")
    expect(page.get_by_role("status")).to_contain_text("Le groupe « Mardi après-midi » est créé.")
    assert Group.objects.get(name="Mardi après-midi").members.count() == 2

    # A workshop for the group, then attendance on the phone.
    click(page, "Programmer un atelier", role="link")
    page.get_by_label("Titre de l'atelier").fill("Utiliser l'écran tactile")
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_label("Thématique").select_option("prendre_en_main_du_materiel")
    expect(page.get_by_label("Groupe (facultatif)")).to_have_value(str(Group.objects.get().pk))
    click(page, "Programmer l'atelier")
    expect(page.get_by_role("status")).to_contain_text("L'atelier est programmé.")
    click(page, "Faire l'appel", role="link")
    page.get_by_label("Samia").check()
    click(page, "Enregistrer les présences")
    expect(page.get_by_role("status")).to_contain_text("Présences enregistrées : 1 personne(s).")
    workshop = Workshop.objects.get()
    assert list(Attendance.objects.filter(workshop=workshop).values_list("learner__first_name", flat=True)) == [
        "Samia"]

    # A module given to the group.
    click(page, "Travail demandé", role="link")
    click(page, "Donner un parcours ou un module", role="link")
    page.get_by_label("Quoi ?").select_option("module:ecran-tactile")
    page.get_by_label("Pour qui ?").select_option(label="Mardi après-midi")
    click(page, "Donner")
    expect(page.get_by_role("status")).to_contain_text("Les personnes le verront sur « Mes parcours ».")
    assert Assignment.objects.filter(group__name="Mardi après-midi", module__slug="ecran-tactile").exists()
    click(page, "Se déconnecter")
    page.axe.check()

    # The learner signs in with code + PIN, finds the assignment and starts the module.
    go(page, f"{base}/connexion/")
    page.get_by_label("Votre code personnel").fill(format_code(room["samia"].username))
    page.get_by_label("Votre code secret (4 chiffres)").fill("2580")
    click(page, "Entrer")
    box = page.get_by_role("region", name="À faire pour votre formateur")
    expect(box).to_contain_text("Utiliser l'écran tactile")
    click(page, re.compile("Utiliser l'écran tactile"), role="link")
    click(page, "Commencer", role="link")
    click(page, re.compile("Suivant"))
    click(page, "Se déconnecter")
    page.axe.check()

    # The trainer sees Samia in progress on the grid, then opens her file.
    sign_in_as_trainer(page, base)
    go(page, f"{base}/espace-formateur/suivi/")
    row = page.get_by_role("row", name=re.compile("Samia"))
    expect(row).to_contain_text("En cours")
    expect(page.get_by_role("row", name=re.compile("Karim"))).to_contain_text("Pas commencé")
    click(page, "Samia", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Samia")

    # A record on the phone form: theme, equipment, submit — well under a minute.
    started = time.monotonic()
    click(page, "Nouveau compte-rendu", role="link")
    page.get_by_label("45 min").check()
    page.get_by_label("Téléphone").check()
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_label("Autonome avec guidage en cas de besoin").check()
    click(page, "Enregistrer le compte-rendu")
    expect(page.get_by_role("status")).to_contain_text("Le compte-rendu est enregistré.")
    assert time.monotonic() - started < 60
    record = Accompaniment.objects.get()
    assert (record.type, record.duree, record.materiel, record.thematiques, record.autonomie, record.learner) == (
        "individuel", 45, ["telephone"], ["email"], "partiellement_autonome", room["samia"])


def test_a_wrong_record_is_explained_in_french_on_the_phone(page, live_server, room):
    sign_in_as_trainer(page, live_server.url)
    go(page, f"{live_server.url}/espace-formateur/comptes-rendus/nouveau/")
    page.get_by_label("À domicile").check()
    click(page, "Enregistrer le compte-rendu")
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire n'est pas enregistré")
    expect(page.get_by_text("Choisissez au moins une thématique.")).to_be_visible()
    expect(page.get_by_text(re.compile("Indiquez la commune"))).to_be_visible()
