from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from tremplin.accounts.views import home_for


@login_not_required
@require_GET
def home(request):
    if request.user.is_authenticated:
        return redirect(home_for(request.user))
    return render(request, "public/home.html")


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "public/accessibility.html")


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "public/csrf_failure.html", status=403)
