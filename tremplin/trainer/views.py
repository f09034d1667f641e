from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from tremplin.coaching import selectors
from tremplin.coaching.enums import STUCK_AFTER_DAYS, STUCK_WRONG_FIRST_ANSWERS
from tremplin.organisations.access import network_scope_of_request
from tremplin.organisations.selectors import learners_of

from .decorators import trainer_required


def _enrol_url() -> str:
    """The quick enrolment screen, when the enrolment screens are installed."""
    for name in ("trainer:learner_enrol", "trainer:learner_create", "trainer:enrol"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


@trainer_required(organisation=False, partners=True)
@require_GET
def home(request: HttpRequest, scope) -> HttpResponse:
    """« Ce qui demande votre attention aujourd'hui »."""
    if scope is not None and scope.is_prescriber:
        return redirect("trainer:referral_sent_list")
    if scope is None and network_scope_of_request(request) is not None:
        return redirect("network:home")  # a network role and no structure: their home is /pilotage/
    context = {"organisation": scope.organisation if scope else None, "enrol_url": _enrol_url(), "stuck_days": STUCK_AFTER_DAYS,
               "stuck_wrong": STUCK_WRONG_FIRST_ANSWERS}
    if scope is not None:
        today = timezone.localdate()
        context.update(
            stuck=selectors.learners_needing_help(scope=scope, limit=10),
            workshops=list(selectors.workshops_of(scope=scope, on=today)),
            overdue=selectors.overdue_assignments(scope=scope, today=today)[:10],
            learner_count=learners_of(scope=scope).count(),
            today=today)
    return render(request, "trainer/home.html", context)
