"""The shape of the diagnostic's content files (framework + item bank), validated with pydantic.

No Django here: ``python -m tremplin.diagnostic.content_files`` validates the files on their own,
and the simulation test reads the real bank without a database.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tremplin.catalog.schema import Slug, Text

COMPETENCES: tuple[str, ...] = (
    "utiliser-un-appareil", "naviguer-et-chercher", "email-et-messages", "comptes-et-mots-de-passe",
    "formulaires-et-demarches", "documents-et-photos", "securite-et-arnaques", "emploi-en-ligne",
)
LevelName = Literal["debutant", "initie", "autonome", "confirme"]
ItemKind = Literal["single", "multiple", "order", "tap", "text"]
Image = Annotated[str, Field(pattern=r"^[a-z0-9-]+\.svg$")]
CompetenceId = Annotated[str, Field(pattern=r"^[1-5]\.[1-6]$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class LevelText(Strict):
    can_do: Annotated[list[Text], Field(min_length=1, max_length=3)]


class Levels(Strict):
    debutant: LevelText
    initie: LevelText
    autonome: LevelText
    confirme: LevelText


class Competence(Strict):
    slug: Slug
    title: Text
    summary: Text
    crcn: Annotated[list[CompetenceId], Field(min_length=1)]
    digcomp: Annotated[list[CompetenceId], Field(min_length=1)]
    levels: Levels

    @model_validator(mode="after")
    def _known_slug(self) -> Competence:
        if self.slug not in COMPETENCES:
            raise ValueError(f"compétence inconnue « {self.slug} » (attendu : {', '.join(COMPETENCES)})")
        return self


class ProfileChoice(Strict):
    value: Slug
    text: Text


class ProfileQuestion(Strict):
    slug: Slug
    prompt: Text
    multiple: bool = False
    choices: Annotated[list[ProfileChoice], Field(min_length=2, max_length=6)]


class Framework(Strict):
    competences: Annotated[list[Competence], Field(min_length=8, max_length=8)]
    profile_questions: Annotated[list[ProfileQuestion], Field(min_length=2, max_length=5)]
    paper_form: Annotated[list[Slug], Field(min_length=8, max_length=40)]

    @model_validator(mode="after")
    def _all_competences_once(self) -> Framework:
        slugs = [c.slug for c in self.competences]
        if sorted(slugs) != sorted(COMPETENCES):
            raise ValueError("les 8 compétences doivent être présentes, chacune une fois")
        if len(set(self.paper_form)) != len(self.paper_form):
            raise ValueError("paper_form : une question est listée deux fois")
        return self


class Choice(Strict):
    text: Text
    correct: bool = False


class Item(Strict):
    """One diagnostic question, shown alone on its screen.

    ``single`` and ``tap``: exactly one right choice (for ``tap`` the choices are the numbered
    zones drawn on the picture). ``multiple``: at least one. ``order``: choices written in the
    right order. ``text``: the learner types; ``answers`` lists what is accepted (compared
    without case, spaces, dots or dashes; an e-mail or web address is compared exactly, case and
    surrounding spaces aside: see ``scoring.text_matches``).
    """

    slug: Slug
    level: LevelName
    kind: ItemKind
    prompt: Text
    image: Image | None = None
    image_alt: str | None = None
    choices: Annotated[list[Choice], Field(max_length=6)] = []
    field_label: str | None = None
    answers: list[Text] = []

    @model_validator(mode="after")
    def _consistent(self) -> Item:
        n_correct = sum(c.correct for c in self.choices)
        if self.image and not (self.image_alt or "").strip():
            raise ValueError("image_alt est obligatoire quand image est renseignée")
        if self.kind == "text":
            if self.choices or not self.answers or not self.field_label:
                raise ValueError("une question text a answers et field_label, et pas de choices")
            return self
        if self.answers:
            raise ValueError("answers ne sert qu'aux questions text")
        if len(self.choices) < 2:
            raise ValueError("il faut au moins 2 choix")
        if self.kind in ("single", "tap") and n_correct != 1:
            raise ValueError(f"une question {self.kind} doit avoir exactement 1 bonne réponse (ici {n_correct})")
        if self.kind == "multiple" and n_correct < 1:
            raise ValueError("une question multiple doit avoir au moins 1 bonne réponse")
        if self.kind == "order" and n_correct:
            raise ValueError("une question order n'utilise pas correct : écrivez les choix dans le bon ordre")
        if self.kind == "tap" and not self.image:
            raise ValueError("une question tap a besoin d'une image (l'écran avec les zones numérotées)")
        texts = [c.text.casefold() for c in self.choices]
        if len(set(texts)) != len(texts):
            raise ValueError("deux choix ont le même texte")
        return self


class ItemFile(Strict):
    competence: Slug
    items: Annotated[list[Item], Field(min_length=10)]

    @model_validator(mode="after")
    def _spread(self) -> ItemFile:
        for level in ("debutant", "initie", "autonome", "confirme"):
            if sum(i.level == level for i in self.items) < 2:
                raise ValueError(f"il faut au moins 2 questions de niveau {level}")
        return self
