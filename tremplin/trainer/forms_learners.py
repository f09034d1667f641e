"""Forms of the enrolment and organisation screens (trainer side) and of the workshop sign-up page."""

import datetime as dt
import re

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from tremplin.organisations import imports
from tremplin.organisations.enums import MembershipRole, OrganisationType
from tremplin.organisations.selectors import commune_lookup

from .forms_coaching import client_token_field

NUMERIC = {"inputmode": "numeric"}


class EnrolForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=100,
                                 widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}))
    last_name = forms.CharField(label=_("Nom (facultatif)"), max_length=100, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    birth_year = forms.IntegerField(label=_("Année de naissance (facultatif)"), required=False,
                                    help_text=_("4 chiffres, par exemple 1975. Sert à repérer les doublons."),
                                    widget=forms.TextInput(attrs={**NUMERIC, "maxlength": 4}),
                                    error_messages={"invalid": _("Écrivez l'année avec 4 chiffres, par exemple 1975.")})
    phone = forms.CharField(label=_("Téléphone de contact (facultatif)"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    email = forms.EmailField(label=_("E-mail de contact (facultatif)"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    confirm_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)
    token = client_token_field()

    def clean_first_name(self) -> str:
        value = self.cleaned_data["first_name"].strip()
        if not value:
            raise forms.ValidationError(_("Écrivez le prénom."))
        return value

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year is not None and not 1900 <= year <= dt.date.today().year:
            raise forms.ValidationError(_("Cette année de naissance n'est pas possible."))
        return year


class EnrolExistingForm(forms.Form):
    """A person who already has a code (they learnt alone, or with another structure) joins this structure."""

    code = forms.CharField(label=_("Son code personnel"), max_length=20,
                           help_text=_("Il est écrit sur sa carte. Exemple : K7M-4PX"),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false"}))
    pin = forms.CharField(label=_("Son code secret (4 chiffres), tapé par la personne"), max_length=4, min_length=4,
                          widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                          error_messages={"min_length": _("Le code secret a 4 chiffres."),
                                          "max_length": _("Le code secret a 4 chiffres.")})
    consent = forms.BooleanField(
        label=_("La personne est d'accord : notre structure pourra voir ce qu'elle a déjà fait et la suivre."),
        error_messages={"required": _("Cochez la case : la personne doit être d'accord.")})

    def clean_code(self) -> str:
        from tremplin.accounts.codes import normalise_code

        return normalise_code(self.cleaned_data["code"].replace("\x00", ""))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier CSV ou Excel (.xlsx)"),
                           help_text=_("Une ligne par personne. Première ligne : les noms des colonnes "
                                       "(Prénom, Nom, Année de naissance, Téléphone, E-mail). Seul le prénom "
                                       "est obligatoire."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}))
    # Stated on the import screen; the caps themselves live in tremplin.organisations.imports.
    limits = {"mb": imports.MAX_BYTES // (1024 * 1024), "rows": f"{imports.MAX_ROWS:,}".replace(",", "\u00a0"),
              "columns": imports.MAX_COLUMNS}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Checked before anything reads the file; past settings.FILE_UPLOAD_MAX_SIZE it was never even stored.
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(
                _("Ce fichier est trop gros (%(size)s Mo) : %(max)s Mo au plus. Gardez seulement les colonnes "
                  "utiles, ou coupez la liste en plusieurs fichiers.")
                % {"size": f"{upload.size / (1024 * 1024):.1f}".replace(".", ","), "max": self.limits["mb"]})
        return upload


class ReprintForm(forms.Form):
    learners = forms.MultipleChoiceField(label=_("Apprenants"), widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": _("Choisissez au moins une personne.")})
    confirm = forms.BooleanField(label=_("Je comprends : ces personnes recevront un nouveau code secret et "
                                         "leur ancienne carte ne marchera plus."),
                                 error_messages={"required": _("Cochez la case pour confirmer.")})

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learners"].choices = choices


class ShareForm(forms.Form):
    organisation = forms.UUIDField(widget=forms.HiddenInput)
    consent = forms.BooleanField(label=_("La personne est d'accord pour que cette structure voie son parcours."),
                                 error_messages={"required": _("Sans l'accord de la personne, le partage est "
                                                               "impossible.")})


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Nom de la structure"), max_length=200)
    type = forms.ChoiceField(label=_("Type de structure"), choices=OrganisationType.choices)
    siret = forms.CharField(label=_("SIRET (facultatif)"), required=False, max_length=20,
                            help_text=_("14 chiffres."), widget=forms.TextInput(attrs=NUMERIC))
    address = forms.CharField(label=_("Adresse (facultatif)"), required=False, max_length=255)
    commune = forms.CharField(label=_("Commune"), max_length=160,
                              help_text=_("Code INSEE (49007) ou code postal et nom (49000 Angers)."))

    def clean_name(self) -> str:
        """One line: a line break would break every e-mail subject that names the structure."""
        value = " ".join(self.cleaned_data["name"].split())
        if not value:
            raise forms.ValidationError(_("Écrivez le nom de la structure."))
        return value

    def clean_siret(self) -> str:
        siret = re.sub(r"\s", "", self.cleaned_data["siret"])
        if siret and not re.fullmatch(r"\d{14}", siret):
            raise forms.ValidationError(_("Le SIRET a exactement 14 chiffres."))
        return siret

    def clean_commune(self):
        text = self.cleaned_data["commune"]
        found = commune_lookup(text=text)
        if not found:
            raise forms.ValidationError(_("Aucune commune ne correspond. Essayez le code INSEE, ou le code postal "
                                          "suivi du nom."))
        if len(found) > 1:
            options = ", ".join(f"{c.name} ({c.code})" for c in found[:6])
            raise forms.ValidationError(_("Plusieurs communes correspondent : %(options)s. Écrivez le code INSEE.")
                                        % {"options": options})
        return found[0]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne"))
    role = forms.ChoiceField(label=_("Rôle"), choices=MembershipRole.choices, initial=MembershipRole.TRAINER)


class MemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=MembershipRole.choices)


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100, required=False)
    password = forms.CharField(label=_("Mot de passe"), strip=False,
                               help_text=_("12 caractères au moins. Une phrase facile à retenir convient bien."),
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Mot de passe, encore une fois"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password and data.get("password2") != password:
            self.add_error("password2", _("Les deux mots de passe ne sont pas les mêmes."))
        elif password:
            if len(password) < 12:
                self.add_error("password", _("Le mot de passe doit avoir 12 caractères au moins."))
            else:
                try:
                    validate_password(password)
                except forms.ValidationError as exc:
                    self.add_error("password", exc)
        return data


class SignupLinkForm(forms.Form):
    label = forms.CharField(label=_("Nom de l'atelier (facultatif)"), max_length=120, required=False)
    hours = forms.TypedChoiceField(label=_("Le lien marche pendant"), coerce=int, initial=24,
                                   choices=[(2, _("2 heures")), (24, _("1 jour")), (24 * 7, _("1 semaine"))])


class SelfSignupForm(forms.Form):
    first_name = forms.CharField(label=_("Votre prénom"), max_length=100,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
                                 error_messages={"required": _("Écrivez votre prénom.")})

    def clean_first_name(self) -> str:
        value = self.cleaned_data["first_name"].strip()
        if not value:
            raise forms.ValidationError(_("Écrivez votre prénom."))
        return value
