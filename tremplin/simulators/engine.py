"""The simulator engine: pure functions over a validated SimulatorFile.

Given a screen and what the learner submitted, decide the errors to show (with the simulated
site's own wording), the next screen, and — in guided and practice modes — which field or button
the hint points at. No database, no request: the views keep the state (see views_simulators.py).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .schema import MAX_FIELD_LENGTH, Action, FieldDef, Screen, SimulatorFile

HINT_ACTION = "__hint"
PASS_MARK = 0.7
ERROR_COST = 0.1
HINT_COST = 0.15
SLOW_COST_MAX = 0.2

Value = str | list[str]

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
# A French social security number: 13 digits (15 with the key), first digit 1, 2, 7 or 8.
_NIR = re.compile(r"^[1278]\d{12}(\d{2})?$")


@dataclass
class Submission:
    """What happened when a screen was submitted."""

    kind: str  # "next" | "invalid" | "wrong" | "hint" | "unknown"
    values: dict[str, Value] = field(default_factory=dict)  # what to show back in the form
    accepted: dict[str, Value] = field(default_factory=dict)  # valid values, kept for the recap
    errors: dict[str, str] = field(default_factory=dict)
    action: Action | None = None
    next_screen: str | None = None
    message: str = ""  # the site's message for a wrong action
    feedback: str = ""  # shown on the next screen

    @property
    def counts_as_error(self) -> bool:
        return self.kind in ("invalid", "wrong")


@dataclass(frozen=True)
class Target:
    """Where the hint points: a field (by name) or an action (by slug)."""

    kind: str  # "field" | "action"
    name: str
    hint: str


# --- reading and normalising --------------------------------------------------------------------

def clean(raw: str) -> str:
    """Strip control characters and surrounding spaces; cap the length so nothing huge is kept."""
    return _CONTROL.sub("", raw or "").strip()[: MAX_FIELD_LENGTH * 2]


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    no_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", no_accents).strip().casefold()


def _compact(value: str) -> str:
    return re.sub(r"[\s\u00a0\u202f.\-/]+", "", value)


def parse_number(value: str) -> Decimal | None:
    text = _SPACES.sub("", value).replace("€", "").replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d{1,2})?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex already guards it
        return None


def parse_date(value: str) -> dt.date | None:
    text = value.strip()
    match = re.fullmatch(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})", text) or re.fullmatch(r"(\d{2})(\d{2})(\d{4})", text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
        if match:
            return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
    return None


def comparable(f: FieldDef, value: str) -> object:
    """The form in which two values of this field are equal for the scenario."""
    if f.kind == "number":
        return parse_number(value)
    if f.kind == "date":
        return parse_date(value)
    if f.kind == "code":
        return _compact(value).casefold()
    if f.kind in ("password", "upload", "choice", "checkbox"):
        return value
    if f.kind == "email":
        return value.strip().casefold()
    return _fold(value)


def read_values(screen: Screen, data) -> dict[str, Value]:
    """Take this screen's fields out of the posted data (a QueryDict or a dict)."""
    values: dict[str, Value] = {}
    for f in screen.fields:
        if f.kind == "choice" and f.multiple:
            getlist = getattr(data, "getlist", None)
            raw_list = getlist(f.name) if getlist else data.get(f.name, [])
            if isinstance(raw_list, str):
                raw_list = [raw_list]
            allowed = {c.value for c in f.choices}
            values[f.name] = sorted({clean(v) for v in raw_list if clean(v) in allowed})
        elif f.kind == "checkbox":
            values[f.name] = "oui" if data.get(f.name) else "non"
        else:
            values[f.name] = clean(str(data.get(f.name, "") or ""))
    return values


# --- checking one field ---------------------------------------------------------------------------

def looks_like_own_data(f: FieldDef, value: str) -> bool:
    """A real-looking social security number that is not the persona's: never kept, never echoed."""
    if f.kind not in ("text", "code", "number"):
        return False
    digits = _compact(value)
    if not _NIR.match(digits):
        return False
    expected = _compact(str(f.expect or ""))
    return not (expected and digits.startswith(expected[:13]))


def check_field(f: FieldDef, value: Value, values: dict[str, Value], persona: str) -> str | None:
    """The simulated site's error message for this value, or None when it is accepted."""
    if isinstance(value, list):  # several boxes
        if f.required and not value:
            return f.error_required or _("Cochez au moins une case.")
        if f.expect is not None and sorted(value) != sorted(f.expect):
            return f.error_expected or _("Ce n'est pas ce que demande la consigne. Relisez la situation de %(name)s.") % {
                "name": persona}
        return None
    if f.kind == "checkbox":
        if f.required and value != "oui":
            return f.error_required or _("Vous devez cocher cette case pour continuer.")
        if f.expect is not None and value != f.expect:
            return f.error_expected or _("Relisez la consigne : faut-il cocher cette case ?")
        return None
    if not value:
        if not f.required:
            return None
        if f.kind == "choice":
            return f.error_required or _("Veuillez choisir une réponse.")
        if f.kind == "upload":
            return f.error_required or _("Aucun fichier sélectionné. Choisissez un fichier.")
        return f.error_required or _("Ce champ est obligatoire.")
    if len(value) > f.max_length:
        return _("Ce champ est trop long : %(n)s caractères au maximum.") % {"n": f.max_length}
    if looks_like_own_data(f, value):
        return _("Attention : ici, on s'entraîne. Écrivez le numéro de %(name)s, qui est dans ses papiers. "
                 "Ne tapez jamais vos vrais numéros sur un site d'entraînement.") % {"name": persona}
    if f.kind == "choice":
        if value not in {c.value for c in f.choices}:
            return f.error_required or _("Veuillez choisir une réponse.")
    elif f.kind == "upload":
        extension = value.rsplit(".", 1)[-1].lower() if "." in value else ""
        if extension not in f.accept:
            return f.error_invalid or _("Ce format de fichier n'est pas accepté. Formats acceptés : %(formats)s.") % {
                "formats": ", ".join(a.upper() for a in f.accept)}
    elif f.kind == "number":
        number = parse_number(value)
        if number is None:
            return f.error_invalid or _("Écrivez seulement un nombre, sans lettre. Par exemple : 1250.")
        if (f.minimum is not None and number < Decimal(str(f.minimum))) or (
                f.maximum is not None and number > Decimal(str(f.maximum))):
            return f.error_invalid or _("Ce nombre n'est pas possible ici.")
    elif f.kind == "date":
        if parse_date(value) is None:
            return f.error_invalid or _("Écrivez la date sous la forme JJ/MM/AAAA, par exemple 05/09/1990.")
    elif f.kind == "email":
        if not _EMAIL.match(value):
            return f.error_invalid or _("L'adresse e-mail n'est pas valide. Exemple : prenom.nom@exemple.fr")
    if len(value) < f.min_length:
        return f.error_min_length or _("C'est trop court : %(n)s caractères au minimum.") % {"n": f.min_length}
    if f.pattern:
        subject = _compact(value) if f.kind == "code" else value
        if not re.fullmatch(f.pattern, subject):
            return f.error_invalid or _("Ce que vous avez écrit n'a pas le bon format.")
    for rejected in f.reject:
        if comparable(f, value) == comparable(f, rejected.value):
            return rejected.message
    if f.same_as is not None and values.get(f.same_as) != value:
        return f.error_same or _("Les 2 mots de passe ne sont pas identiques.")
    if f.expect is not None and comparable(f, value) != comparable(f, str(f.expect)):
        return f.error_expected or _("Ce n'est pas ce qui est écrit dans les papiers de %(name)s. "
                                     "Regardez-les encore.") % {"name": persona}
    return None


# --- a whole screen -------------------------------------------------------------------------------

def screen_by_slug(sim: SimulatorFile, slug: str) -> Screen | None:
    return next((s for s in sim.screens if s.slug == slug), None)


def main_action(screen: Screen) -> Action | None:
    """The button of the right path: the first one that is not a mistake."""
    return next((a for a in screen.actions if not a.wrong), None)


def submit(sim: SimulatorFile, screen: Screen, data, action_slug: str) -> Submission:
    values = read_values(screen, data)
    shown = {k: ("" if isinstance(v, str) and looks_like_own_data(_field(screen, k), v) else v)
             for k, v in values.items()}
    if action_slug == HINT_ACTION:
        return Submission("hint", values=shown)
    action = next((a for a in screen.actions if a.slug == action_slug), None)
    if action is None and not action_slug and screen.fields:
        action = main_action(screen)  # Enter pressed in a field without a button name
    if action is None:
        return Submission("unknown", values=shown)
    if action.wrong:
        return Submission("wrong", values=shown, action=action, message=action.wrong)
    errors: dict[str, str] = {}
    if action.validate_fields:
        for f in screen.fields:
            problem = check_field(f, values[f.name], values, sim.persona.name)
            if problem:
                errors[f.name] = problem
    if errors:
        # Passwords are never shown back, like on real sites.
        shown = {k: ("" if _field(screen, k).kind == "password" else v) for k, v in shown.items()}
        return Submission("invalid", values=shown, errors=errors, action=action)
    accepted = {k: v for k, v in values.items()}
    next_slug = action.next
    for branch in action.branches:
        if values.get(branch.field) == branch.equals:
            next_slug = branch.next
            break
    return Submission("next", values=shown, accepted=accepted, action=action, next_screen=next_slug,
                      feedback=action.feedback)


def _field(screen: Screen, name: str) -> FieldDef:
    return next(f for f in screen.fields if f.name == name)


def guide_target(screen: Screen, values: dict[str, Value] | None = None,
                 errors: dict[str, str] | None = None) -> Target | None:
    """The next thing to do on this screen: the first field in error or still empty, else the button."""
    values = values or {}
    errors = errors or {}
    for f in screen.fields:
        value = values.get(f.name, "")
        if f.name in errors or (not value and (f.required or f.expect)) or (f.kind == "checkbox" and value != "oui"
                                                                            and f.required):
            return Target("field", f.name, f.hint)
    action = main_action(screen)
    if action is None:
        return None
    return Target("action", action.slug, action.hint)


def hint_target(sim: SimulatorFile, screen: Screen, values: dict[str, Value] | None = None,
                errors: dict[str, str] | None = None) -> Target | None:
    """Where a hint should point: pre-filled values count, and a value already typed but wrong
    is pointed at before an empty field further down (errors are found, not shown or counted)."""
    values = {f.name: f.initial for f in screen.fields if f.initial} | (values or {})
    found = dict(errors or {})
    for f in screen.fields:
        value = values.get(f.name, "")
        if f.name not in found and value not in ("", [], "non"):
            problem = check_field(f, value, values, sim.persona.name)
            if problem:
                found[f.name] = problem
    return guide_target(screen, values, found)


def compute_score(*, errors: int, hints: int, duration_s: float, expected_minutes: int) -> float:
    """Check mode's score, 0..1: each error and hint costs, and so does being much slower than expected."""
    score = 1 - ERROR_COST * errors - HINT_COST * hints
    limit = expected_minutes * 60
    if duration_s > limit:
        score -= min(SLOW_COST_MAX, SLOW_COST_MAX * (duration_s - limit) / limit)
    return round(max(0.0, min(1.0, score)), 2)
