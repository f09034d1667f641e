from django.shortcuts import render
from django.views.decorators.http import require_GET

from tremplin.organisations.selectors import learners_visible_to, organisations_of

from .decorators import staff_required


@staff_required
@require_GET
def home(request):
    return render(request, "trainer/home.html", {
        "organisations": organisations_of(user=request.user),
        "learner_count": learners_visible_to(user=request.user).count(),
    })
