"""Settings shared by every environment. Everything that varies comes from the environment
(see .env.example); nothing secret is committed."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parents[2]


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("TREMPLIN_SITE_URL", "http://127.0.0.1:8000")
# Django's admin (/admin/) is off unless turned on here: it bypasses scopes and audit (docs/areas/hardening.md).
TREMPLIN_ADMIN_ENABLED = env_bool("TREMPLIN_ADMIN_ENABLED", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "tremplin.accounts",
    "tremplin.organisations",
    "tremplin.catalog",
    "tremplin.diagnostic",
    "tremplin.simulators",
    "tremplin.progress",
    "tremplin.cv",
    "tremplin.coaching",
    "tremplin.stats",
    "tremplin.audit",
    "tremplin.privacy",
    "tremplin.learner",
    "tremplin.trainer",
    "tremplin.network",
    "tremplin.public",
    "tremplin.api",
    "tremplin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tremplin.lib.middleware.NullBytePathMiddleware",
    "tremplin.lib.ops.DatabaseUnavailableMiddleware",  # the database away: the French 503 page, not a 500
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tremplin.accounts.middleware.GuestDeviceMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tremplin.accounts.middleware.StaffIdleTimeoutMiddleware",  # after auth and messages: it signs out and says so
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tremplin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "tremplin.trainer.context_processors.scope",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'tremplin.sqlite3'}"),
        conn_max_age=0,
        # With the pool, a connection is tried before it is lent (psycopg's `check`): one cut while idle (database
        # restarted, backend terminated) is replaced instead of failing a request (docs/deployment.md).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a command writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
elif env_bool("DATABASE_POOL", True):
    # `timeout`: a request waits at most 5 s for a connection, then the French 503 page (database away), not 30 s.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": 10, "timeout": 5}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Public security contact of /.well-known/security.txt (RFC 9116): an e-mail address or an https:// URL.
SECURITY_CONTACT = env("SECURITY_CONTACT", "mailto:securite@tremplin.example.org")

# Background tasks (rollups of statistics): django-tasks with its database backend, run by
# `manage.py db_worker` (ADR 12).
# Queues: "default" (statistics rollups, minutes at national size) and "documents" (PDF reports, a second each), each
# with its own worker in production (Procfile) so a report never waits behind a rollup.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "documents"]}}
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "tremplin.accounts.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:learner_login"
LOGIN_REDIRECT_URL = "public:home"

# Learners come back days later on the same phone: keep them signed in for 30 days.
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(60 * 60 * 24 * 30)))
# Staff sessions open learners' files: signed out after 8 hours without a request (a working day), whatever
# « Rester connecté » says (tremplin.accounts.middleware.StaffIdleTimeoutMiddleware, docs/areas/hardening.md).
STAFF_IDLE_TIMEOUT_SECONDS = int(env("TREMPLIN_STAFF_IDLE_TIMEOUT_SECONDS", str(60 * 60 * 8)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "tremplin.public.views.csrf_failure"

# Lock an account (never an IP: a training room shares one) after 5 wrong PINs, for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tremplin.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "tremplin.accounts.services.client_address"  # the same address as the budget below
# A clean sign-in writes nothing for axes: no access log row (who signed in, from where: personal data nobody reads),
# no reset when the lock check found no failure (accounts.lockout; docs/areas/sign-in-throttling.md).
AXES_DISABLE_ACCESS_LOG = True
AXES_HANDLER = "tremplin.accounts.lockout.SignInLockoutHandler"
# Database sessions, one INSERT per sign-in instead of SELECT + INSERT + UPDATE (accounts.sessions).
SESSION_ENGINE = "tremplin.accounts.sessions"

# Beyond one account: failed sign-ins (learner and staff forms together) counted per client address, over a
# sliding hour (docs/areas/sign-in-throttling.md, ADR 0007). Up to 150 nothing changes: a room of 30 learners
# who each get locked after 5 errors. Past 150, one attempt every 10 seconds from that address; past 300, one a
# minute. Never a lock: a guesser gets ~300 tries an hour instead of tens of thousands.
SIGN_IN_THROTTLE = {
    "cache": "default",
    "window_seconds": 3600,
    "spacing": [(150, 10), (300, 60)],  # (failures in the last hour, seconds between two attempts)
}
# Reverse proxies in front of the app that append to X-Forwarded-For (1 for a single nginx); 0: none.
TRUSTED_PROXY_COUNT = int(env("TREMPLIN_TRUSTED_PROXY_COUNT", "0"))

# --- Scale-out: shared cache, sessions, read replica (docs/deployment-scale-out.md, ADR 0017) -------------------
# REDIS_URL (or CACHE_URL, its former name): one cache for every process and server. It holds the sign-in budget
# (counted per client address across servers), the observatory's publication and a copy of each session. Unset:
# each process's own memory (tests, demo, a single process), and sessions in the database only.
REDIS_URL = env("REDIS_URL") or env("CACHE_URL") or ""


def shared_cache(url: str) -> dict:
    # Short timeouts: a Redis that hangs must fail a request fast, not hold every worker.
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}


# "documents": what the background worker makes and the web servers read (a territory's PDF report, ADR 21), where
# both see it: Redis when there is one, else files on this machine (one machine: `make demo`, a small installation).
if REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": shared_cache(REDIS_URL), "documents": {**shared_cache(REDIS_URL), "KEY_PREFIX": "documents"}}
    # Django's cached_db (with accounts.sessions' one write per sign-in): read from Redis, written to Redis and the
    # database, so a sign-out is seen by every server at once and a Redis restart signs nobody out. Never with a
    # per-process cache (another process would keep a stale copy).
    SESSION_ENGINE = "tremplin.accounts.sessions_cached"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
              "documents": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                            "LOCATION": str(BASE_DIR / "var" / "documents"), "OPTIONS": {"MAX_ENTRIES": 5000}}}
    # SESSION_ENGINE stays the database one above: shared by every server.
# The task backend that makes the documents (tests switch to the database one to see a report wait for the worker).
DOCUMENTS_TASK_BACKEND = "default"

# DATABASE_REPLICA_URL: a streaming replica of the database. Pages of statistics (/pilotage/, /observatoire/) read
# their figures there (config.routers.StatsReplicaRouter); every write, and every read inside a transaction, goes to
# "default"; migrations run on "default" only.
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(env("DATABASE_REPLICA_URL"), conn_max_age=0,
                                                 conn_health_checks=True)
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
STATS_READ_DATABASE = "replica" if "replica" in DATABASES else None
DATABASE_ROUTERS = ["config.routers.StatsReplicaRouter"]
# --- end of scale-out -----------------------------------------------------------------------------------------------

# Uploads (the learner import is the only one). Each file is counted while it arrives and never
# stored past FILE_UPLOAD_MAX_SIZE (tremplin.lib.uploads): the form then says it is too big, in French.
# The other fields of a request keep Django's 2.5 MB; past it, the French 400 page explains why.
FILE_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = FILE_UPLOAD_MAX_SIZE
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "tremplin.lib.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "tremplin" / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365

CONTENT_ROOT = Path(env("TREMPLIN_CONTENT_ROOT", str(BASE_DIR / "content" / "fr")))
# Read-aloud audio rendered on the server (ADR 13), once per text: a cache that may be emptied at any time.
AUDIO_ROOT = Path(env("TREMPLIN_AUDIO_ROOT", str(BASE_DIR / "var" / "audio")))


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Tremplin <ne-pas-repondre@tremplin.example>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# axes.W006 asks to lock by IP too. Deliberately not: a training room shares one IP address,
# and locking it would lock out every learner in the room. Accounts are locked by username.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Open access (ADR 0010): new guest learners per client address and hour (a training room of 20 stays far
# below), and how long an inactive guest's progress is kept before it is deleted.
GUEST_BUDGET_PER_HOUR = int(env("TREMPLIN_GUEST_BUDGET_PER_HOUR", "60"))
GUEST_INACTIVE_DAYS = int(env("TREMPLIN_GUEST_INACTIVE_DAYS", "180"))
# Retention of personal data (ADR 0015, docs/privacy/): two years after the last contact for people accompanied
# (CNIL, référentiel « durées de conservation » du secteur social et médico-social, délibération n° 2023-095),
# one year for the audit log (CNIL, recommandation sur la journalisation, délibération n° 2021-122).
RETENTION_LEARNER_INACTIVE_DAYS = int(env("TREMPLIN_RETENTION_LEARNER_INACTIVE_DAYS", "730"))
RETENTION_NOTE_DAYS = int(env("TREMPLIN_RETENTION_NOTE_DAYS", "730"))
RETENTION_RECORD_DAYS = int(env("TREMPLIN_RETENTION_RECORD_DAYS", "730"))
RETENTION_IMPORT_DAYS = int(env("TREMPLIN_RETENTION_IMPORT_DAYS", "30"))
RETENTION_AUDIT_DAYS = int(env("TREMPLIN_RETENTION_AUDIT_DAYS", "365"))
RETENTION_BATCH = int(env("TREMPLIN_RETENTION_BATCH", "2000"))  # learners erased per run at most
