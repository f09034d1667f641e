import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import MembershipRole, NetworkRole, OrganisationType, TerritoryKind


class Region(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Commune(models.Model):
    """A current commune of the Code officiel géographique; INSEE codes are strings (2A004)."""

    code = models.CharField(max_length=5, primary_key=True)
    name = models.CharField(max_length=150)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="communes")
    postcodes = models.JSONField(default=list)
    population = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.department_id})"


class Organisation(models.Model):
    """A structure: association, CCAS, library, France Services…"""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("nom"), max_length=200)
    type = models.CharField(_("type de structure"), max_length=20, choices=OrganisationType.choices)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="organisations")
    # The structure's public profile in the places standard (edited in the trainer space, exported).
    place = models.OneToOneField("Place", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="organisation")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(siret="") | models.Q(siret__regex=r"^[0-9]{14}$"),
                                   name="siret_is_14_digits"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A staff member working for an organisation (a trainer may work for several)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=MembershipRole.choices, default=MembershipRole.TRAINER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")]


class Enrolment(models.Model):
    """A learner followed by an organisation. A learner may be followed by several (with consent)."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="enrolments")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Contact kept by this organisation only; never used to sign in.
    contact_email = models.EmailField(_("adresse e-mail de contact"), blank=True)
    # The enrolment form that created this row (a hidden UUID): the same form sent twice enrols one person.
    client_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner", "organisation"], name="one_enrolment_per_org")]


class Invitation(models.Model):
    """A staff member invited by e-mail to join an organisation. Only the token's hash is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(max_length=16, choices=MembershipRole.choices, default=MembershipRole.TRAINER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Territory(models.Model):
    """A territory of the network (issue 11): a region, a department, or a hub coordinating several departments.

    A territory is the unit of network roles (a coordinator or a funder belongs to one). Which structures it holds
    follows from geography: every structure whose commune lies in one of its departments.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type de territoire"), max_length=12, choices=TerritoryKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    departments = models.ManyToManyField(Department, related_name="territories")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="territory_name_unique")]

    def __str__(self) -> str:
        return self.name

    def department_codes(self) -> frozenset[str]:
        return frozenset(self.departments.values_list("code", flat=True))


class NetworkMembership(models.Model):
    """A person working above the structures: the national team (no territory), a coordinator or a funder."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_memberships")
    role = models.CharField(max_length=16, choices=NetworkRole.choices)
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "territory"], name="one_network_membership_per_territory"),
            models.UniqueConstraint(fields=["user"], condition=models.Q(territory__isnull=True),
                                    name="one_national_membership"),
            # Only the national team acts for the whole country; every other role belongs to a territory.
            models.CheckConstraint(condition=models.Q(territory__isnull=False) | models.Q(role="network_admin"),
                                   name="national_only_for_network_admin"),
        ]


class NetworkInvitation(models.Model):
    """Someone invited by e-mail to a network role (the token's hash only is stored, as for trainers)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(max_length=16, choices=NetworkRole.choices)
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class CoordinatorGrant(models.Model):
    """A structure lets the coordinators of one territory read its list of learners (ADR 14, revised).

    Given and taken back by the structure's manager only (``organisations.grants``), for a territory that covers
    the structure's department; a revoked grant stays as history (``revoked_at``) and a new one is a new row. It
    widens nothing else: no membership, no ``tenant_q``; the network selectors check it on every read.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="coordinator_grants")
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="grants")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "territory"], condition=models.Q(revoked_at__isnull=True),
                                    name="one_active_grant_per_territory"),
        ]


class LearnerImport(models.Model):
    """A parsed CSV/XLSX file waiting for the trainer's confirmation (rows never travel back through the form)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        DONE = "done", _("Importé")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="learner_imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255, blank=True)
    # [{"line": 2, "first_name": …, "last_name": …, "birth_year": 1975|None, "phone": …, "email": …}]
    rows = models.JSONField(default=list)
    # [{"line": 3, "message": "…"}]
    errors = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]


class SignupLink(models.Model):
    """A time-limited link (and its QR code) with which learners in a workshop room enrol themselves."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="signup_links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("nom de l'atelier"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    max_uses = models.PositiveIntegerField(default=60)
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]


class LearnerShare(models.Model):
    """A learner's consent, recorded by a trainer, to be followed by another organisation too."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shares")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    consent_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                            related_name="+")
    consent_at = models.DateTimeField()



class Place(models.Model):
    """A place where people get help with digital life (« lieu de médiation numérique »).

    Field names are the columns of the national standard (Table Schema v1.0.2, ``docs/areas/places.md``),
    so that import and export are a plain mapping, with two exceptions: the standard's ``id`` belongs to
    each source record (``PlaceSource.source_id``) and its ``source`` column is rebuilt from the sources.
    ``code_insee`` is kept as written and also linked to our ``Commune`` (``cog_commune``) when the COG knows it. Multi-valued columns are lists of
    the standard's labels (exactly as the schema spells them), joined with ``|`` only in files.
    A place may be a structure's own public profile (``Organisation.place``) and may carry several
    source records (``PlaceSource``): files from different hubs describing the same place merge into one.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pivot = models.CharField(_("SIRET ou RNA"), max_length=14, blank=True)  # "" = unknown (00000000000000)
    nom = models.CharField(_("nom"), max_length=255)
    commune = models.CharField(_("commune"), max_length=150)
    code_postal = models.CharField(_("code postal"), max_length=5)
    code_insee = models.CharField(_("code INSEE"), max_length=5, blank=True)
    # The COG commune of code_insee, when we know it (searching by commune, centroids).
    cog_commune = models.ForeignKey(Commune, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="places")
    adresse = models.CharField(_("adresse"), max_length=255)
    complement_adresse = models.CharField(_("complément d'adresse"), max_length=255, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    typologie = models.CharField(_("typologie"), max_length=100, blank=True)
    telephone = models.CharField(_("téléphone"), max_length=16, blank=True)  # +33123456789
    courriels = models.CharField(_("courriel(s)"), max_length=500, blank=True)
    site_web = models.CharField(_("site web"), max_length=500, blank=True)
    horaires = models.TextField(_("horaires"), blank=True)  # OpenStreetMap opening_hours syntax
    presentation_resume = models.CharField(_("présentation résumée"), max_length=280, blank=True)
    presentation_detail = models.TextField(_("présentation détaillée"), blank=True)
    itinerance = models.JSONField(default=list, blank=True)
    structure_parente = models.CharField(_("structure parente"), max_length=255, blank=True)
    date_maj = models.DateField(_("date de mise à jour"))
    services = models.JSONField(default=list, blank=True)
    publics_specifiquement_adresses = models.JSONField(default=list, blank=True)
    prise_en_charge_specifique = models.JSONField(default=list, blank=True)
    frais_a_charge = models.JSONField(default=list, blank=True)
    dispositif_programmes_nationaux = models.JSONField(default=list, blank=True)
    formations_labels = models.JSONField(default=list, blank=True)
    autres_formations_labels = models.JSONField(default=list, blank=True)
    modalites_acces = models.JSONField(default=list, blank=True)
    modalites_accompagnement = models.JSONField(default=list, blank=True)
    fiche_acces_libre = models.CharField(_("fiche Accès libre"), max_length=500, blank=True)
    prise_rdv = models.CharField(_("prise de rendez-vous"), max_length=500, blank=True)
    # Normalised name + address + postcode, to match a record from another hub to this place.
    match_key = models.CharField(max_length=600, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nom"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="place_lat_lon"),
                   models.Index(fields=["pivot"], name="place_pivot")]

    def __str__(self) -> str:
        return f"{self.nom} ({self.commune})"


class PlaceSource(models.Model):
    """One record about a place as a hub published it: idempotency key (hub, source_id), raw row kept."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="sources")
    hub = models.CharField(_("source"), max_length=100)  # the hub's name (--source, or the file's source column)
    source_id = models.CharField(_("identifiant dans la source"), max_length=255)  # the standard's id
    date_maj = models.DateField(_("date de mise à jour"))
    raw = models.JSONField(default=dict)  # the row as read, every column as text
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["hub", "source_id"]
        constraints = [models.UniqueConstraint(fields=["hub", "source_id"], name="one_record_per_source_id")]

    def __str__(self) -> str:
        return f"{self.hub}: {self.source_id}"
