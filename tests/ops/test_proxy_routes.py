"""The reverse proxy's routes (deploy/nginx/tremplin-locations.conf) send every trainer, network and admin page to the
staff pool and every learner, public, sign-in and API page to the learners' pool (Procfile: staff and web).

A new trainer page under a new prefix would otherwise land on the learners' workers; a learner page under a staff
prefix would be served niced, behind the trainers."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver, reverse

LOCATIONS = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "tremplin-locations.conf"
STAFF_AUDIENCES = {"trainer", "network", "admin"}


def _staff_pattern() -> re.Pattern:
    """The regular expression of the location that proxies to the staff pool."""
    text = LOCATIONS.read_text()
    found = re.search(r"location ~ (\S+) \{\s*proxy_pass http://tremplin_staff;", text)
    assert found, "no regex location proxies to tremplin_staff"
    assert "proxy_pass http://tremplin_learners;" in text.split(found.group(0))[1], "no default to the learners"
    return re.compile(found.group(1))


def _named_urls(patterns, namespace="", prefix=""):
    """(namespace, URL) of every named pattern, with sample values for its parameters."""
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _named_urls(p.url_patterns, p.namespace or namespace, prefix)
        elif isinstance(p, URLPattern) and p.name:
            converters = getattr(p.pattern, "converters", {}) or {}
            samples = {"UUIDConverter": "8a0c6f0e-2f7e-4d1e-9a57-1d7f0e5b6c11", "IntConverter": 1,
                       "SlugConverter": "un-module", "StringConverter": "abc", "PathConverter": "abc"}
            kwargs = {name: samples[type(c).__name__] for name, c in converters.items()}
            name = f"{namespace}:{p.name}" if namespace else p.name
            try:
                yield namespace, reverse(name, kwargs=kwargs)
            except Exception:  # a pattern with a regex of its own: not one of ours
                continue


def test_every_trainer_network_and_admin_page_goes_to_the_staff_pool_and_every_other_page_to_the_learners():
    staff = _staff_pattern()
    urls = list(_named_urls(get_resolver().url_patterns))
    audiences = {namespace for namespace, _url in urls}
    assert {"trainer", "network", "learner", "api"} <= audiences
    wrong = []
    for namespace, url in urls:
        to_staff = bool(staff.search(url))
        if namespace in STAFF_AUDIENCES and url.startswith(("/espace-formateur/", "/pilotage/", "/admin/")):
            if not to_staff:
                wrong.append(f"{url} ({namespace}) would go to the learners' pool")
        elif to_staff:
            wrong.append(f"{url} ({namespace or 'root'}) would go to the staff pool")
    staff_pages = [url for namespace, url in urls if namespace in {"trainer", "network"} and staff.search(url)]
    assert len(staff_pages) > 50, staff_pages
    assert not wrong, "\n".join(wrong)


def test_the_public_links_trainers_hand_out_stay_with_the_learners():
    """Invitation and workshop sign-up links are in the trainer app but opened by learners and newcomers."""
    staff = _staff_pattern()
    public = [url for namespace, url in _named_urls(get_resolver().url_patterns)
              if namespace in {"join", "network_join"}]
    assert len(public) >= 3 and all(not staff.search(url) for url in public), public
    assert not staff.search("/apprendre/") and not staff.search("/connexion/") and not staff.search("/api/sync/")
    assert staff.search("/espace-formateur/suivi/") and staff.search("/pilotage/")
