"""Demo referrals: a France Travail agency in Angers with one partner professional and two referrals to
« Les Clés du Numérique », one just sent, one already enrolled. Idempotent."""

from __future__ import annotations

import uuid

from tremplin.accounts.models import User
from tremplin.accounts.services import staff_create
from tremplin.coaching.models import Referral
from tremplin.coaching.services import referral_accept, referral_enrol, referral_send
from tremplin.organisations.enums import MembershipRole, OrganisationType
from tremplin.organisations.models import Commune, Organisation
from tremplin.organisations.services import membership_add, organisation_create

from .network import STAFF_PASSWORD

PARTNER = "France Travail – agence Angers Ouest"
PRESCRIBER = "lucie.moreau@demo.tremplin.fr"
STRUCTURE = "Les Clés du Numérique"
TOKENS = {"Josette": uuid.UUID("6f9d1c2e-0000-4000-8000-000000000001"),
          "Kader": uuid.UUID("6f9d1c2e-0000-4000-8000-000000000002")}


def build_demo_referrals() -> tuple[int, tuple[str, str]]:
    """Returns (rows created, (prescriber e-mail, partner name))."""
    created = 0
    partner = Organisation.objects.filter(name=PARTNER).first()
    if partner is None:
        partner = organisation_create(name=PARTNER, type=OrganisationType.FT, commune=Commune.objects.get(code="49007"),
                                      address="2 rue de la Bouvinerie")
        created += 1
    user = User.objects.filter(username=PRESCRIBER).first()
    if user is None:
        user = staff_create(email=PRESCRIBER, first_name="Lucie", last_name="Moreau", password=STAFF_PASSWORD)
        membership_add(user=user, organisation=partner, role=MembershipRole.PRESCRIBER)
        created += 1
    structure = Organisation.objects.get(name=STRUCTURE)
    for first_name, token in TOKENS.items():
        if Referral.objects.filter(client_token=token).exists():
            continue
        referral, _new = referral_send(
            from_organisation=partner, sent_by=user, to_organisation=structure, client_token=token,
            first_name=first_name, phone="" if first_name == "Josette" else "06 00 00 00 00",
            themes=["aide_aux_demarches_administratives"] if first_name == "Josette" else [
                "insertion_professionnelle", "email"],
            urgency="soon" if first_name == "Josette" else "normal", consent=True)
        created += 1
        if first_name == "Kader":
            admin = structure.memberships.filter(role=MembershipRole.ADMIN).first().user
            referral_accept(referral=referral, actor=admin)
            referral_enrol(referral=referral, actor=admin)
    return created, (PRESCRIBER, PARTNER)
