from django import forms
from django.utils.translation import gettext_lazy as _

from .codes import normalise_code


class LearnerLoginForm(forms.Form):
    code = forms.CharField(
        label=_("Votre code personnel"),
        help_text=_("Il est écrit sur votre carte. Exemple : K7M-4PX"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "characters",
                                      "spellcheck": "false"}),
    )
    pin = forms.CharField(
        label=_("Votre code secret (4 chiffres)"),
        max_length=4,
        min_length=4,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "current-password",
                                          "pattern": "[0-9]{4}"}),
        error_messages={"min_length": _("Le code secret a 4 chiffres."),
                        "max_length": _("Le code secret a 4 chiffres.")},
    )

    remember = forms.BooleanField(
        label=_("Rester connecté sur ce téléphone"),
        help_text=_("Décochez sur un ordinateur partagé, par exemple à la médiathèque."),
        required=False,
        initial=True,
    )

    def refuse(self, message: str) -> None:
        """A wrong code or PIN: said once above the form, and both boxes marked and pointed to it (which of the
        two is wrong is not told, on purpose)."""
        self.add_error(None, message)
        for name in ("code", "pin"):
            field = self.fields[name]
            described = ["login-error"] + ([f"id_{name}_helptext"] if field.help_text else [])
            field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(described)})

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if len(code) < 4:
            raise forms.ValidationError(_("Ce code est trop court. Recopiez le code de votre carte."))
        return code

    def clean_pin(self) -> str:
        pin = self.cleaned_data["pin"].strip()
        if not pin.isdigit():
            raise forms.ValidationError(_("Le code secret contient seulement des chiffres."))
        return pin


class StaffLoginForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label=_("Mot de passe"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    remember = forms.BooleanField(
        label=_("Rester connecté sur cet ordinateur"),
        help_text=_("Décochez sur un ordinateur partagé (médiathèque, salle de formation) : vous serez "
                    "déconnecté en fermant le navigateur."),
        required=False,
        initial=True,
    )
