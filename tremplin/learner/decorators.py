from functools import wraps

from django.shortcuts import render


def learner_required(view):
    """Learner screens: signed-in learners only (LoginRequiredMiddleware handles anonymous users)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_learner:
            return render(request, "learner/learners_only.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
