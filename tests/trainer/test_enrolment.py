import pytest
from django.urls import reverse

from tests.conftest import page_text
from tests.factories import OrganisationFactory
from tremplin.accounts.models import User
from tremplin.audit.models import AuditEntry
from tremplin.organisations.models import Enrolment, LearnerShare

from .enrolment_helpers import learner_in, trainer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_and_trainer(client):
    org, trainer = trainer_of()
    client.force_login(trainer)
    return org, trainer


def test_a_trainer_enrols_a_learner_and_sees_the_code_and_pin_once(client, org_and_trainer):
    org, _ = org_and_trainer
    response = client.post(reverse("trainer:learner_enrol"), {"first_name": "Samia", "birth_year": "1990",
                                                              "phone": "06 12 34 56 78"})
    assert response.status_code == 200
    learner = User.objects.get(first_name="Samia")
    pin = response.context["pin"]
    assert learner.login_code_display in page_text(response) and pin in page_text(response)
    assert Enrolment.objects.filter(learner=learner, organisation=org).exists()
    learner.refresh_from_db()
    assert learner.check_password(pin)
    assert pin not in learner.password
    assert AuditEntry.objects.filter(action="learner.enrol", target_id=str(learner.pk)).exists()
    # The PIN is not shown again: the account page never displays it.
    assert pin not in page_text(client.get(reverse("trainer:learner_account", args=[learner.pk]))).split("Code personnel")[1][:40]


def test_enrolling_needs_only_a_first_name(client, org_and_trainer):
    response = client.post(reverse("trainer:learner_enrol"), {"first_name": "Karim"})
    assert response.status_code == 200
    assert User.objects.filter(first_name="Karim", birth_year=None).exists()


def test_an_impossible_birth_year_is_refused_in_french_with_nothing_written(client, org_and_trainer):
    response = client.post(reverse("trainer:learner_enrol"), {"first_name": "Karim", "birth_year": "1820"})
    assert response.status_code == 400
    assert "Cette année de naissance n'est pas possible." in page_text(response)
    assert not User.objects.filter(first_name="Karim").exists()
    response = client.post(reverse("trainer:learner_enrol"), {"first_name": "  "})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in page_text(response) or "Écrivez le prénom." in page_text(response)


def test_a_possible_duplicate_is_shown_before_enrolling_and_can_be_enrolled_anyway(client, org_and_trainer):
    org, _ = org_and_trainer
    existing = learner_in(org, first_name="Hélène", last_name="Dupont", birth_year=1960)
    data = {"first_name": "helene", "last_name": "DUPONT", "birth_year": "1960"}
    response = client.post(reverse("trainer:learner_enrol"), data)
    assert response.status_code == 200
    assert "Cette personne est peut-être déjà inscrite" in page_text(response)
    assert existing.login_code_display in page_text(response)
    assert User.objects.filter(birth_year=1960).count() == 1
    response = client.post(reverse("trainer:learner_enrol"), {**data, "confirm_duplicate": "True"})
    assert "pin" in response.context
    assert User.objects.filter(birth_year=1960).count() == 2


def test_the_same_name_in_another_organisation_is_not_a_duplicate(client, org_and_trainer):
    learner_in(OrganisationFactory(), first_name="Samia", birth_year=1990)
    response = client.post(reverse("trainer:learner_enrol"), {"first_name": "Samia", "birth_year": "1990"})
    assert "pin" in response.context


def test_the_learner_list_shows_only_this_organisation_and_is_audited(client, org_and_trainer):
    org, trainer = org_and_trainer
    mine = learner_in(org, first_name="Monique")
    learner_in(OrganisationFactory(), first_name="Oleksandr")
    response = client.get(reverse("trainer:learners"))
    text = page_text(response)
    assert "Monique" in text and mine.login_code_display in text and "Oleksandr" not in text
    assert AuditEntry.objects.filter(action="learners.list", actor=trainer, organisation_id=org.pk).exists()


def test_the_learner_list_export_is_a_csv_of_this_organisation_and_is_audited(client, org_and_trainer):
    org, trainer = org_and_trainer
    learner_in(org, first_name="Monique", birth_year=1953)
    learner_in(OrganisationFactory(), first_name="Oleksandr")
    response = client.get(reverse("trainer:learners_export"))
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Monique" in body and "1953" in body and "Oleksandr" not in body
    assert AuditEntry.objects.get(action="learners.export").detail == {"count": 1}


def test_opening_a_learner_account_is_audited(client, org_and_trainer):
    org, trainer = org_and_trainer
    learner = learner_in(org, first_name="Monique")
    assert client.get(reverse("trainer:learner_account", args=[learner.pk])).status_code == 200
    assert AuditEntry.objects.filter(action="learner.view", target_id=str(learner.pk), actor=trainer).exists()


def test_a_pin_reset_gives_a_new_pin_and_the_old_card_stops_working(client, org_and_trainer):
    org, _ = org_and_trainer
    learner = learner_in(org, first_name="Monique")
    old_token = learner.card_token
    response = client.post(reverse("trainer:learner_pin_reset", args=[learner.pk]))
    pin = response.context["pin"]
    learner.refresh_from_db()
    learner.refresh_from_db()
    assert learner.check_password(pin)
    assert learner.card_token != old_token
    assert client.get(reverse("accounts:card_login", args=[old_token])).status_code == 404
    assert AuditEntry.objects.filter(action="learner.pin_reset", target_id=str(learner.pk)).exists()


def test_sharing_a_learner_needs_consent_and_creates_an_enrolment_in_the_other_organisation(client, org_and_trainer):
    org, trainer = org_and_trainer
    learner = learner_in(org, first_name="Monique")
    other = OrganisationFactory(name="CCAS de Mérignac")
    response = client.get(reverse("trainer:learner_account", args=[learner.pk]), {"structure": "mérignac"})
    assert "CCAS de Mérignac" in page_text(response)
    url = reverse("trainer:learner_share", args=[learner.pk])
    response = client.post(url, {"organisation": other.pk}, follow=True)
    assert "Sans l'accord de la personne, le partage est impossible." in page_text(response)
    assert not Enrolment.objects.filter(learner=learner, organisation=other).exists()
    client.post(url, {"organisation": other.pk, "consent": "on"})
    assert Enrolment.objects.filter(learner=learner, organisation=other).exists()
    share = LearnerShare.objects.get(learner=learner)
    assert share.consent_recorded_by == trainer and share.consent_at is not None
    assert AuditEntry.objects.filter(action="learner.share", target_id=str(learner.pk)).exists()


def test_a_trainer_belonging_to_two_organisations_switches_between_them(client, org_and_trainer):
    org, trainer = org_and_trainer
    second, _ = trainer_of(OrganisationFactory(name="CCAS de Mérignac"))
    from tests.factories import MembershipFactory
    MembershipFactory(user=trainer, organisation=second)
    learner_in(org, first_name="Monique")
    learner_in(second, first_name="Oleksandr")
    first_page = page_text(client.get(reverse("trainer:learners")))
    assert "CCAS de Mérignac" in first_page  # the selector lists both
    current_is_first = "Monique" in first_page
    target = second if current_is_first else org
    response = client.post(reverse("trainer:organisation_switch"),
                           {"organisation": target.pk, "next": reverse("trainer:learners")})
    assert response.status_code == 302 and response["Location"] == reverse("trainer:learners")
    text = page_text(client.get(reverse("trainer:learners")))
    assert ("Oleksandr" in text) == current_is_first and ("Monique" in text) != current_is_first


def test_a_trainer_cannot_switch_to_an_organisation_they_do_not_belong_to(client, org_and_trainer):
    other = OrganisationFactory()
    assert client.post(reverse("trainer:organisation_switch"), {"organisation": other.pk}).status_code == 404
    assert client.post(reverse("trainer:organisation_switch"), {"organisation": "pas-un-id"}).status_code == 404


def test_merging_a_duplicate_followed_here_only_moves_everything_and_closes_the_duplicate(client, org_and_trainer):
    org, trainer = org_and_trainer
    kept = learner_in(org, first_name="Karim", last_name="Ali", birth_year=2005)
    duplicate = learner_in(org, first_name="Karim", last_name="Ali", birth_year=2005)
    response = client.get(reverse("trainer:duplicates"))
    assert duplicate.login_code_display in page_text(response)
    client.post(reverse("trainer:duplicates_merge"), {"kept": kept.pk, "duplicates": [duplicate.pk]})
    duplicate.refresh_from_db()
    assert not duplicate.is_active and duplicate.card_token is None
    assert not Enrolment.objects.filter(learner=duplicate).exists()
    assert AuditEntry.objects.filter(action="learner.merge", target_id=str(kept.pk)).exists()
    assert "Aucun doublon trouvé." in page_text(client.get(reverse("trainer:duplicates")))


def test_merging_a_duplicate_another_organisation_shares_leaves_that_organisation_untouched(client, org_and_trainer):
    from tremplin.coaching.models import Accompaniment, Note

    org, trainer = org_and_trainer
    kept = learner_in(org, first_name="Karim", last_name="Ali", birth_year=2005)
    duplicate = learner_in(org, first_name="Karim", last_name="Ali", birth_year=2005)
    other = OrganisationFactory()
    theirs = Enrolment.objects.create(learner=duplicate, organisation=other)
    their_note = Note.objects.create(organisation=other, learner=duplicate, text="Vu le 3 mars")
    our_note = Note.objects.create(organisation=org, learner=duplicate, text="Notre note")
    their_records = Accompaniment.objects.filter(organisation=other).count()
    client.post(reverse("trainer:duplicates_merge"), {"kept": kept.pk, "duplicates": [duplicate.pk]})
    duplicate.refresh_from_db()
    assert duplicate.is_active and duplicate.has_usable_password() and duplicate.card_token
    assert Enrolment.objects.get(pk=theirs.pk).learner_id == duplicate.pk
    assert not Enrolment.objects.filter(learner=kept, organisation=other).exists()
    assert Note.objects.get(pk=their_note.pk).learner_id == duplicate.pk
    assert Accompaniment.objects.filter(organisation=other).count() == their_records
    assert Note.objects.get(pk=our_note.pk).learner_id == kept.pk
    assert not Enrolment.objects.filter(learner=duplicate, organisation=org).exists()
    assert "Aucun doublon trouvé." in page_text(client.get(reverse("trainer:duplicates")))
