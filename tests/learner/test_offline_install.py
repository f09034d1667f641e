"""Installable and offline (issue 14): the web app manifest, the service worker script and the learner pages'
hooks, as the browser receives them. The offline journey itself is tests/browser/test_offline.py."""

import json
import struct

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_web_app_manifest_is_french_and_installable_from_the_learner_area(client):
    response = client.get(reverse("learner:web_manifest"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["lang"], manifest["display"]) == ("Tremplin", "fr", "standalone")
    assert manifest["start_url"] == manifest["scope"] == "/apprendre/"
    with open(finders.find("css/learner.css")) as f:
        assert manifest["theme_color"] in f.read()  # the site's own blue
    sizes = {}
    for icon in manifest["icons"]:
        with open(finders.find(icon["src"].removeprefix(settings.STATIC_URL)), "rb") as f:
            sizes[icon["purpose"], icon["sizes"]] = png_size(f.read())
    assert sizes == {("any", "192x192"): (192, 192), ("any", "512x512"): (512, 512),
                     ("maskable", "512x512"): (512, 512)}


def test_learner_pages_link_the_manifest_and_the_offline_script_and_other_pages_do_not(learner_client, content):
    page = learner_client.get(reverse("learner:module", args=["ecran-tactile"])).content.decode()
    assert f'<link rel="manifest" href="{reverse("learner:web_manifest")}">' in page
    assert 'type="module" src="/static/js/offline.js"' in page
    # « Disponible sans internet » is there for offline.js to show, hidden without JavaScript.
    assert 'data-offline="module" data-slug="ecran-tactile" hidden>' in page
    public = learner_client.get(reverse("public:home")).content.decode()
    assert "offline.js" not in public and 'rel="manifest"' not in public


def test_the_service_worker_is_served_for_the_learner_area_and_never_kept_stale(client):
    first = client.get("/apprendre/sw.js")
    assert first.status_code == 200
    assert first["Content-Type"] == "text/javascript; charset=utf-8"
    assert first["Cache-Control"] == "no-cache"  # the browser asks again on each visit
    body = first.content.decode()
    config = json.loads(body[len("self.TREMPLIN = "):body.index(";\n")])
    assert len(config["version"]) == 12 and "Pas d’internet" in config["offline"]
    assert "addEventListener(\"fetch\"" in body and "\n//" not in body  # comments stripped
    assert client.get("/apprendre/sw.js").content == first.content  # the same version until a release


def test_the_sentences_of_the_offline_script_come_in_french(client):
    texts = client.get(reverse("learner:offline_texts")).json()
    assert texts["waiting_many"] == "En attente d'envoi : %(n)s réponses"
    assert texts["waiting_one"] == "En attente d'envoi : %(n)s réponse"
    assert texts["right"] == "✓ Bravo, c'est la bonne réponse !"
