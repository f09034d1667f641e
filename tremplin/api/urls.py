"""``/api/``: the API answers for itself (JSON 401, not a redirect to the sign-in page), so
``LoginRequiredMiddleware`` lets its URLs through; each operation declares its own auth."""

from .api import api

patterns, app_name, namespace = api.urls
for pattern in patterns:
    pattern.callback.login_required = False

app_name = namespace  # "api"
urlpatterns = patterns
