from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from tremplin.accounts.views import home_for
from tremplin.organisations.places_search import places_exist


@login_not_required
@require_GET
def home(request):
    if request.user.is_authenticated:
        return redirect(home_for(request.user))
    return render(request, "public/home.html", {"find_help_url": _find_help_url()})


def _find_help_url() -> str:
    """The « find help near me » door opens once places are published (issue 12)."""
    return reverse("public:find_help") if places_exist() else ""


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "public/accessibility.html")


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "public/csrf_failure.html", status=403)
