"""The shape of a simulator file (``content/simulators/fr/<slug>.yaml``), validated with pydantic.

No Django here, so authors can check files with ``python -m tremplin.simulators.validate``.
A simulator is a clearly fictional website that teaches a real procedure: a persona with
invented papers, screens, fields with the site's own error messages, branching, and a hint
for every action. See docs/areas/simulators.md.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG_RE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG_RE, min_length=2, max_length=80)]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Text = Annotated[str, Field(min_length=1)]

# Names of real public services a fictional site must not borrow (the scenario may cite them).
REAL_SITE_NAMES = ("france travail", "pôle emploi", "caf", "ameli", "assurance maladie", "impots.gouv",
                   "ants", "franceconnect", "doctolib", "gmail", "service-public", "france identité")
THEMES = Literal["bleu", "vert", "sarcelle", "orange", "violet", "rouge", "gris", "marine"]
MAX_FIELD_LENGTH = 200


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Imitates(Strict):
    """The real site and the official page a reviewer checks the simulator against."""

    name: Text
    url: Annotated[str, Field(pattern=r"^https://")]
    service_public_id: Annotated[str, Field(pattern=r"^[FNR]\d{2,6}$")] | None = None
    service_public_url: Annotated[str, Field(pattern=r"^https://")] | None = None


class Site(Strict):
    name: Text  # fictional, e.g. « Emploi Service »
    tagline: Text = "site d'entraînement"
    theme: THEMES = "bleu"
    address: Text  # shown in the pretend address bar, e.g. « emploi-service.exemple »

    @field_validator("name")
    @classmethod
    def _fictional(cls, value: str) -> str:
        lowered = value.casefold()
        for real in REAL_SITE_NAMES:
            if re.search(rf"(?<![a-z]){re.escape(real)}(?![a-z])", lowered):
                raise ValueError(f"le nom du site doit être inventé (« {real} » est un vrai service)")
        return value

    @field_validator("address")
    @classmethod
    def _address_is_not_real(cls, value: str) -> str:
        if not value.endswith(".exemple"):
            raise ValueError("l'adresse du site doit finir par « .exemple » (un site inventé)")
        return value


class Document(Strict):
    """One of the persona's papers, shown on screen. Numbers must be invented."""

    label: Text
    lines: Annotated[list[tuple[Text, Text]], Field(min_length=1)]


class PretendFile(Strict):
    """A file on the persona's pretend phone, offered by upload fields. Never a real upload."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+\.[a-z0-9]{2,4}$", max_length=60)]
    label: Text


class Persona(Strict):
    name: Text
    scenario: Text  # « Vous êtes Samia, 34 ans… »
    documents: list[Document] = []
    files: list[PretendFile] = []


class Choice(Strict):
    value: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,40}$")]
    label: Text


class Reject(Strict):
    """A value the real site refuses with its own message (« Cette adresse est déjà prise »)."""

    value: Text
    message: Text


class FieldDef(Strict):
    name: Name
    kind: Literal["text", "email", "password", "number", "date", "choice", "checkbox", "upload", "code"]
    label: Text
    help: str = ""
    hint: Text
    required: bool = True
    max_length: Annotated[int, Field(ge=1, le=MAX_FIELD_LENGTH)] = 80
    min_length: Annotated[int, Field(ge=0, le=MAX_FIELD_LENGTH)] = 0
    pattern: str | None = None  # Python regex, matched on the whole normalised value
    expect: str | list[str] | None = None  # what the scenario says to type / choose
    initial: str = ""  # pre-filled value (e.g. a pre-filled declaration)
    choices: list[Choice] = []
    multiple: bool = False  # choice: several boxes may be ticked
    accept: list[Annotated[str, Field(pattern=r"^[a-z0-9]{2,4}$")]] = []  # upload: extensions
    same_as: Name | None = None  # e.g. password confirmation
    reject: list[Reject] = []
    minimum: float | None = None
    maximum: float | None = None
    error_required: str = ""
    error_invalid: str = ""
    error_expected: str = ""
    error_min_length: str = ""
    error_same: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> FieldDef:
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern n'est pas une expression régulière valide : {exc}") from None
        if self.kind == "choice" and len(self.choices) < 2:
            raise ValueError("un champ choice a besoin d'au moins 2 choix")
        if self.kind != "choice" and (self.choices or self.multiple):
            raise ValueError("choices et multiple servent seulement aux champs choice")
        if self.kind == "choice" and self.expect is not None:
            values = {c.value for c in self.choices}
            expected = self.expect if isinstance(self.expect, list) else [self.expect]
            unknown = [e for e in expected if e not in values]
            if unknown:
                raise ValueError(f"expect cite un choix inconnu : {', '.join(unknown)}")
        if isinstance(self.expect, list) and not (self.kind == "choice" and self.multiple):
            raise ValueError("une liste dans expect sert seulement aux champs choice avec multiple")
        if self.kind == "checkbox" and self.expect not in (None, "oui", "non"):
            raise ValueError("pour une case à cocher, expect vaut « oui » ou « non »")
        if self.kind == "upload" and not self.accept:
            raise ValueError("un champ upload doit dire les formats acceptés (accept)")
        if self.kind in ("text", "email", "password", "code") and self.expect is not None and self.pattern:
            if not re.fullmatch(self.pattern, str(self.expect)):
                raise ValueError("la valeur de expect ne respecte pas pattern")
        return self


class Branch(Strict):
    field: Name
    equals: str
    next: Slug


class Action(Strict):
    """A button of the simulated site. ``wrong`` marks a mistake: the learner stays on the screen,
    sees the message, and it counts as an error."""

    slug: Slug
    label: Text
    style: Literal["primary", "secondary", "link", "identity", "danger"] = "primary"
    hint: str = ""
    next: Slug | None = None
    branches: list[Branch] = []
    wrong: str = ""
    feedback: str = ""  # shown on the next screen (e.g. why a message was a scam)
    validate_fields: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> Action:
        if not self.wrong and not self.next and not self.branches:
            raise ValueError("une action doit avoir next, branches ou wrong")
        if self.wrong and (self.next or self.branches):
            raise ValueError("une action wrong reste sur l'écran : pas de next ni de branches")
        if not self.wrong and not self.hint:
            raise ValueError("chaque action du bon chemin a besoin d'un indice (hint)")
        return self


class Message(Strict):
    """A pretend SMS or e-mail: a phone notification with a code, or a message in an inbox."""

    channel: Literal["sms", "email"]
    sender: Text
    address: str = ""  # e-mail address or phone number of the sender
    subject: str = ""
    body: Text
    link: str = ""  # shown as text only, never a real link


class Screen(Strict):
    slug: Slug
    title: Text
    body: str = ""
    facts: list[tuple[Text, Text]] = []  # read-only lines the site shows (pre-filled data…)
    notification: Message | None = None
    message: Message | None = None
    recap: list[Name] = []  # fields (of earlier screens) shown back for a final check
    fields: list[FieldDef] = []
    actions: list[Action] = []
    end: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Screen:
        if self.end and (self.fields or self.actions):
            raise ValueError("un écran de fin (end) n'a ni champ ni action")
        if not self.end and not any(not a.wrong for a in self.actions):
            raise ValueError("un écran doit avoir au moins une action qui fait avancer")
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError("deux champs ont le même nom")
        slugs = [a.slug for a in self.actions]
        if len(set(slugs)) != len(slugs):
            raise ValueError("deux actions ont le même slug")
        for action in self.actions:
            for branch in action.branches:
                if branch.field not in names:
                    raise ValueError(f"l'action {action.slug} branche sur un champ absent de l'écran : {branch.field}")
        for f in self.fields:
            if f.same_as and f.same_as not in names:
                raise ValueError(f"same_as cite un champ absent de l'écran : {f.same_as}")
        return self


class SimulatorFile(Strict):
    slug: Slug
    title: Text
    summary: Text
    imitates: Imitates
    checked_on: dt.date
    expected_minutes: Annotated[int, Field(ge=1, le=30)] = 5
    site: Site
    persona: Persona
    screens: Annotated[list[Screen], Field(min_length=2)]

    @model_validator(mode="after")
    def _has_an_end(self) -> SimulatorFile:
        slugs = [s.slug for s in self.screens]
        if len(set(slugs)) != len(slugs):
            raise ValueError("deux écrans ont le même slug")
        if not any(s.end for s in self.screens):
            raise ValueError("il faut au moins un écran de fin (end: true)")
        if self.screens[0].end:
            raise ValueError("le premier écran ne peut pas être un écran de fin")
        return self


def graph_errors(sim: SimulatorFile) -> list[tuple[str, str]]:
    """References between parts of the file, each with its field path: (field, message)."""
    errors = []
    known = {s.slug for s in sim.screens}
    fields = {f.name for s in sim.screens for f in s.fields}
    files = {f.name for f in sim.persona.files}
    for i, screen in enumerate(sim.screens):
        for j, action in enumerate(screen.actions):
            if action.next and action.next not in known:
                errors.append((f"screens.{i}.actions.{j}.next", f"écran inconnu « {action.next} »"))
            for k, branch in enumerate(action.branches):
                if branch.next not in known:
                    errors.append((f"screens.{i}.actions.{j}.branches.{k}.next", f"écran inconnu « {branch.next} »"))
        for j, name in enumerate(screen.recap):
            if name not in fields:
                errors.append((f"screens.{i}.recap.{j}", f"champ inconnu « {name} »"))
        for j, f in enumerate(screen.fields):
            if f.kind == "upload" and f.expect and f.expect not in files:
                errors.append((f"screens.{i}.fields.{j}.expect", f"le fichier « {f.expect} » n'est pas dans persona.files"))
    return errors
