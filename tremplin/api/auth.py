"""Who may call the API: the learner's own session; errors with a French detail and a code."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security.base import AuthBase
from ninja.utils import check_csrf


class ApiError(HttpError):
    """An error answered as ``{"detail": <French>, "code": <code>}``."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(status, detail)
        self.code = code


class LearnerSession(AuthBase):
    """The learner's own Django session (guests of open access included), and the CSRF header on writes.

    Nobody signed in, or a staff account: 401 (the device keeps its queue for the next sign-in)."""

    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = "sessionid"

    def __call__(self, request: HttpRequest):
        user = request.user
        if not (user.is_authenticated and user.is_learner):
            return None
        if check_csrf(request) is not None:
            raise ApiError(403, "csrf", _("Cette page n'est plus valable. Rechargez-la puis réessayez."))
        return user


def staff_refused(request: HttpRequest) -> None:
    """Learner screens are for learners (and visitors of open access): a staff account gets a 403."""
    user = request.user
    if user.is_authenticated and not user.is_learner:
        raise ApiError(403, "learners_only", _("Cet espace est réservé aux apprenants."))
