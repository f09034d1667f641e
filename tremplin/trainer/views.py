from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from tremplin.coaching import selectors
from tremplin.coaching.enums import STUCK_AFTER_DAYS, STUCK_WRONG_FIRST_ANSWERS

from .context import current_organisation
from .decorators import staff_required


def _enrol_url() -> str:
    """The quick enrolment screen, when the enrolment screens are installed."""
    for name in ("trainer:learner_enrol", "trainer:learner_create", "trainer:enrol"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


@staff_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """« Ce qui demande votre attention aujourd'hui »."""
    organisation = current_organisation(request)
    context = {"organisation": organisation, "enrol_url": _enrol_url(), "stuck_days": STUCK_AFTER_DAYS,
               "stuck_wrong": STUCK_WRONG_FIRST_ANSWERS}
    if organisation is not None:
        today = timezone.localdate()
        context.update(
            stuck=selectors.learners_needing_help(organisation=organisation, limit=10),
            workshops=list(selectors.workshops_of(organisation=organisation, on=today)),
            overdue=selectors.overdue_assignments(organisation=organisation, today=today)[:10],
            learner_count=selectors.learners_of(organisation=organisation).count(),
            today=today)
    return render(request, "trainer/home.html", context)
