"""Advice on a CV: an unprofessional e-mail address, missing essentials. Pure functions."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .schema import CVData

# Words that make an address look unserious (« bogoss93 », « princesse-du-69 »…). Short or common
# words only count as a whole part of the address, so « isabelle.fournier » is not « belle » + « fou ».
NICKNAME_PARTS = frozenset((
    "bg", "boss", "prince", "love", "bebe", "bb", "chaton", "ange", "cool", "puce", "star", "bad", "boy", "girl",
    "miss", "mimi", "doudou", "mignon", "mignonne", "ptite", "ptit", "beau", "belle", "zizou", "crazy", "fou",
    "folle", "lol", "xx", "xxx", "dark", "king", "queen", "babe", "baby", "kiss", "coeur", "tigre", "lionne",
    "loulou", "diable", "thug",
))
NICKNAME_FRAGMENTS = (
    "bogoss", "beaugosse", "princesse", "kikou", "gangster", "ninja", "killer", "choupi", "warrior",
    "diablesse", "darkness", "sexy", "lover", "gamer", "bebou", "lovely",
)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _ascii(text)).strip("-")


@dataclass(frozen=True)
class Advice:
    code: str
    message: str
    section: str


def email_problems(email: str, *, first_name: str = "", last_name: str = "") -> list[str]:
    """Why an address looks unprofessional, in plain French; empty if it looks fine."""
    if "@" not in email:
        return []
    local = _ascii(email.split("@", 1)[0])
    parts = [p for p in re.split(r"[._\-+]+", local) if p]
    problems = []
    if re.search(r"\d{2,}", local):
        problems.append(_("Elle contient des chiffres, comme une année ou un département."))
    bare = [re.sub(r"\d+", "", p) for p in parts]
    if set(bare) & NICKNAME_PARTS or any(f in local for f in NICKNAME_FRAGMENTS):
        problems.append(_("Elle contient un surnom ou un mot familier."))
    names = [n for n in (_slug(first_name), _slug(last_name)) if n]
    compact = local.replace(".", "").replace("-", "").replace("_", "")
    if names and not any(n.replace("-", "") in compact for n in names):
        problems.append(_("Elle ne contient ni votre prénom ni votre nom."))
    return problems


def email_suggestion(*, first_name: str, last_name: str, email: str = "") -> str:
    first, last = _slug(first_name), _slug(last_name)
    if not (first and last):
        return ""
    domain = email.split("@", 1)[1] if "@" in email else "exemple.fr"
    return f"{first}.{last}@{domain}"


def cv_advice(data: CVData) -> list[Advice]:
    """What is missing or should be changed, in the order of the sections."""
    c = data.contact
    out: list[Advice] = []
    if not (c.first_name and c.last_name):
        out.append(Advice("name", _("Écrivez votre prénom et votre nom."), "contact"))
    if not c.phone:
        out.append(Advice("phone", _("Ajoutez votre numéro de téléphone : l'employeur doit pouvoir vous appeler."),
                          "contact"))
    if not c.email:
        out.append(Advice("email", _("Ajoutez votre adresse e-mail."), "contact"))
    elif email_problems(c.email, first_name=c.first_name, last_name=c.last_name):
        suggestion = email_suggestion(first_name=c.first_name, last_name=c.last_name, email=c.email)
        message = _("Votre adresse e-mail ne fait pas sérieux pour un employeur.")
        if suggestion:
            message += " " + _("Créez une adresse avec prénom.nom, par exemple %(s)s.") % {"s": suggestion}
        out.append(Advice("email_unprofessional", message, "contact"))
    if not data.target_job:
        out.append(Advice("target_job", _("Écrivez le métier que vous cherchez."), "metier"))
    if not (data.experiences or data.trainings):
        out.append(Advice("experience", _("Ajoutez au moins une expérience ou une formation."), "experiences"))
    if not data.skills:
        out.append(Advice("skills", _("Ajoutez au moins une compétence."), "competences"))
    return out
