"""« Une structure est un lieu »: the organisation's admin edits its public profile in the places standard."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tremplin.organisations.opening_hours import parse as parse_hours
from tremplin.organisations.places import choices, in_france, normalise_phone
from tremplin.organisations.services_places import PROFILE_LIST_FIELDS, organisation_place_save, profile_initial

from .decorators import trainer_required

PHONE_PATTERN = r"^\+(33|590|594|262|596|269|687|689|508|681)\d{6,9}$"


def _choices_field(name: str, label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=choices(name), required=False,
                                     widget=forms.CheckboxSelectMultiple)


class PlaceForm(forms.Form):
    """The profile in the standard's words (its labels are the values; see docs/areas/places.md)."""

    nom = forms.CharField(label=gettext_lazy("Nom du lieu"), max_length=255)
    adresse = forms.CharField(label=gettext_lazy("Adresse (numéro et rue)"), max_length=255)
    complement_adresse = forms.CharField(label=gettext_lazy("Complément d'adresse"), max_length=255,
                                         required=False)
    code_postal = forms.RegexField(label=gettext_lazy("Code postal"), regex=r"^\d{5}$", max_length=5,
                                   error_messages={"invalid": gettext_lazy("Le code postal a 5 chiffres.")})
    telephone = forms.CharField(label=gettext_lazy("Téléphone du public"), max_length=20, required=False,
                                help_text=gettext_lazy("Par exemple : 02 41 12 34 56."))
    courriels = forms.EmailField(label=gettext_lazy("E-mail du public"), required=False)
    site_web = forms.URLField(label=gettext_lazy("Site web"), required=False, assume_scheme="https")
    horaires = forms.CharField(
        label=gettext_lazy("Horaires d'ouverture"), required=False, max_length=500,
        help_text=gettext_lazy("Jours en anglais abrégés, heures de 00:00 à 24:00. Par exemple : "
                               "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"))
    services = _choices_field("services", gettext_lazy("Services proposés"))
    publics_specifiquement_adresses = _choices_field("publics_specifiquement_adresses",
                                                     gettext_lazy("Publics accueillis en particulier"))
    prise_en_charge_specifique = _choices_field("prise_en_charge_specifique",
                                                gettext_lazy("Accueil adapté (handicaps, langues)"))
    frais_a_charge = _choices_field("frais_a_charge", gettext_lazy("Prix pour la personne"))
    modalites_acces = _choices_field("modalites_acces", gettext_lazy("Comment venir"))
    modalites_accompagnement = _choices_field("modalites_accompagnement", gettext_lazy("Façons d'accompagner"))
    presentation_resume = forms.CharField(label=gettext_lazy("Présentation en quelques mots"), max_length=280,
                                          required=False, widget=forms.Textarea(attrs={"rows": 3}))
    latitude = forms.FloatField(label=gettext_lazy("Latitude"), required=False,
                                help_text=gettext_lazy("Pour la recherche par distance. Par exemple : 47.4698"))
    longitude = forms.FloatField(label=gettext_lazy("Longitude"), required=False,
                                 help_text=gettext_lazy("Par exemple : -0.5548"))

    def clean_telephone(self):
        phone = normalise_phone(self.cleaned_data["telephone"])
        if phone and not forms.RegexField(regex=PHONE_PATTERN).regex.match(phone):
            raise forms.ValidationError(_("Écrivez un numéro français à 10 chiffres, par exemple 02 41 12 34 56."))
        return phone

    def clean_horaires(self):
        hours = self.cleaned_data["horaires"].strip()
        if hours and parse_hours(hours) is None:
            raise forms.ValidationError(_("Ces horaires ne sont pas compris. Écrivez par exemple : "
                                          "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"))
        return hours

    def clean(self):
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lon is None):
            self.add_error("longitude" if lon is None else "latitude",
                           _("Donnez la latitude et la longitude, ou aucune des deux."))
        elif lat is not None and not in_france(lat, lon):
            self.add_error("latitude", _("Ces coordonnées ne sont pas en France."))
        return data


@trainer_required(admin=True)
@require_http_methods(["GET", "POST"])
def organisation_place(request, scope):
    org = scope.organisation
    form = PlaceForm(request.POST or None, initial=profile_initial(organisation=org))
    if request.method == "POST" and form.is_valid():
        organisation_place_save(organisation=org, actor=request.user, values=form.cleaned_data)
        messages.success(request, _("La fiche publique de la structure est enregistrée."))
        return redirect("trainer:organisation")
    return render(request, "trainer/organisation/place.html", {
        "org": org, "form": form, "list_fields": PROFILE_LIST_FIELDS}, status=400 if form.errors else 200)
