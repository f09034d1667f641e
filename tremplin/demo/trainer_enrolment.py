"""Demo touches for the enrolment screens: Yanis also works for the CCAS (organisation selector), a pending
invitation and a workshop sign-up link. Idempotent; call after ``build_demo_network()``."""

import hashlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tremplin.accounts.models import User
from tremplin.organisations.enums import MembershipRole
from tremplin.organisations.models import Invitation, Organisation, SignupLink
from tremplin.organisations.services import membership_add

SIGNUP_TOKEN = "atelier-demo-angers"


@transaction.atomic
def seed_trainer_enrolment_demo() -> None:
    cles = Organisation.objects.filter(name="Les Clés du Numérique").first()
    ccas = Organisation.objects.filter(name="CCAS de Mérignac").first()
    claire = User.objects.filter(username="claire.martin@demo.tremplin.fr").first()
    yanis = User.objects.filter(username="yanis.benali@demo.tremplin.fr").first()
    if not (cles and ccas and claire and yanis):
        return
    membership_add(user=yanis, organisation=ccas, role=MembershipRole.TRAINER)
    now = timezone.now()
    if not Invitation.objects.filter(organisation=cles, email="leon.petit@demo.tremplin.fr").exists():
        Invitation.objects.create(organisation=cles, email="leon.petit@demo.tremplin.fr", role=MembershipRole.TRAINER,
                                  token_hash=hashlib.sha256(b"demo-invitation-leon").hexdigest(), invited_by=claire,
                                  expires_at=now + timedelta(days=14))
    SignupLink.objects.update_or_create(token=SIGNUP_TOKEN, defaults={
        "organisation": cles, "created_by": claire, "label": "Atelier du mardi",
        "expires_at": now + timedelta(days=7)})
