"""« Mon CV »: a guided CV builder, one section per screen, plain forms (no JavaScript needed).

Every save re-renders the server-side preview; the CV stays editable; the PDF is one A4 page."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.cv.checks import cv_advice, email_problems, email_suggestion
from tremplin.cv.schema import CVData
from tremplin.cv.selectors import cv_data, cv_of
from tremplin.cv.services import CVInvalid, cv_draft, cv_item_add, cv_item_remove, cv_update
from tremplin.lib.pdf import html_document, pdf_response, write_pdf

from . import forms_cv
from .decorators import learner_required


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    form: type
    list_name: str = ""  # experiences / trainings: items added one by one

    def initial(self, data: CVData) -> dict:
        if self.slug == "contact":
            return data.contact.model_dump()
        if self.slug == "metier":
            return {"target_job": data.target_job}
        if self.slug == "competences":
            return {"skills": "\n".join(data.skills)}
        if self.slug == "langues":
            return {"languages": "\n".join(data.languages), "driving_licence": data.driving_licence}
        if self.slug == "loisirs":
            return {"interests": "\n".join(data.interests)}
        return {}

    def values(self, cleaned: dict) -> dict:
        if self.slug == "contact":
            return {"contact": cleaned}
        if self.slug == "metier":
            return {"target_job": cleaned["target_job"]}
        if self.slug == "competences":
            return {"skills": forms_cv.lines(cleaned["skills"])}
        if self.slug == "langues":
            return {"languages": forms_cv.lines(cleaned["languages"]), "driving_licence": cleaned["driving_licence"]}
        return {"interests": forms_cv.lines(cleaned["interests"])}

    def is_filled(self, data: CVData) -> bool:
        return {
            "contact": bool(data.contact.first_name and (data.contact.phone or data.contact.email)),
            "metier": bool(data.target_job), "experiences": bool(data.experiences),
            "formations": bool(data.trainings), "competences": bool(data.skills),
            "langues": bool(data.languages or data.driving_licence), "loisirs": bool(data.interests),
        }[self.slug]


SECTIONS = [
    Section("contact", gettext_lazy("Vos coordonnées"), forms_cv.ContactForm),
    Section("metier", gettext_lazy("Le métier que vous cherchez"), forms_cv.TargetJobForm),
    Section("experiences", gettext_lazy("Vos expériences"), forms_cv.ExperienceForm, "experiences"),
    Section("formations", gettext_lazy("Votre formation"), forms_cv.TrainingForm, "trainings"),
    Section("competences", gettext_lazy("Vos compétences"), forms_cv.SkillsForm),
    Section("langues", gettext_lazy("Langues et permis"), forms_cv.LanguagesForm),
    Section("loisirs", gettext_lazy("Vos loisirs"), forms_cv.InterestsForm),
]
BY_SLUG = {s.slug: s for s in SECTIONS}


def _section_or_404(slug: str) -> tuple[int, Section]:
    if slug not in BY_SLUG:
        raise Http404("partie inconnue")
    section = BY_SLUG[slug]
    return SECTIONS.index(section), section


def _email_check(data: CVData) -> dict:
    c = data.contact
    problems = email_problems(c.email, first_name=c.first_name, last_name=c.last_name) if c.email else []
    return {"email_problems": problems,
            "email_suggestion": email_suggestion(first_name=c.first_name, last_name=c.last_name, email=c.email)
            if problems else ""}


@learner_required
@require_GET
def cv_home(request: HttpRequest) -> HttpResponse:
    cv = cv_of(learner=request.user)
    data = cv_data(cv)
    return render(request, "learner/cv/home.html", {
        "cv": cv, "data": data, "advice": cv_advice(data) if cv else [],
        "sections": [{"section": s, "number": i + 1, "filled": s.is_filled(data)} for i, s in enumerate(SECTIONS)],
    })


def _render_section(request, index, section, data, *, form=None, status=200):
    next_section = SECTIONS[index + 1] if index + 1 < len(SECTIONS) else None
    return render(request, f"learner/cv/section_{section.slug}.html", {
        "section": section, "number": index + 1, "total": len(SECTIONS),
        "previous": SECTIONS[index - 1] if index else None, "next": next_section,
        "form": form or section.form(initial=section.initial(data)), "data": data,
        "advice": [a for a in cv_advice(data) if a.section == section.slug and a.code != "email_unprofessional"],
        **_email_check(data),
    }, status=status)


def _apply_errors(form, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        form.add_error(name if name in form.fields else None, message)


@learner_required
@require_http_methods(["GET", "POST"])
def cv_section(request: HttpRequest, section_slug: str) -> HttpResponse:
    index, section = _section_or_404(section_slug)
    data = cv_data(cv_of(learner=request.user))
    if request.method == "GET":
        return _render_section(request, index, section, data)

    if section.list_name:
        return _list_post(request, index, section, data)
    form = section.form(request.POST)
    if not form.is_valid():  # a field the form itself refuses (a NUL byte, too long): say so, save nothing
        return _render_section(request, index, section, data, form=form, status=400)
    try:
        cv = cv_update(learner=request.user, values=section.values(form.cleaned_data))
    except CVInvalid as exc:
        _apply_errors(form, exc.errors)
        return _render_section(request, index, section, data, form=form, status=400)
    messages.success(request, _("C'est enregistré."))
    saved = cv_data(cv)
    if section.slug == "contact" and _email_check(saved)["email_problems"]:
        return redirect("learner:cv_section", section_slug="contact")  # show the advice before moving on
    if index + 1 < len(SECTIONS):
        return redirect("learner:cv_section", section_slug=SECTIONS[index + 1].slug)
    return redirect("learner:cv_preview")


def _list_post(request, index, section, data):
    action = request.POST.get("action")
    if action == "remove":
        try:
            position = int(request.POST.get("index", ""))
        except ValueError:
            messages.error(request, _("Cet élément n'existe pas. Rien n'a été supprimé."))
            return _render_section(request, index, section, data, status=400)
        cv_item_remove(learner=request.user, section=section.list_name, index=position)
        messages.success(request, _("C'est supprimé."))
        return redirect("learner:cv_section", section_slug=section.slug)
    form = section.form(request.POST)
    if not form.is_valid():
        return _render_section(request, index, section, data, form=form, status=400)
    try:
        cv_item_add(learner=request.user, section=section.list_name, item=dict(form.cleaned_data))
    except CVInvalid as exc:
        _apply_errors(form, exc.errors)
        return _render_section(request, index, section, data, form=form, status=400)
    messages.success(request, _("C'est ajouté. Vous pouvez en ajouter un autre ou continuer."))
    return redirect("learner:cv_section", section_slug=section.slug)


@learner_required
@require_POST
def cv_live_preview(request: HttpRequest, section_slug: str) -> HttpResponse:
    """The preview as it would look with what is being typed; nothing is saved. Used by cv-preview.js."""
    _index, section = _section_or_404(section_slug)
    data = cv_data(cv_of(learner=request.user))
    form = section.form(request.POST)
    if not form.is_valid():
        return render(request, "learner/cv/_cv.html", {"data": data})  # keep showing the saved CV
    try:
        if section.list_name:
            draft = cv_draft(data=data, add_to=section.list_name, item=dict(form.cleaned_data))
        else:
            draft = cv_draft(data=data, values=section.values(form.cleaned_data))
    except CVInvalid:
        draft = data  # half-typed or too long: keep showing the saved CV
    return render(request, "learner/cv/_cv.html", {"data": draft})


@learner_required
@require_GET
def cv_preview(request: HttpRequest) -> HttpResponse:
    cv = cv_of(learner=request.user)
    if cv is None:
        return redirect("learner:cv_section", section_slug="contact")
    data = cv_data(cv)
    return render(request, "learner/cv/preview.html", {"cv": cv, "data": data, "advice": cv_advice(data)})


@learner_required
@require_GET
def cv_pdf(request: HttpRequest) -> HttpResponse:
    cv = cv_of(learner=request.user)
    if cv is None:
        return redirect("learner:cv_section", section_slug="contact")
    data = cv_data(cv)
    name = "-".join(p for p in (data.contact.first_name, data.contact.last_name) if p) or "mon-cv"
    return pdf_response(cv_pdf_bytes(data), f"CV-{slugify(name)}.pdf", inline=False)


# Type sizes (pt) and gaps (mm), from comfortable to compact: the first that fits on one page wins.
SIZES = [
    {"base": 10.5, "name": 22, "job": 15, "heading": 12, "gap": 4},
    {"base": 9.5, "name": 20, "job": 13, "heading": 11, "gap": 3},
    {"base": 8.5, "name": 17, "job": 12, "heading": 10, "gap": 2},
    {"base": 7.5, "name": 15, "job": 11, "heading": 9, "gap": 1.5},
]


def cv_pdf_bytes(data: CVData) -> bytes:
    """A one-page A4 PDF: a long CV is set in smaller type rather than spilling onto a 2nd page.
    Through tremplin.lib.pdf: nothing fetched but our static files, and a tagged PDF."""
    for size in SIZES:
        document = html_document(render_to_string("learner/cv/cv_pdf.html", {"data": data, "size": size})).render()
        if len(document.pages) == 1:
            break
    return write_pdf(document.copy(document.pages[:1]))
