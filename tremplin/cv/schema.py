"""The content of a CV, stored as JSON and validated with pydantic.

Limits keep the CV on one A4 page and keep out what a CV must not hold: very long texts,
emoji, invisible control characters. Messages are French: they are shown to the learner."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

MAX_EXPERIENCES = 5
MAX_TRAININGS = 4
MAX_SKILLS = 10
MAX_LANGUAGES = 5
MAX_INTERESTS = 6

_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\U0001F1E6-\U0001F1FF\uFE0F\u200D]")


def _clean(value: str) -> str:
    value = unicodedata.normalize("NFC", value)
    if _EMOJI.search(value):
        raise ValueError("Enlevez les émojis : un CV reste sobre.")
    value = "".join(ch for ch in value if ch in "\n" or unicodedata.category(ch)[0] != "C")
    return re.sub(r"[ \t]+", " ", value).strip()


def _text(max_length: int):
    return Annotated[str, Field(max_length=max_length), AfterValidator(_clean)]


Short = _text(80)
Item = _text(50)  # one skill, language or interest: a few words
Line = _text(120)
Long = _text(300)

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 .-]{7,18}[0-9]$")


class Part(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Contact(Part):
    first_name: Short = ""
    last_name: Short = ""
    phone: _text(25) = ""
    email: _text(120) = ""
    town: Short = ""

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if value and not PHONE_RE.match(value):
            raise ValueError("Écrivez le numéro avec des chiffres, par exemple 06 12 34 56 78.")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.lower()
        if value and not EMAIL_RE.match(value):
            raise ValueError("Cette adresse e-mail n'est pas complète. Exemple : prenom.nom@exemple.fr")
        return value


class Experience(Part):
    job: Line
    employer: Line = ""
    dates: Short = ""
    description: Long = ""

    @field_validator("job")
    @classmethod
    def _job(cls, value: str) -> str:
        if not value:
            raise ValueError("Écrivez le poste ou la mission.")
        return value


class Training(Part):
    title: Line
    school: Line = ""
    year: Short = ""

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        if not value:
            raise ValueError("Écrivez le nom de la formation ou de la classe.")
        return value


class CVData(Part):
    contact: Contact = Contact()
    target_job: Line = ""
    experiences: Annotated[list[Experience], Field(max_length=MAX_EXPERIENCES)] = []
    trainings: Annotated[list[Training], Field(max_length=MAX_TRAININGS)] = []
    driving_licence: Short = ""
    skills: Annotated[list[Item], Field(max_length=MAX_SKILLS)] = []
    languages: Annotated[list[Item], Field(max_length=MAX_LANGUAGES)] = []
    interests: Annotated[list[Item], Field(max_length=MAX_INTERESTS)] = []


FIELD_LABELS = {
    "first_name": "Prénom", "last_name": "Nom", "phone": "Téléphone", "email": "Adresse e-mail", "town": "Ville",
    "target_job": "Métier visé", "job": "Poste", "employer": "Entreprise ou lieu", "dates": "Dates",
    "description": "Ce que vous avez fait", "title": "Formation", "school": "École ou organisme", "year": "Année",
    "driving_licence": "Permis", "skills": "Compétences", "languages": "Langues", "interests": "Loisirs",
    "experiences": "Expériences", "trainings": "Formations",
}


def french_errors(exc: ValidationError) -> dict[str, str]:
    """One French message per field name (the last part of the location that is a field)."""
    out: dict[str, str] = {}
    for err in exc.errors():
        names = [str(p) for p in err["loc"] if isinstance(p, str)]
        name = names[-1] if names else "__all__"
        label = FIELD_LABELS.get(name, name)
        kind = err["type"]
        if kind == "string_too_long":
            message = f"« {label} » est trop long : {err['ctx']['max_length']} caractères au maximum."
        elif kind == "too_long":
            message = f"« {label} » : {err['ctx']['max_length']} éléments au maximum. Gardez les plus utiles."
        elif kind == "value_error":
            message = str(err["msg"]).removeprefix("Value error, ")
        else:
            message = f"« {label} » n'est pas valable."
        out.setdefault(name, message)
    return out
