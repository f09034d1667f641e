"""Forms of the coaching screens: they parse input; rules live in tremplin.coaching.services."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.catalog.models import Module, Track
from tremplin.coaching.enums import (
    ADMINISTRATIVE_THEMES,
    DIGITAL_THEMES,
    DURATION_PRESETS,
    THEME_CHOICES,
    THEME_LABELS,
    AccompanimentType,
    Autonomie,
    Genre,
    Materiel,
    ReferralUrgency,
    StatutSocial,
    StructureDeRedirection,
    TrancheAge,
    TypeLieu,
    WorkshopLevel,
)
from tremplin.coaching.selectors import groups_of, workshop_venues
from tremplin.coaching.services import AccompanimentInput, accompaniment_errors
from tremplin.organisations.models import Commune
from tremplin.organisations.selectors import learner_of, learners_of


def client_token_field() -> forms.UUIDField:
    """The hidden UUID of a creating form, made when the form is shown: the service gives back the row this form
    already created when it is sent twice (a double tap, « renvoyer »). Optional, so an old page still works."""
    return forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4,
                           error_messages={"invalid": _("Ce formulaire n'est plus valable. Rechargez la page.")})


class LearnerChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.login_code_display})"


class LearnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.login_code_display})"


class GroupForm(forms.Form):
    """The members are checked in a picker the view draws (the chosen ones, then one page of a search): the field
    only checks that every posted id is a learner of the scope, it is never drawn with all of them."""

    token = client_token_field()
    name = forms.CharField(label=_("Nom du groupe"), max_length=120,
                           error_messages={"required": _("Donnez un nom au groupe.")})
    members = LearnerChoices(label=_("Membres"), queryset=None, required=False,
                             widget=forms.MultipleHiddenInput,
                             error_messages={"invalid_choice": _("Une personne choisie n'est pas suivie ici.")})

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = learners_of(scope=scope)


class WorkshopForm(forms.Form):
    token = client_token_field()
    title = forms.CharField(label=_("Titre de l'atelier"), max_length=200,
                            error_messages={"required": _("Donnez un titre à l'atelier.")})
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": _("Indiquez la date."),
                                           "invalid": _("Cette date n'est pas valide (jj/mm/aaaa).")})
    start_time = forms.TimeField(label=_("Heure de début"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                 error_messages={"required": _("Indiquez l'heure de début."),
                                                 "invalid": _("Cette heure n'est pas valide (hh:mm).")})
    duration_minutes = forms.TypedChoiceField(
        label=_("Durée"), coerce=int, initial=90,
        choices=[(m, _("%(n)s minutes") % {"n": m}) for m in DURATION_PRESETS])
    venue = forms.ChoiceField(label=_("Lieu"), required=False,
                              help_text=_("Votre structure, ou un autre lieu de la commune."),
                              error_messages={"invalid_choice": _("Choisissez un lieu de la liste.")})
    place = forms.CharField(label=_("Salle (facultatif)"), max_length=200, required=False,
                            help_text=_("Par exemple : salle informatique, 1er étage."))
    theme = forms.ChoiceField(label=_("Thématique"), choices=THEME_CHOICES,
                              error_messages={"required": _("Choisissez une thématique.")})
    level = forms.ChoiceField(label=_("Niveau"), choices=WorkshopLevel.choices, initial=WorkshopLevel.DEBUTANT,
                              widget=forms.RadioSelect)
    group = forms.ModelChoiceField(label=_("Groupe (facultatif)"), queryset=None, required=False,
                                   empty_label=_("Pas de groupe"))

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups_of(scope=scope)
        self.fields["date"].initial = timezone.localdate()
        self.venues = {str(p.pk): p for p in workshop_venues(scope=scope)}
        self.fields["venue"].choices = [("", _("— non précisé —"))] + [
            (k, f"{p.nom} – {p.adresse}, {p.commune}") for k, p in self.venues.items()]
        if scope.organisation.place_id and not self.is_bound and "venue" not in self.initial:
            self.initial["venue"] = str(scope.organisation.place_id)

    def clean_venue(self):
        return self.venues.get(self.cleaned_data.get("venue") or "")


class AttendanceForm(forms.Form):
    present = LearnerChoices(label=_("Présents"), queryset=None, required=False,
                             widget=forms.CheckboxSelectMultiple,
                             error_messages={"invalid_choice": _("Une personne cochée n'est pas suivie ici.")})

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = learners_of(scope=scope)


class AssignmentForm(forms.Form):
    token = client_token_field()
    content = forms.ChoiceField(label=_("Quoi ?"), error_messages={"required": _("Choisissez un parcours ou un "
                                                                                  "module.")})
    target = forms.ChoiceField(label=_("Pour qui ?"), error_messages={
        "required": _("Choisissez un groupe ou une personne."),
        "invalid_choice": _("Choisissez un groupe ou une personne de la liste.")})
    due_date = forms.DateField(label=_("À faire avant le (facultatif)"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               error_messages={"invalid": _("Cette date n'est pas valide (jj/mm/aaaa).")})

    def __init__(self, *args, scope, learners=(), **kwargs):
        """``learners``: the page of the learner search the trainer sees (at most a page, never the whole
        structure); the learner already chosen (posted, or ``?pour=``) is offered too."""
        super().__init__(*args, **kwargs)
        self.organisation = scope.organisation
        tracks = list(Track.objects.filter(is_active=True))
        modules = list(Module.objects.filter(is_active=True).select_related("track"))
        content = [("", _("— choisir —")),
                   (_("Parcours entiers"), [(f"track:{t.slug}", t.title) for t in tracks])]
        for t in tracks:
            content.append((t.title, [(f"module:{m.slug}", m.title) for m in modules if m.track_id == t.pk]))
        self.fields["content"].choices = content
        self.groups = {str(g.pk): g for g in groups_of(scope=scope)}
        shown = list(learners)
        selected = (self.data.get("target") if self.is_bound else self.initial.get("target")) or ""
        kind, _sep, key = str(selected).partition(":")
        if kind == "learner" and key not in {str(u.pk) for u in shown}:
            if chosen := learner_of(scope=scope, learner_id=key):
                shown.insert(0, chosen)
        self.learners = {str(u.pk): u for u in shown}
        self.fields["target"].choices = [
            ("", _("— choisir —")),
            (_("Groupes"), [(f"group:{k}", g.name) for k, g in self.groups.items()]),
            (_("Personnes"), [(f"learner:{k}", f"{u.display_name} ({u.login_code_display})")
                              for k, u in self.learners.items()]),
        ]
        self.tracks = {t.slug: t for t in tracks}
        self.modules = {m.slug: m for m in modules}

    def cleaned_objects(self) -> dict:
        kind, _sep, key = self.cleaned_data["content"].partition(":")
        target_kind, _sep, target = self.cleaned_data["target"].partition(":")
        return {
            "track": self.tracks.get(key) if kind == "track" else None,
            "module": self.modules.get(key) if kind == "module" else None,
            "group": self.groups.get(target) if target_kind == "group" else None,
            "learner": self.learners.get(target) if target_kind == "learner" else None,
            "due_date": self.cleaned_data.get("due_date"),
        }


class NoteForm(forms.Form):
    token = client_token_field()
    text = forms.CharField(label=_("Nouvelle note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("La note est vide."),
                                           "max_length": _("La note est trop longue (4000 caractères au plus).")})


YES_NO_UNKNOWN = [("", _("Non renseigné")), ("oui", _("Oui")), ("non", _("Non"))]


class AccompanimentForm(forms.Form):
    """Phone-first: every field has a sensible default, so a typical record is 4 taps and a submit."""

    token = client_token_field()

    type = forms.ChoiceField(label=_("Type"), choices=AccompanimentType.choices, initial=AccompanimentType.INDIVIDUEL,
                             widget=forms.RadioSelect)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": _("Indiquez la date."),
                                           "invalid": _("Cette date n'est pas valide (jj/mm/aaaa).")})
    duree = forms.ChoiceField(label=_("Durée"), initial="30", widget=forms.RadioSelect,
                              choices=[(str(m), _("%(n)s min") % {"n": m}) for m in DURATION_PRESETS]
                              + [("autre", _("Autre durée"))])
    duree_autre = forms.IntegerField(label=_("Autre durée, en minutes"), required=False, min_value=1,
                                     max_value=24 * 60,
                                     error_messages={"invalid": _("Écrivez un nombre de minutes."),
                                                     "min_value": _("La durée va de 1 minute à 24 heures."),
                                                     "max_value": _("La durée va de 1 minute à 24 heures.")})
    type_lieu = forms.ChoiceField(label=_("Lieu"), choices=TypeLieu.choices, initial=TypeLieu.LIEU_ACTIVITE,
                                  widget=forms.RadioSelect)
    lieu_commune = forms.CharField(label=_("Commune du lieu (code INSEE)"), required=False, max_length=5,
                                   help_text=_("Seulement si ce n'est pas votre lieu d'activité. Ex. : 49007 "
                                               "pour Angers."))
    materiel = forms.MultipleChoiceField(label=_("Matériel utilisé"), choices=Materiel.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    thematiques = forms.MultipleChoiceField(label=_("Thématiques"), choices=THEME_CHOICES,
                                            widget=forms.CheckboxSelectMultiple,
                                            error_messages={"required": _("Choisissez au moins une thématique.")})
    autonomie = forms.ChoiceField(label=_("Autonomie (individuel)"), required=False, widget=forms.RadioSelect,
                                  choices=[("", _("Non renseigné")), *Autonomie.choices])
    structure_de_redirection = forms.ChoiceField(
        label=_("Orientation vers une structure (individuel)"), required=False,
        choices=[("", _("Pas d'orientation")), *StructureDeRedirection.choices])
    titre_atelier = forms.CharField(label=_("Titre de l'atelier (collectif)"), required=False, max_length=200)
    niveau_atelier = forms.ChoiceField(label=_("Niveau de l'atelier (collectif)"), required=False,
                                       choices=[("", _("—")), *WorkshopLevel.choices])
    accompagnements = forms.IntegerField(label=_("Nombre de participants (collectif)"), initial=1, min_value=1,
                                         max_value=500, required=False,
                                         error_messages={"invalid": _("Écrivez un nombre de participants."),
                                                         "min_value": _("Le nombre de participants va de 1 à 500."),
                                                         "max_value": _("Le nombre de participants va de 1 à 500.")})
    learner = LearnerChoice(label=_("Personne inscrite (facultatif)"), queryset=None, required=False,
                            empty_label=_("Personne anonyme"),
                            error_messages={"invalid_choice": _("Cette personne n'est pas suivie ici.")})
    beneficiaire_genre = forms.ChoiceField(label=_("Genre"), choices=Genre.choices, initial=Genre.NON_COMMUNIQUE,
                                           widget=forms.RadioSelect)
    beneficiaire_tranche_age = forms.ChoiceField(label=_("Tranche d'âge"), choices=TrancheAge.choices,
                                                 initial=TrancheAge.NON_COMMUNIQUE)
    beneficiaire_statut_social = forms.ChoiceField(label=_("Statut"), choices=StatutSocial.choices,
                                                   initial=StatutSocial.NON_COMMUNIQUE)
    beneficiaire_commune = forms.CharField(label=_("Commune de résidence (code INSEE, facultatif)"), required=False,
                                           max_length=5)
    premier_accompagnement = forms.ChoiceField(label=_("Premier accompagnement ?"), choices=YES_NO_UNKNOWN,
                                               required=False, widget=forms.RadioSelect, initial="")

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = scope.organisation
        self.fields["learner"].queryset = learners_of(scope=scope)
        self.fields["date"].initial = timezone.localdate()
        self.fields["lieu_commune"].initial = ""

    @property
    def digital_themes(self):
        return [t for t in self["thematiques"] if t.data["value"] in DIGITAL_THEMES]

    @property
    def admin_themes(self):
        return [t for t in self["thematiques"] if t.data["value"] in ADMINISTRATIVE_THEMES]

    @property
    def admin_themes_checked(self) -> bool:
        return any(v in ADMINISTRATIVE_THEMES for v in (self["thematiques"].value() or []))

    @property
    def beneficiary_open(self) -> bool:
        return any(self[n].errors for n in ("beneficiaire_genre", "beneficiaire_tranche_age",
                                            "beneficiaire_statut_social", "beneficiaire_commune"))

    def _commune(self, name: str) -> Commune | None:
        code = (self.cleaned_data.get(name) or "").strip().upper()
        if not code:
            return None
        commune = Commune.objects.filter(pk=code).first()
        if commune is None:
            self.add_error(name, _("Ce code INSEE ne correspond à aucune commune (ex. : 49007 pour Angers)."))
        return commune

    def clean(self):
        data = super().clean()
        if data.get("duree") == "autre":
            if data.get("duree_autre") is None and "duree_autre" not in self.errors:
                self.add_error("duree_autre", _("Indiquez la durée en minutes."))
        data["lieu_commune_obj"] = self._commune("lieu_commune")
        data["beneficiaire_commune_obj"] = self._commune("beneficiaire_commune")
        # The service's rules too, so that every problem shows at once (the service checks them again).
        for name, messages in accompaniment_errors(organisation=self.organisation, data=self.to_input()).items():
            if name == "duree" and "duree_autre" in self.errors:
                continue
            if name in self.fields and name not in self.errors:
                self.add_error(name, messages)
        return data

    def to_input(self) -> AccompanimentInput:
        d = self.cleaned_data
        if d.get("duree") == "autre":
            duree = d.get("duree_autre") or 0
        else:
            duree = int(d.get("duree") or 0)
        collective = d.get("type") == AccompanimentType.COLLECTIF
        return AccompanimentInput(
            type=d.get("type", ""), date=d.get("date") or timezone.localdate(), duree=duree,
            type_lieu=d.get("type_lieu", ""), thematiques=d.get("thematiques") or [], materiel=d.get("materiel") or [],
            lieu_commune=d.get("lieu_commune_obj"), autonomie=d.get("autonomie", ""),
            structure_de_redirection=d.get("structure_de_redirection", ""),
            oriente_vers_structure=True if d.get("structure_de_redirection") else None,
            titre_atelier=d.get("titre_atelier", ""), niveau_atelier=d.get("niveau_atelier", ""),
            accompagnements=(d.get("accompagnements") or 1) if collective else 1,
            learner=d.get("learner"), beneficiaire_genre=d.get("beneficiaire_genre", Genre.NON_COMMUNIQUE),
            beneficiaire_tranche_age=d.get("beneficiaire_tranche_age", TrancheAge.NON_COMMUNIQUE),
            beneficiaire_statut_social=d.get("beneficiaire_statut_social", StatutSocial.NON_COMMUNIQUE),
            beneficiaire_commune=d.get("beneficiaire_commune_obj"),
            premier_accompagnement={"oui": True, "non": False}.get(d.get("premier_accompagnement", "")))


def theme_label(value: str) -> str:
    return str(THEME_LABELS.get(value, value))


class ReferralForm(forms.Form):
    """A partner sends a person to a structure, from a phone, in under a minute."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    organisation = forms.ChoiceField(label=_("Structure qui va aider la personne"),
                                     error_messages={"required": _("Choisissez une structure."),
                                                     "invalid_choice": _("Choisissez une structure de la liste.")})
    first_name = forms.CharField(label=_("Prénom de la personne"), max_length=100,
                                 error_messages={"required": _("Écrivez le prénom de la personne.")})
    phone = forms.CharField(label=_("Son téléphone (facultatif)"), max_length=30, required=False,
                            help_text=_("Sans téléphone, imprimez la fiche et donnez-la à la personne."),
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    themes = forms.MultipleChoiceField(label=_("De quoi a-t-elle besoin ?"), choices=THEME_CHOICES,
                                       widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": _("Cochez au moins un besoin.")})
    urgency = forms.ChoiceField(label=_("Est-ce urgent ?"), choices=ReferralUrgency.choices,
                                initial=ReferralUrgency.NORMAL, widget=forms.RadioSelect)
    diagnostic_note = forms.CharField(label=_("Résultat d'un positionnement (facultatif)"), max_length=200,
                                      required=False)
    consent = forms.BooleanField(label=_("La personne est d'accord : la structure peut la contacter, et je "
                                         "saurai si elle est venue."),
                                 error_messages={"required": _("La personne doit être d'accord.")})

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("— choisir —"))] + [
            (str(o.pk), f"{o.name} ({o.commune.name})") for o in targets]


class RedirectForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Envoyer vers"),
                                     error_messages={"invalid_choice": _("Choisissez une structure de la liste.")})

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), f"{o.name} ({o.commune.name})") for o in targets]
