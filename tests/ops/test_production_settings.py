"""Production refuses to start without its secret key, allowed hosts or database (docs/deployment.md)."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-random-production-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "tremplin.example.org",
    "DATABASE_URL": "postgres://tremplin@127.0.0.1:5432/tremplin",
}


def _import_production_settings():
    sys.modules.pop("config.settings.prod", None)
    return importlib.import_module("config.settings.prod")


def test_manage_check_in_production_without_any_variable_stops_with_a_french_and_english_message():
    environ = {k: v for k, v in os.environ.items()
               if k not in PRODUCTION_ENV and not k.startswith(("DJANGO_", "SENTRY_"))}
    result = subprocess.run([sys.executable, "manage.py", "check", "--settings=config.settings.prod"],
                            cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY manque : Tremplin refuse de démarrer" in result.stderr
    assert "DJANGO_SECRET_KEY is missing: Tremplin will not start in production" in result.stderr


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_settings_name_the_one_variable_that_is_missing(monkeypatch, missing):
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(missing)
    with pytest.raises(ImproperlyConfigured, match=f"^{missing} manque .* / {missing} is missing"):
        _import_production_settings()


def test_the_placeholder_secret_key_of_env_example_is_refused(monkeypatch):
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DJANGO_SECRET_KEY", "change-me-to-a-long-random-string")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        _import_production_settings()


def test_production_settings_start_with_all_three_and_log_requests_as_json(monkeypatch):
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    prod = _import_production_settings()
    assert prod.ALLOWED_HOSTS == ["tremplin.example.org"]
    assert prod.MIDDLEWARE[0] == "tremplin.lib.request_log.RequestLogMiddleware"
    assert prod.LOGGING["handlers"]["console"]["formatter"] == "json"


def test_sentry_starts_only_with_a_dsn_and_never_sends_personal_data(monkeypatch):
    import sentry_sdk

    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    _import_production_settings()
    assert calls == []

    monkeypatch.setenv("SENTRY_DSN", "https://public@sentry.example.org/1")
    _import_production_settings()
    (options,) = calls
    assert options["dsn"] == "https://public@sentry.example.org/1"
    assert options["send_default_pii"] is False
