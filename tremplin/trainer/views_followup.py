"""Following learners: the progress grid, its CSV export, a learner's file and notes (issue 6, point 4)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tremplin.coaching import selectors, services
from tremplin.coaching.enums import STUCK_AFTER_DAYS, STUCK_WRONG_FIRST_ANSWERS, FollowStatus
from tremplin.coaching.exports import grid_csv
from tremplin.organisations.access import access_record, found_or_404
from tremplin.organisations.selectors import learner_of

from .decorators import trainer_required
from .forms_coaching import NoteForm
from .views_coaching import apply_errors

SORT_LABELS = {"name": "Prénom", "activity": "Dernière activité", "help": "Besoin d'aide d'abord"}


def _filters(request: HttpRequest, scope):
    group = selectors.group_of(scope=scope, group_id=request.GET.get("groupe"))
    status = request.GET.get("statut", "")
    status = status if status in FollowStatus.values else ""
    sort = request.GET.get("tri", "name")
    sort = sort if sort in selectors.GRID_SORTS else "name"
    return group, status, sort


def _grid_from(request: HttpRequest, scope):
    group, status, sort = _filters(request, scope)
    grid = selectors.progress_grid(scope=scope, group=group, status=status, sort=sort,
                                   page=request.GET.get("page", "1"))
    return grid, group, status, sort


@trainer_required
@require_GET
def followup_grid(request: HttpRequest, scope) -> HttpResponse:
    grid, group, status, sort = _grid_from(request, scope)
    return render(request, "trainer/followup/grid.html", {
        "grid": grid, "group": group, "status": status, "sort": sort,
        "groups": selectors.groups_of(scope=scope),
        "statuses": FollowStatus.choices, "sorts": [(k, _(v)) for k, v in SORT_LABELS.items()],
        "stuck_days": STUCK_AFTER_DAYS, "stuck_wrong": STUCK_WRONG_FIRST_ANSWERS,
        "query": _without_page(request), "page": grid.page})


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@trainer_required
@require_GET
def followup_export(request: HttpRequest, scope) -> HttpResponse:
    group, status, sort = _filters(request, scope)
    grid = selectors.progress_grid_rows(scope=scope, group=group, status=status, sort=sort)
    written = 0

    def counted(rows):
        nonlocal written
        for row in rows:
            written += 1
            yield row

    grid.rows = counted(grid.rows)  # read batch by batch while written (no list of every row)
    body = grid_csv(grid)
    access_record(scope=scope, action="followup.export", target_type="organisation", target_id=scope.organisation.pk,
                  detail={"rows": written, "group": str(group.pk) if group else "", "status": status})
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="suivi-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


@trainer_required
@require_GET
def followup_learner(request: HttpRequest, learner_id, scope) -> HttpResponse:
    learner = found_or_404(learner_of(scope=scope, learner_id=learner_id))
    access_record(scope=scope, action="learner.view", target_type="learner", target_id=learner.pk)
    return render(request, "trainer/followup/learner.html", {
        "file": selectors.learner_file(scope=scope, learner=learner),
        "learner": learner, "note_form": NoteForm(), "stuck_days": STUCK_AFTER_DAYS,
        "stuck_wrong": STUCK_WRONG_FIRST_ANSWERS})


@trainer_required
@require_POST
def note_add(request: HttpRequest, learner_id, scope) -> HttpResponse:
    learner = found_or_404(learner_of(scope=scope, learner_id=learner_id))
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(organisation=scope.organisation, learner=learner, author=request.user,
                              text=form.cleaned_data["text"], client_token=form.cleaned_data["token"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("La note est ajoutée."))
            return redirect("trainer:followup_learner", learner_id=learner.pk)
    access_record(scope=scope, action="learner.view", target_type="learner", target_id=learner.pk)
    return render(request, "trainer/followup/learner.html", {
        "file": selectors.learner_file(scope=scope, learner=learner),
        "learner": learner, "note_form": form, "stuck_days": STUCK_AFTER_DAYS,
        "stuck_wrong": STUCK_WRONG_FIRST_ANSWERS}, status=400)
