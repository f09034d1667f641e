"""Open access: a guest learner comes back on the same device without signing in (ADR 0010)."""

from __future__ import annotations

from django.contrib.auth import login
from django.shortcuts import render

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
