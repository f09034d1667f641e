"""Vocabularies of the coaching domain.

Accompaniment records reuse the exact machine values of La Coop de la médiation numérique
(STANDARDS.md §1, its public API ``/api/v1/activites``) so that an export needs no mapping.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.catalog.enums import Level
from tremplin.catalog.schema import CoopTheme

# Workshops and collective records share the Coop's three levels.
WorkshopLevel = Level

DURATION_PRESETS = (15, 30, 45, 60, 90, 120)


class AccompanimentType(models.TextChoices):
    INDIVIDUEL = "individuel", _("Accompagnement individuel")
    COLLECTIF = "collectif", _("Atelier collectif")


class TypeLieu(models.TextChoices):
    LIEU_ACTIVITE = "lieu_activite", _("Lieu d'activité")
    DOMICILE = "domicile", _("À domicile")
    A_DISTANCE = "a_distance", _("À distance")
    AUTRE = "autre", _("Autre lieu")


class Materiel(models.TextChoices):
    ORDINATEUR = "ordinateur", _("Ordinateur")
    TELEPHONE = "telephone", _("Téléphone")
    TABLETTE = "tablette", _("Tablette")
    AUTRE = "autre", _("Autre")
    AUCUN = "aucun", _("Pas de matériel")


# French labels of the Coop's 30 themes, in the Coop's order (values come from CoopTheme).
THEME_LABELS: dict[str, str] = {
    CoopTheme.diagnostic_numerique: _("Diagnostic numérique"),
    CoopTheme.prendre_en_main_du_materiel: _("Prendre en main du matériel"),
    CoopTheme.maintenance_de_materiel: _("Maintenance de matériel"),
    CoopTheme.gere_ses_contenus_numeriques: _("Gérer ses contenus numériques"),
    CoopTheme.navigation_sur_internet: _("Navigation sur internet"),
    CoopTheme.email: _("E-mail"),
    CoopTheme.bureautique: _("Bureautique"),
    CoopTheme.reseaux_sociaux: _("Réseaux sociaux communication"),
    CoopTheme.sante: _("Santé"),
    CoopTheme.banque_et_achats_en_ligne: _("Banque et achats en ligne"),
    CoopTheme.entrepreneuriat: _("Accompagner un professionnel"),
    CoopTheme.insertion_professionnelle: _("Insertion professionnelle"),
    CoopTheme.securite_numerique: _("Prévention en sécurité numérique"),
    CoopTheme.parentalite: _("Parentalité"),
    CoopTheme.scolarite_et_numerique: _("Scolarité et numérique"),
    CoopTheme.creer_avec_le_numerique: _("Créer avec le numérique"),
    CoopTheme.culture_numerique: _("Culture numérique"),
    CoopTheme.intelligence_artificielle: _("Intelligence artificielle (IA)"),
    CoopTheme.aide_aux_demarches_administratives: _("Aide aux démarches administratives"),
    CoopTheme.papiers_elections_citoyennete: _("Papiers - Élections - Citoyenneté"),
    CoopTheme.famille_scolarite: _("Famille - Scolarité"),
    CoopTheme.social_sante: _("Social - Santé"),
    CoopTheme.travail_formation: _("Travail - Formation - Entreprise"),
    CoopTheme.logement: _("Logement"),
    CoopTheme.transports_mobilite: _("Transports - Mobilité"),
    CoopTheme.argent_impots: _("Argent - Impôts"),
    CoopTheme.justice: _("Justice"),
    CoopTheme.etrangers_europe: _("Étrangers - Europe"),
    CoopTheme.loisirs_sports_culture: _("Loisirs - Sports - Culture"),
    CoopTheme.associations: _("Associations"),
}
THEME_CHOICES: list[tuple[str, str]] = [(str(k), v) for k, v in THEME_LABELS.items()]
# The first 19 are digital themes, the last 11 administrative procedures (the Coop groups them so).
DIGITAL_THEMES = [str(t) for t in list(THEME_LABELS)[:19]]
ADMINISTRATIVE_THEMES = [str(t) for t in list(THEME_LABELS)[19:]]


class Autonomie(models.TextChoices):
    ENTIEREMENT_ACCOMPAGNE = "entierement_accompagne", _("Avec guidage")
    PARTIELLEMENT_AUTONOME = "partiellement_autonome", _("Autonome avec guidage en cas de besoin")
    AUTONOME = "autonome", _("Autonome")


class StructureDeRedirection(models.TextChoices):
    ADMINISTRATION = "administration", _("Administration")
    MEDIATION_NUMERIQUE = "mediation_numerique", _("Autre structure de médiation numérique")
    OPERATEUR = "operateur_ou_organisme_en_charge", _("Opérateur ou organisme en charge")
    AIDE_SOCIALE = "aide_sociale", _("Aide sociale")
    INSERTION_PROFESSIONNELLE = "insertion_professionnelle", _("Insertion professionnelle")
    DEMARCHES = "aide_aux_demarches_administratives", _("Aide aux démarches administratives")
    AUTRE = "autre", _("Autre")


class Genre(models.TextChoices):
    MASCULIN = "masculin", _("Masculin")
    FEMININ = "feminin", _("Féminin")
    NON_COMMUNIQUE = "non_communique", _("Non communiqué")


class TrancheAge(models.TextChoices):
    MOINS_DE_DOUZE = "moins_de_douze", _("Moins de 12 ans")
    DOUZE_DIX_HUIT = "douze_dix_huit", _("12 à 18 ans")
    DIX_HUIT_VINGT_QUATRE = "dix_huit_vingt_quatre", _("18 à 24 ans")
    VINGT_CINQ_TRENTE_NEUF = "vingt_cinq_trente_neuf", _("25 à 39 ans")
    QUARANTE_CINQUANTE_NEUF = "quarante_cinquante_neuf", _("40 à 59 ans")
    SOIXANTE_SOIXANTE_NEUF = "soixante_soixante_neuf", _("60 à 69 ans")
    SOIXANTE_DIX_PLUS = "soixante_dix_plus", _("70 ans et plus")
    NON_COMMUNIQUE = "non_communique", _("Non communiqué")


class StatutSocial(models.TextChoices):
    SCOLARISE = "scolarise", _("Scolarisé(e)")
    SANS_EMPLOI = "sans_emploi", _("Sans emploi")
    EN_EMPLOI = "en_emploi", _("En emploi")
    RETRAITE = "retraite", _("Retraité(e)")
    NON_COMMUNIQUE = "non_communique", _("Non communiqué")


class FollowStatus(models.TextChoices):
    """A cell of the progress grid."""

    NOT_STARTED = "not_started", _("Pas commencé")
    IN_PROGRESS = "in_progress", _("En cours")
    COMPLETED = "completed", _("Terminé")
    NEEDS_HELP = "needs_help", _("Besoin d'aide")


# "Needs help": a module in progress with no activity for this many days…
STUCK_AFTER_DAYS = 14
# …or this many questions of the module answered wrongly the first time.
STUCK_WRONG_FIRST_ANSWERS = 2


class ReferralUrgency(models.TextChoices):
    NORMAL = "normal", _("Pas pressé")
    SOON = "soon", _("Dans la semaine")
    URGENT = "urgent", _("Urgent : une démarche à faire très vite")


class ReferralStatus(models.TextChoices):
    """Where a referral stands for the structure; the partner sees an outcome built from it."""

    SENT = "sent", _("Envoyée")
    ACCEPTED = "accepted", _("Acceptée")
    CONTACTED = "contacted", _("Personne contactée")
    ENROLLED = "enrolled", _("Personne inscrite")
