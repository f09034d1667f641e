from functools import wraps

from django.core.exceptions import PermissionDenied


def staff_required(view):
    """Trainer screens: signed-in staff members only (anonymous users are sent to sign in)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_learner:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
