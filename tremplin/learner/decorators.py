"""Who may open a learner screen: the one decorator of the learner audience."""

from functools import wraps

from django.shortcuts import render


def learner_required(view=None, *, open_to_all: bool = False):
    """Learner screens: signed-in learners, guests included (a staff member gets an explanation, 403).

    ``open_to_all=True``: the page also opens without any account, for a person who starts learning
    alone (ADR 0010); ``request.user`` is then anonymous until their first learning action creates a
    guest learner (``tremplin.learner.guests.acting_learner``). Without it, anonymous visitors are sent
    to sign in by ``LoginRequiredMiddleware``.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated and not request.user.is_learner:
                return render(request, "learner/learners_only.html", status=403)
            return view(request, *args, **kwargs)

        if open_to_all:
            wrapper.login_required = False
        return wrapper

    return decorate(view) if view is not None else decorate
