"""Open access: a guest learner comes back on the same device without signing in (ADR 0010)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import device
from .guests import GuestBudgetExceeded

BACKEND = "django.contrib.auth.backends.ModelBackend"


class GuestDeviceMiddleware:
    """Signs the guest named by the device cookie back in when their session is gone (browser closed,
    session expired), and sets or removes the cookie when a view asked for it (``request.device``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.device = None  # a view sets ("remember", user) or ("forget", None)
        if not request.user.is_authenticated and device.COOKIE in request.COOKIES:
            guest = device.device_guest(request.COOKIES[device.COOKIE])
            if guest is not None:
                login(request, guest, backend=BACKEND)
            else:
                request.device = ("forget", None)
        response = self.get_response(request)
        action, user = request.device or (None, None)
        if action == "remember":
            device.remember(response, user)
        elif action == "forget":
            device.forget(response)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, GuestBudgetExceeded):
            return render(request, "429.html", status=429)
        return None


class StaffIdleTimeoutMiddleware:
    """Signs a staff member out after ``STAFF_IDLE_TIMEOUT_SECONDS`` without a request, and says so in French.

    The time of their last request is kept in the session (rewritten at most once a minute, so that browsing does
    not save the session on every page). Learners and guests are left alone: their phone is their own, and the
    « Rester connecté » box already covers a shared computer."""

    SESSION_KEY = "staff_last_activity"
    WRITE_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def stamp_at_sign_in(cls, sender, request, user, **kwargs):
        """``user_logged_in`` receiver (AccountsConfig.ready): the clock starts at sign-in, so that the first
        page after it does not have to save the session again."""
        if request is not None and hasattr(request, "session") and not user.is_learner:
            request.session[cls.SESSION_KEY] = int(time.time())

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_learner:
            now = int(time.time())
            last = request.session.get(self.SESSION_KEY)
            if isinstance(last, int) and now - last > settings.STAFF_IDLE_TIMEOUT_SECONDS:
                return self._sign_out(request)
            if not isinstance(last, int) or now - last >= self.WRITE_EVERY_SECONDS:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)

    def _sign_out(self, request):
        logout(request)
        seconds = settings.STAFF_IDLE_TIMEOUT_SECONDS
        if seconds >= 3600:
            n = round(seconds / 3600)
            message = ngettext("Vous avez été déconnecté après %(n)s heure sans activité.",
                               "Vous avez été déconnecté après %(n)s heures sans activité.", n)
        else:
            n = max(1, round(seconds / 60))
            message = ngettext("Vous avez été déconnecté après %(n)s minute sans activité.",
                               "Vous avez été déconnecté après %(n)s minutes sans activité.", n)
        messages.info(request, (message % {"n": n}) + " " + _("Reconnectez-vous pour continuer."))
        target = reverse("accounts:staff_login")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
