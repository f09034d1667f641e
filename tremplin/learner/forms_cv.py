"""Forms of the CV builder. They only collect and label the fields: the rules (lengths, e-mail,
phone, emoji…) live in ``tremplin.cv.schema`` and come back as French messages per field."""

from django import forms
from django.utils.translation import gettext_lazy as _


def _text(label, help_text="", **attrs):
    return forms.CharField(label=label, help_text=help_text, required=False, strip=True,
                           widget=forms.TextInput(attrs=attrs))


def _lines(label, help_text):
    return forms.CharField(label=label, help_text=help_text, required=False, strip=True,
                           widget=forms.Textarea(attrs={"rows": 5}))


class ContactForm(forms.Form):
    first_name = _text(_("Prénom"), autocomplete="given-name")
    last_name = _text(_("Nom"), autocomplete="family-name")
    phone = forms.CharField(label=_("Téléphone"), help_text=_("Par exemple : 06 12 34 56 78"), required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
    email = forms.CharField(label=_("Adresse e-mail"), help_text=_("Une adresse sérieuse : prénom.nom@…"),
                            required=False, widget=forms.TextInput(attrs={
                                "type": "email", "autocomplete": "email", "inputmode": "email"}))
    town = _text(_("Ville"), autocomplete="address-level2")


class TargetJobForm(forms.Form):
    target_job = _text(_("Le métier que vous cherchez"), _("Par exemple : Apprenti boulanger"))


class ExperienceForm(forms.Form):
    job = _text(_("Poste ou mission"), _("Par exemple : Bénévole, vendeur, stage en cuisine"))
    employer = _text(_("Entreprise ou lieu"), _("Par exemple : Restos du cœur, Lyon"))
    dates = _text(_("Dates"), _("Par exemple : juin 2026 – août 2026"))
    description = forms.CharField(label=_("Ce que vous avez fait"), help_text=_("2 ou 3 tâches, en quelques mots."),
                                  required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TrainingForm(forms.Form):
    title = _text(_("Formation ou classe"), _("Par exemple : Classe de 3e, CAP boulanger"))
    school = _text(_("École ou organisme"), _("Par exemple : Collège Jean Moulin, Lyon"))
    year = _text(_("Année"), _("Par exemple : 2023"), inputmode="numeric")


class SkillsForm(forms.Form):
    skills = _lines(_("Vos compétences"), _("Une compétence par ligne. Par exemple : Travail en équipe"))


class LanguagesForm(forms.Form):
    languages = _lines(_("Vos langues"), _("Une langue par ligne, avec votre niveau. Par exemple : Arabe – courant"))
    driving_licence = _text(_("Permis de conduire"), _("Par exemple : Permis B. Laissez vide si vous n'en avez pas."))


class InterestsForm(forms.Form):
    interests = _lines(_("Vos loisirs"), _("Un loisir par ligne. Par exemple : Football en club"))


def lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]
