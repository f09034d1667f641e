"""Forms of the network screens. Choices come from the scoped selectors passed in by the view."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.organisations.enums import NetworkRole, OrganisationType, TerritoryKind
from tremplin.organisations.selectors import commune_lookup

PERIOD_KINDS = [("month", _("Mois")), ("quarter", _("Trimestre")), ("year", _("Année")), ("all", _("Depuis le début"))]


class TerritoryForm(forms.Form):
    name = forms.CharField(label=_("Nom du territoire"), max_length=200)
    kind = forms.ChoiceField(label=_("Type de territoire"), choices=TerritoryKind.choices, widget=forms.RadioSelect)
    region = forms.ModelChoiceField(label=_("Région (pour un territoire régional)"), queryset=None, required=False,
                                    empty_label=_("Choisir une région"), to_field_name="code")
    departments = forms.ModelMultipleChoiceField(
        label=_("Départements (un pour un département, deux ou plus pour un hub)"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple, to_field_name="code")

    def __init__(self, *args, regions, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["departments"].queryset = departments
        self.fields["departments"].label_from_instance = lambda d: f"{d.name} ({d.code})"
        self.fields["departments"].error_messages["invalid_choice"] = _("Ce département n'existe pas.")
        self.fields["departments"].error_messages["invalid_pk_value"] = _("Ce département n'existe pas.")
        self.fields["region"].error_messages["invalid_choice"] = _("Cette région n'existe pas.")

    def clean_name(self) -> str:
        value = " ".join(self.cleaned_data["name"].split())
        if not value or "\x00" in value:
            raise forms.ValidationError(_("Écrivez le nom du territoire."))
        return value


class NetworkInviteForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne"), max_length=254)
    role = forms.ChoiceField(label=_("Rôle"), choices=[(NetworkRole.COORDINATOR, NetworkRole.COORDINATOR.label),
                                                        (NetworkRole.FUNDER, NetworkRole.FUNDER.label)])
    territory = forms.ModelChoiceField(label=_("Territoire"), queryset=None, empty_label=_("Choisir un territoire"))

    def __init__(self, *args, territories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories
        self.fields["territory"].error_messages["invalid_choice"] = _("Ce territoire n'existe pas.")


class StructureForm(forms.Form):
    name = forms.CharField(label=_("Nom de la structure"), max_length=200)
    type = forms.ChoiceField(label=_("Type de structure"), choices=OrganisationType.choices)
    commune = forms.CharField(label=_("Commune"), max_length=160,
                              help_text=_("Code INSEE (49007) ou code postal et nom (49000 Angers)."))
    admin_email = forms.EmailField(label=_("Adresse e-mail de la personne qui la dirige"), max_length=254,
                                   help_text=_("Elle reçoit une invitation pour créer son compte de responsable."))

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope

    def clean_name(self) -> str:
        value = " ".join(self.cleaned_data["name"].split())
        if not value or "\x00" in value:
            raise forms.ValidationError(_("Écrivez le nom de la structure."))
        return value

    def clean_commune(self):
        text = self.cleaned_data["commune"]
        found = commune_lookup(text=text) if "\x00" not in text else []
        if not found:
            raise forms.ValidationError(_("Aucune commune ne correspond. Essayez le code INSEE, ou le code postal "
                                          "suivi du nom."))
        if len(found) > 1:
            options = ", ".join(f"{c.name} ({c.code})" for c in found[:6])
            raise forms.ValidationError(_("Plusieurs communes correspondent : %(options)s. Écrivez le code INSEE.")
                                        % {"options": options})
        if not self.scope.covers_department(found[0].department_id):
            raise forms.ValidationError(_("Cette commune n'est pas dans votre territoire."))
        return found[0]
