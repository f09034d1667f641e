"""Accompaniment records (comptes-rendus d'activité) and their CSV export (issue 6, point 5)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.coaching import selectors, services
from tremplin.coaching.enums import AccompanimentType
from tremplin.coaching.exports import accompaniments_csv
from tremplin.organisations.access import access_record, found_or_404
from tremplin.organisations.selectors import learner_of

from .decorators import trainer_required
from .forms_coaching import AccompanimentForm
from .views_coaching import apply_errors


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@trainer_required
@require_GET
def record_list(request: HttpRequest, scope) -> HttpResponse:
    since, until = _day(request.GET.get("du")), _day(request.GET.get("au"))
    records = selectors.records_of(scope=scope, since=since, until=until)
    return render(request, "trainer/records/list.html", {
        "records": records[:200], "count": records.count(), "since": since, "until": until,
        "query": request.GET.urlencode()})


@trainer_required
@require_http_methods(["GET", "POST"])
def record_create(request: HttpRequest, scope) -> HttpResponse:
    initial = {}
    if learner := learner_of(scope=scope, learner_id=request.GET.get("apprenant")):
        initial["learner"] = learner
    workshop = selectors.workshop_of(scope=scope,
                                     workshop_id=request.GET.get("atelier") or request.POST.get("atelier"))
    if workshop is not None:
        initial.update(type=AccompanimentType.COLLECTIF, titre_atelier=workshop.title, date=workshop.date,
                       niveau_atelier=workshop.level, thematiques=[workshop.theme],
                       accompagnements=max(1, workshop.attendances.count()),
                       duree=str(workshop.duration_minutes))
    form = AccompanimentForm(request.POST or None, scope=scope, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.to_input()
            data.workshop = workshop
            try:
                record = services.accompaniment_record(organisation=scope.organisation, mediateur=request.user,
                                                       data=data, client_token=form.cleaned_data["token"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Le compte-rendu est enregistré."))
                return redirect("trainer:record_detail", accompaniment_id=record.pk)
        return render(request, "trainer/records/form.html", {"form": form, "workshop": workshop}, status=400)
    return render(request, "trainer/records/form.html", {"form": form, "workshop": workshop})


@trainer_required
@require_GET
def record_detail(request: HttpRequest, accompaniment_id, scope) -> HttpResponse:
    record = found_or_404(selectors.record_of(scope=scope, accompaniment_id=accompaniment_id))
    return render(request, "trainer/records/detail.html", {"record": record})


@trainer_required
@require_GET
def record_export(request: HttpRequest, scope) -> HttpResponse:
    since, until = _day(request.GET.get("du")), _day(request.GET.get("au"))
    records = selectors.records_of(scope=scope, since=since, until=until)
    access_record(scope=scope, action="accompaniments.export", target_type="organisation",
                  target_id=scope.organisation.pk,
                  detail={"rows": records.count(), "since": str(since or ""), "until": str(until or "")})
    response = HttpResponse(accompaniments_csv(records.iterator()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="comptes-rendus-{timezone.localdate():%Y-%m-%d}'
                                       '.csv"')
    return response
