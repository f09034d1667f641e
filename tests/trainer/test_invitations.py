import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import page_text
from tests.factories import CommuneFactory, MembershipFactory, OrganisationFactory, StaffFactory
from tremplin.accounts.models import User
from tremplin.audit.models import AuditEntry
from tremplin.organisations.enums import MembershipRole
from tremplin.organisations.models import Invitation, Membership

from .enrolment_helpers import trainer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    org, admin = trainer_of(admin=True)
    client.force_login(admin)
    return client, org, admin


def invite(client, email="yanis@exemple.fr", role=MembershipRole.TRAINER) -> str:
    response = client.post(reverse("trainer:organisation_invite"), {"email": email, "role": role})
    assert response.status_code == 302
    return re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)


def test_an_admin_invites_a_trainer_who_sets_a_password_and_joins(admin_client, client):
    client, org, admin = admin_client
    link = invite(client)
    assert mail.outbox[-1].to == ["yanis@exemple.fr"] and org.name in mail.outbox[-1].subject
    assert Invitation.objects.get().token_hash not in link  # only the hash is stored
    client.logout()
    path = link.split("testserver", 1)[1]
    assert "Rejoindre Les Clés du Numérique" in page_text(client.get(path))
    response = client.post(path, {"first_name": "Yanis", "last_name": "Benali", "password": "un mot de passe long",
                                  "password2": "un mot de passe long"})
    assert response.status_code == 302 and response["Location"] == reverse("trainer:home")
    yanis = User.objects.get(email="yanis@exemple.fr")
    assert Membership.objects.get(user=yanis, organisation=org).role == MembershipRole.TRAINER
    assert AuditEntry.objects.filter(action="invitation.accept").exists()
    # The link works once.
    client.logout()
    assert client.get(path).status_code == 404


def test_accepting_with_mismatched_or_short_passwords_is_refused_in_french(admin_client):
    client, org, admin = admin_client
    path = invite(client).split("testserver", 1)[1]
    client.logout()
    response = client.post(path, {"first_name": "Yanis", "password": "court", "password2": "court"})
    assert response.status_code == 400 and "12 caractères au moins" in page_text(response)
    response = client.post(path, {"first_name": "Yanis", "password": "un mot de passe long",
                                  "password2": "un autre mot de passe"})
    assert response.status_code == 400 and "Les deux mots de passe ne sont pas les mêmes." in page_text(response)
    assert not User.objects.filter(email="yanis@exemple.fr").exists()


def test_an_existing_trainer_signs_in_then_joins_a_second_organisation(admin_client):
    client, org, admin = admin_client
    nadia = StaffFactory(email="nadia@exemple.fr")
    MembershipFactory(user=nadia)
    path = invite(client, email="nadia@exemple.fr").split("testserver", 1)[1]
    client.logout()
    assert "Connectez-vous pour accepter" in page_text(client.get(path))
    client.force_login(nadia)
    client.post(path)
    assert nadia.memberships.count() == 2


def test_a_trainer_who_is_not_admin_cannot_invite_nor_edit_the_organisation(client):
    org, trainer = trainer_of()
    client.force_login(trainer)
    assert client.post(reverse("trainer:organisation_invite"), {"email": "x@exemple.fr", "role": "trainer"}
                       ).status_code == 403
    assert client.get(reverse("trainer:organisation_edit")).status_code == 403
    assert client.get(reverse("trainer:organisation")).status_code == 200
    assert not mail.outbox


def test_an_expired_or_unknown_invitation_link_is_refused_kindly(client):
    response = client.get(reverse("join:invitation", args=["nimportequoi"]))
    assert response.status_code == 404 and "Ce lien d'invitation ne marche plus" in page_text(response)


def test_the_last_admin_cannot_be_removed_or_demoted(admin_client):
    client, org, admin = admin_client
    url = reverse("trainer:member_update", args=[admin.pk])
    for data in ({"action": "remove"}, {"action": "role", "role": MembershipRole.TRAINER}):
        response = client.post(url, data, follow=True)
        assert "La structure doit garder au moins un responsable." in page_text(response), data
        assert Membership.objects.get(user=admin, organisation=org).role == MembershipRole.ADMIN, data
    other = StaffFactory()
    MembershipFactory(user=other, organisation=org)
    client.post(reverse("trainer:member_update", args=[other.pk]), {"action": "role", "role": "admin"})
    assert Membership.objects.get(user=other).role == MembershipRole.ADMIN
    # Now that there is another admin, the first one may step down (and lands on the trainer's home).
    response = client.post(url, {"action": "role", "role": MembershipRole.TRAINER})
    assert response.status_code == 302 and response["Location"] == reverse("trainer:home")
    assert Membership.objects.get(user=admin, organisation=org).role == MembershipRole.TRAINER


def test_an_admin_cannot_manage_a_member_of_another_organisation(admin_client):
    client, org, admin = admin_client
    stranger = MembershipFactory(organisation=OrganisationFactory())
    response = client.post(reverse("trainer:member_update", args=[stranger.user_id]), {"action": "remove"})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=stranger.pk).exists()


def test_an_admin_edits_the_organisation_with_siret_and_commune_by_postcode_and_name(admin_client):
    client, org, admin = admin_client
    CommuneFactory(code="49007", name="Angers", postcodes=["49000", "49100"])
    data = {"name": "Les Clés", "type": "EPN", "siret": "123 456 789 00012", "address": "1 rue Lenepveu",
            "commune": "49000 Angers"}
    response = client.post(reverse("trainer:organisation_edit"), data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.type, org.siret, org.commune_id) == ("Les Clés", "EPN", "12345678900012", "49007")
    assert AuditEntry.objects.filter(action="organisation.update").exists()


def test_a_bad_siret_or_unknown_commune_is_refused_in_french(admin_client):
    client, org, admin = admin_client
    response = client.post(reverse("trainer:organisation_edit"), {"name": "X", "type": "EPN", "siret": "1234",
                                                                  "commune": "99999 Nulle-part"})
    text = page_text(response)
    assert response.status_code == 400
    assert "Le SIRET a exactement 14 chiffres." in text and "Aucune commune ne correspond." in text
    response = client.post(reverse("trainer:organisation_edit"), {"name": "X", "type": "EPN", "commune": "49007"})
    assert response.status_code == 302


def test_a_staff_member_without_organisation_is_told_so(client):
    client.force_login(StaffFactory())
    response = client.get(reverse("trainer:learners"))
    assert response.status_code == 403 and "Vous n'êtes rattaché à aucune structure" in page_text(response)




def test_when_the_mail_server_fails_the_trainer_is_told_and_no_invitation_is_kept(admin_client, monkeypatch):
    import smtplib

    def broken_send_mail(**kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("tremplin.organisations.services.send_mail", broken_send_mail)
    client, _org, _admin = admin_client
    response = client.post(reverse("trainer:organisation_invite"), {"email": "x@exemple.fr",
                                                                    "role": MembershipRole.TRAINER})
    assert response.status_code == 503
    assert "L'e-mail n'a pas pu partir" in page_text(response)
    assert not Invitation.objects.exists()


def test_a_structure_name_typed_with_a_line_break_is_kept_on_one_line_and_invitations_still_go(admin_client):
    from tremplin.organisations.models import Organisation

    client, org, admin = admin_client
    response = client.post(reverse("trainer:organisation_edit"), {
        "name": "Les Clés\r\ndu Numérique", "type": org.type, "commune": org.commune_id})
    assert response.status_code == 302
    assert Organisation.objects.get(pk=org.pk).name == "Les Clés du Numérique"
    Organisation.objects.filter(pk=org.pk).update(name="Ancien\nnom")  # one saved before this rule
    invite(client)
    assert mail.outbox[-1].subject == "Invitation à rejoindre Ancien nom sur Tremplin"
