"""The shape of curriculum files, validated with pydantic.

This module has no Django dependency so that authors can validate content
with ``python -m tremplin.catalog.validate`` before Django is even set up.
Every error is reported with the file and the field path it concerns.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG_RE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG_RE, min_length=2, max_length=80)]
Text = Annotated[str, Field(min_length=1)]


class CoopTheme(StrEnum):
    """The 30 themes of La Coop de la médiation numérique (see STANDARDS.md)."""

    diagnostic_numerique = "diagnostic_numerique"
    prendre_en_main_du_materiel = "prendre_en_main_du_materiel"
    maintenance_de_materiel = "maintenance_de_materiel"
    gere_ses_contenus_numeriques = "gere_ses_contenus_numeriques"
    navigation_sur_internet = "navigation_sur_internet"
    email = "email"
    bureautique = "bureautique"
    reseaux_sociaux = "reseaux_sociaux"
    sante = "sante"
    banque_et_achats_en_ligne = "banque_et_achats_en_ligne"
    entrepreneuriat = "entrepreneuriat"
    insertion_professionnelle = "insertion_professionnelle"
    securite_numerique = "securite_numerique"
    parentalite = "parentalite"
    scolarite_et_numerique = "scolarite_et_numerique"
    creer_avec_le_numerique = "creer_avec_le_numerique"
    culture_numerique = "culture_numerique"
    intelligence_artificielle = "intelligence_artificielle"
    aide_aux_demarches_administratives = "aide_aux_demarches_administratives"
    papiers_elections_citoyennete = "papiers_elections_citoyennete"
    famille_scolarite = "famille_scolarite"
    social_sante = "social_sante"
    travail_formation = "travail_formation"
    logement = "logement"
    transports_mobilite = "transports_mobilite"
    argent_impots = "argent_impots"
    justice = "justice"
    etrangers_europe = "etrangers_europe"
    loisirs_sports_culture = "loisirs_sports_culture"
    associations = "associations"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Source(Strict):
    title: Text
    url: Annotated[str, Field(pattern=r"^https://")]
    # Service-Public fiche id (F2882, N19803, R1234) when the module teaches a real procedure.
    service_public_id: Annotated[str, Field(pattern=r"^[FNR]\d{2,6}$")] | None = None


class ExplanationStep(Strict):
    kind: Literal["explanation"]
    slug: Slug
    title: Text
    body: Text  # Markdown
    image: Annotated[str, Field(pattern=r"^[a-z0-9-]+\.svg$")] | None = None
    image_alt: str | None = None

    @model_validator(mode="after")
    def _image_needs_alt(self) -> ExplanationStep:
        if self.image and not (self.image_alt or "").strip():
            raise ValueError("image_alt est obligatoire quand image est renseignée")
        return self


class RecapStep(Strict):
    kind: Literal["recap"]
    slug: Slug
    title: Text = "À retenir"
    body: Text  # Markdown, usually a short list


Step = Annotated[ExplanationStep | RecapStep, Field(discriminator="kind")]


class Choice(Strict):
    text: Text
    correct: bool = False
    image: Annotated[str, Field(pattern=r"^[a-z0-9-]+\.svg$")] | None = None
    image_alt: str | None = None

    @model_validator(mode="after")
    def _image_needs_alt(self) -> Choice:
        if self.image and not (self.image_alt or "").strip():
            raise ValueError("image_alt est obligatoire quand image est renseignée")
        return self


class Question(Strict):
    """One quiz question, shown on its own screen.

    ``single`` and ``picture``: exactly one correct choice. ``multiple``: at least one.
    ``order``: the choices are written in the right order; ``correct`` is not used.
    """

    kind: Literal["single", "multiple", "picture", "order"]
    slug: Slug
    prompt: Text
    choices: Annotated[list[Choice], Field(min_length=2, max_length=6)]
    explanation: Text

    @model_validator(mode="after")
    def _answers_are_consistent(self) -> Question:
        n_correct = sum(c.correct for c in self.choices)
        if self.kind in ("single", "picture") and n_correct != 1:
            raise ValueError(f"une question {self.kind} doit avoir exactement 1 bonne réponse (ici {n_correct})")
        if self.kind == "multiple" and n_correct < 1:
            raise ValueError("une question multiple doit avoir au moins 1 bonne réponse")
        if self.kind == "order" and n_correct:
            raise ValueError("une question order n'utilise pas correct : écrivez les choix dans le bon ordre")
        if self.kind == "picture" and not all(c.image for c in self.choices):
            raise ValueError("une question picture doit avoir une image pour chaque choix")
        texts = [c.text.casefold() for c in self.choices]
        if len(set(texts)) != len(texts):
            raise ValueError("deux choix ont le même texte")
        return self


class PlanItem(Strict):
    minutes: Annotated[int, Field(ge=1, le=90)]
    activity: Text


class TrainerQA(Strict):
    question: Text
    answer: Text


class TrainerGuide(Strict):
    duration_minutes: Annotated[int, Field(ge=45, le=90)]
    materials: Annotated[list[Text], Field(min_length=1)]
    plan: Annotated[list[PlanItem], Field(min_length=2)]
    difficulties: Annotated[list[Text], Field(min_length=1)]
    questions: Annotated[list[TrainerQA], Field(min_length=1)]


class ModuleFile(Strict):
    slug: Slug
    title: Text
    summary: Text
    duration_minutes: Annotated[int, Field(ge=2, le=90)]
    level: Literal["debutant", "intermediaire", "avance"] = "debutant"
    themes: Annotated[list[CoopTheme], Field(min_length=1)]
    competences: list[Slug] = []
    objectives: Annotated[list[Text], Field(min_length=2, max_length=4)]
    sources: Annotated[list[Source], Field(min_length=1)]
    checked_on: dt.date
    simulators: list[Slug] = []
    steps: Annotated[list[Step], Field(min_length=1)]
    quiz: list[Question] = []
    trainer_guide: TrainerGuide | None = None
    # Linter rules this module may break on purpose, by id (``cliquer`` in the mouse module).
    lint_allow: list[Slug] = []

    @model_validator(mode="after")
    def _slugs_are_unique(self) -> ModuleFile:
        seen: set[str] = set()
        for item in [*self.steps, *self.quiz]:
            if item.slug in seen:
                raise ValueError(f"le slug d'étape « {item.slug} » est utilisé deux fois")
            seen.add(item.slug)
        return self


class TrackFile(Strict):
    slug: Slug
    title: Text
    summary: Text
    journey: Literal["demarches", "emploi"]
    order: int = 0
    modules: Annotated[list[Slug], Field(min_length=1)]

    @field_validator("modules")
    @classmethod
    def _modules_unique(cls, value: list[str]) -> list[str]:
        dupes = sorted({m for m in value if value.count(m) > 1})
        if dupes:
            raise ValueError(f"module listé deux fois : {', '.join(dupes)}")
        return value
