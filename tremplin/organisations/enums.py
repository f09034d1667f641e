from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    """data·inclusion typology codes (shared with the places standard and La Coop)."""

    ASSO = "ASSO", _("Association")
    BIB = "BIB", _("Bibliothèque, médiathèque")
    CCAS = "CCAS", _("Centre communal d'action sociale (CCAS)")
    CIAS = "CIAS", _("Centre intercommunal d'action sociale (CIAS)")
    CSC = "CSC", _("Centre social")
    EPN = "EPN", _("Espace public numérique (EPN)")
    EVS = "EVS", _("Espace de vie sociale")
    MSAP = "MSAP", _("France Services")
    ML = "ML", _("Mission locale")
    FT = "FT", _("France Travail")
    CAF = "CAF", _("Caisse d'allocations familiales (CAF)")
    CPAM = "CPAM", _("Caisse primaire d'assurance maladie (CPAM)")
    MUNI = "MUNI", _("Mairie")
    DEPT = "DEPT", _("Conseil départemental")
    EPCI = "EPCI", _("Intercommunalité (EPCI)")
    MJC = "MJC", _("Maison des jeunes et de la culture (MJC)")
    TIERS_LIEUX = "TIERS_LIEUX", _("Tiers-lieu")
    FABLAB = "FABLAB", _("Fablab")
    PIMMS = "PIMMS", _("Point d'information et de médiation multi-services (PIMMS)")
    E2C = "E2C", _("École de la deuxième chance (E2C)")
    EPIDE = "EPIDE", _("Établissement pour l'insertion dans l'emploi (EPIDE)")
    CHRS = "CHRS", _("Centre d'hébergement et de réinsertion sociale (CHRS)")
    CADA = "CADA", _("Centre d'accueil de demandeurs d'asile (CADA)")
    RS_FJT = "RS_FJT", _("Résidence sociale, foyer de jeunes travailleurs")
    PIJ_BIJ = "PIJ_BIJ", _("Point ou bureau information jeunesse")
    LA_POSTE = "LA_POSTE", _("La Poste")
    OF = "OF", _("Organisme de formation")
    AUTRE = "Autre", _("Autre")


class MembershipRole(models.TextChoices):
    TRAINER = "trainer", _("Formateur")
    ADMIN = "admin", _("Responsable de la structure")
    # A partner professional (France Travail, CAF, CCAS, Mission locale…) who sends people to structures:
    # sees the referral screens only, never a learner's progress (ADR 0011).
    PRESCRIBER = "prescriber", _("Prescripteur (oriente des personnes)")


class TerritoryKind(models.TextChoices):
    """What a territory of the network is: a region, a department, or a hub that coordinates several departments."""

    REGION = "region", _("Région")
    DEPARTMENT = "department", _("Département")
    HUB = "hub", _("Hub territorial (plusieurs départements)")


class NetworkRole(models.TextChoices):
    """Roles above the structures (issue 11). None of them sees a learner: aggregates only."""

    # The national programme's team: creates territories, invites coordinators and funders, sees the whole country.
    NETWORK_ADMIN = "network_admin", _("Équipe nationale du réseau")
    # Coordinates the structures of a territory: sees their figures down to each structure, invites structures.
    COORDINATOR = "coordinator", _("Coordinateur de territoire")
    # Funds a territory (a department, a region…): figures of the territory and its departments, never per structure.
    FUNDER = "funder", _("Financeur ou observateur")
