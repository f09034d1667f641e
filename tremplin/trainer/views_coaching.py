"""Groups, workshops and attendance, assignments (issue 6, point 3)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.coaching import selectors, services
from tremplin.coaching.enums import THEME_LABELS
from tremplin.organisations.access import found_or_404
from tremplin.organisations.selectors import learners_among

from .decorators import trainer_required
from .forms_coaching import AssignmentForm, AttendanceForm, GroupForm, WorkshopForm


def apply_errors(form, exc: ValidationError) -> None:
    """Show a service's French messages on the form's fields (or on top when no field matches)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- groups -----------------------------------------------------------------------------------------

@trainer_required
@require_GET
def group_list(request: HttpRequest, scope) -> HttpResponse:
    return render(request, "trainer/coaching/groups.html", {
        "groups": selectors.groups_of(scope=scope)})


# The learner picker of the group and assignment forms: one page of a search, never the whole structure. Without
# JavaScript, « Chercher » and the page buttons send the form back to itself: nothing is saved, what was typed and
# the learners already ticked come back (the ticked ones first, then the page).
PICKER_PAGE = 50


def _searching(request: HttpRequest) -> bool:
    return request.method == "POST" and (request.POST.get("action") == "search" or "page" in request.POST)


def _kept(request: HttpRequest, *names: str) -> dict:
    """What was typed in the form, shown again after a search (unchecked: nothing is saved)."""
    return {n: request.POST.get(n, "").replace("\x00", "")[:200] for n in names if request.POST.get(n)}


def _picker(request: HttpRequest, scope, *, exclude=()):
    source = request.POST if request.method == "POST" else request.GET
    query = source.get("q", "").replace("\x00", "").strip()[:100]
    page = Paginator(selectors.learners_matching(scope=scope, query=query, exclude=exclude),
                     PICKER_PAGE).get_page(source.get("page"))
    return {"query": query, "page": page, "page_size": PICKER_PAGE}


def _group_page(request: HttpRequest, scope, form, chosen, *, status=200, **extra) -> HttpResponse:
    return render(request, "trainer/coaching/group_form.html", {
        "form": form, "chosen": chosen, **_picker(request, scope, exclude=[u.pk for u in chosen]), **extra},
        status=status)


def _posted_members(request: HttpRequest, scope) -> list:
    return learners_among(scope=scope, learner_ids=request.POST.getlist("members"))


@trainer_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest, scope) -> HttpResponse:
    if _searching(request):
        form = GroupForm(scope=scope, initial=_kept(request, "name", "token"))
        return _group_page(request, scope, form, _posted_members(request, scope))
    form = GroupForm(request.POST or None, scope=scope)
    if request.method == "POST":
        if form.is_valid():
            try:
                group = services.group_create(organisation=scope.organisation, name=form.cleaned_data["name"],
                                              members=list(form.cleaned_data["members"]), created_by=request.user,
                                              client_token=form.cleaned_data["token"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Le groupe « %(name)s » est créé.") % {"name": group.name})
                return redirect("trainer:group_detail", group_id=group.pk)
        return _group_page(request, scope, form, _posted_members(request, scope), status=400)
    return _group_page(request, scope, form, [])


@trainer_required
@require_http_methods(["GET", "POST"])
def group_detail(request: HttpRequest, group_id, scope) -> HttpResponse:
    group = found_or_404(selectors.group_of(scope=scope, group_id=group_id))
    extra = {"group": group, "assignments": selectors.assignments_of(scope=scope).filter(group=group),
             "workshops": selectors.workshops_of(scope=scope).filter(group=group)}
    if _searching(request):
        form = GroupForm(scope=scope, initial=_kept(request, "name"))
        return _group_page(request, scope, form, _posted_members(request, scope), **extra)
    form = GroupForm(request.POST or None, scope=scope, initial={"name": group.name})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.group_update(group=group, name=form.cleaned_data["name"],
                                      members=list(form.cleaned_data["members"]))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Le groupe est enregistré."))
                return redirect("trainer:group_detail", group_id=group.pk)
        return _group_page(request, scope, form, _posted_members(request, scope), status=400, **extra)
    members = list(group.members.order_by("first_name", "last_name", "username"))
    return _group_page(request, scope, form, members, **extra)


# --- workshops ----------------------------------------------------------------------------------------

@trainer_required
@require_GET
def workshop_list(request: HttpRequest, scope) -> HttpResponse:
    today = timezone.localdate()
    workshops = selectors.workshops_of(scope=scope)
    return render(request, "trainer/coaching/workshops.html", {
        "upcoming": workshops.filter(date__gte=today),
        "past": workshops.filter(date__lt=today, date__gte=today - timedelta(days=60)).order_by("-date",
                                                                                                 "-start_time"),
        "today": today, "theme_labels": THEME_LABELS})


@trainer_required
@require_http_methods(["GET", "POST"])
def workshop_create(request: HttpRequest, scope) -> HttpResponse:
    initial = {}
    if group := selectors.group_of(scope=scope, group_id=request.GET.get("groupe")):
        initial["group"] = group
    form = WorkshopForm(request.POST or None, scope=scope, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            token = data.pop("token")
            try:
                workshop = services.workshop_create(organisation=scope.organisation, created_by=request.user,
                                                    client_token=token, **data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("L'atelier est programmé."))
                return redirect("trainer:workshop_detail", workshop_id=workshop.pk)
        return render(request, "trainer/coaching/workshop_form.html", {"form": form}, status=400)
    return render(request, "trainer/coaching/workshop_form.html", {"form": form})


@trainer_required
@require_GET
def workshop_detail(request: HttpRequest, workshop_id, scope) -> HttpResponse:
    workshop = found_or_404(selectors.workshop_of(scope=scope, workshop_id=workshop_id))
    people, present = selectors.attendance_sheet(scope=scope, workshop=workshop)
    return render(request, "trainer/coaching/workshop_detail.html", {
        "workshop": workshop, "theme_label": THEME_LABELS.get(workshop.theme, workshop.theme),
        "present_people": [p for p in people if p.pk in present]})


@trainer_required
@require_http_methods(["GET", "POST"])
def workshop_attendance(request: HttpRequest, workshop_id, scope) -> HttpResponse:
    workshop = found_or_404(selectors.workshop_of(scope=scope, workshop_id=workshop_id))
    people, present = selectors.attendance_sheet(scope=scope, workshop=workshop)
    form = AttendanceForm(request.POST or None, scope=scope)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            n = services.attendance_record(workshop=workshop, present=list(form.cleaned_data["present"]),
                                           recorded_by=request.user)
            messages.success(request, _("Présences enregistrées : %(n)s personne(s).") % {"n": n})
            return redirect("trainer:workshop_detail", workshop_id=workshop.pk)
        status = 400
    # Walk-ins: the structure's other learners, a bounded list narrowed by a search (never the whole structure).
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    others = list(selectors.learners_matching(scope=scope, query=query,
                                              exclude=[p.pk for p in people])[:OTHERS_SHOWN + 1])
    return render(request, "trainer/coaching/attendance.html", {
        "workshop": workshop, "form": form, "people": people, "others": others[:OTHERS_SHOWN],
        "more_others": len(others) > OTHERS_SHOWN, "query": query,
        "present": {str(pk) for pk in present}}, status=status)


OTHERS_SHOWN = 40


# --- assignments ------------------------------------------------------------------------------------

@trainer_required
@require_GET
def assignment_list(request: HttpRequest, scope) -> HttpResponse:
    page = Paginator(selectors.assignments_of(scope=scope).order_by("due_date", "-created_at", "pk"),
                     ASSIGNMENTS_PAGE).get_page(request.GET.get("page"))
    return render(request, "trainer/coaching/assignments.html", {
        "page": page, "assignments": page.object_list, "today": timezone.localdate()})


ASSIGNMENTS_PAGE = 50


def _assignment_page(request: HttpRequest, scope, *, data=None, initial=None, status=200):
    picker = _picker(request, scope)
    form = AssignmentForm(data, scope=scope, initial=initial, learners=picker["page"].object_list)
    return form, {"form": form, **picker}, status


@trainer_required
@require_http_methods(["GET", "POST"])
def assignment_create(request: HttpRequest, scope) -> HttpResponse:
    template = "trainer/coaching/assignment_form.html"
    if _searching(request):
        _form, context, _status = _assignment_page(request, scope,
                                                   initial=_kept(request, "content", "target", "due_date", "token"))
        return render(request, template, context)
    initial = {}
    if request.GET.get("pour"):
        initial["target"] = request.GET["pour"]
    form, context, _status = _assignment_page(request, scope, data=request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.assignment_create(organisation=scope.organisation, created_by=request.user,
                                           client_token=form.cleaned_data["token"], **form.cleaned_objects())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("C'est donné. Les personnes le verront sur « Mes parcours »."))
                return redirect("trainer:assignment_list")
        return render(request, template, context, status=400)
    return render(request, template, context)


@trainer_required
@require_POST
def assignment_delete(request: HttpRequest, assignment_id, scope) -> HttpResponse:
    assignment = found_or_404(selectors.assignment_of(scope=scope, assignment_id=assignment_id))
    services.assignment_delete(assignment=assignment, actor=request.user)
    messages.success(request, _("Ce travail n'est plus demandé."))
    return redirect("trainer:assignment_list")
