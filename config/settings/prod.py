"""Production: every secret and address comes from the environment (.env.example, docs/deployment.md).

Without DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS or DATABASE_URL the app refuses to start, naming the variable in
French and English, instead of falling back to a development default (a known key, SQLite under var/)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, MIDDLEWARE, env, env_bool, env_list

REQUIRED = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL")


def required(name: str) -> str:
    value = (env(name) or "").strip()
    if not value or value.startswith("change-me"):
        raise ImproperlyConfigured(
            f"{name} manque : Tremplin refuse de démarrer en production sans cette variable d'environnement "
            f"(voir .env.example et docs/deployment.md). / {name} is missing: Tremplin will not start in "
            f"production without this environment variable (see .env.example and docs/deployment.md).")
    return value


for _name in REQUIRED:
    required(_name)

DEBUG = False
SECRET_KEY = required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]  # the health check is asked on loopback, in plain HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# One JSON line per request on stdout (tremplin.lib.request_log): method, route, status, duration; nothing
# personal. The process manager (honcho, systemd, Docker) collects stdout.
MIDDLEWARE = ["tremplin.lib.request_log.RequestLogMiddleware", *MIDDLEWARE]
LOGGING = {
    **LOGGING,
    "formatters": {"json": {"()": "tremplin.lib.request_log.JsonFormatter"}},
    # Django's own lines about a request (« Service Unavailable: /carte/<token>/ ») give the route, not the path.
    "filters": {"route_not_path": {"()": "tremplin.lib.request_log.RouteNotPath"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["route_not_path"]}},
    "loggers": {
        "tremplin.request": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Its 404 warnings: the request line above already says it.
        "django.request": {"level": "ERROR"},
    },
}

# Errors to Sentry (or a compatible service) only when SENTRY_DSN is set; never personal data.
if env("SENTRY_DSN"):
    import sentry_sdk

    sentry_sdk.init(
        dsn=env("SENTRY_DSN"),
        environment=env("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
