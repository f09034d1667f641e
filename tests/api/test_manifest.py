"""GET /api/modules/<slug>/manifest and /api/tracks/<slug>/manifest: what a download needs, and its size."""

from __future__ import annotations

import gzip
import re
import uuid

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tremplin.catalog.selectors import module_active, steps_of
from tremplin.learner.views_listen import step_speech
from tremplin.lib.speech import speech_key

from ..conftest import page_text
from .helpers import MODULE

pytestmark = pytest.mark.django_db


def manifest(client, slug=MODULE):
    response = client.get(reverse("api:module_manifest", args=[slug]))
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def sounds(settings, tmp_path):
    """Every step's « Écouter » sound already rendered, each of a known size."""
    settings.AUDIO_ROOT = tmp_path
    for n, step in enumerate(steps_of(module=module_active(slug=MODULE)), start=1):
        (tmp_path / f"{speech_key(step_speech(step))}.ogg").write_bytes(b"o" * (1000 + n))
    return tmp_path


def wire_size(client, url: str) -> int:
    if url.startswith(settings.STATIC_URL):
        with open(finders.find(url.removeprefix(settings.STATIC_URL)), "rb") as f:
            return len(gzip.compress(f.read(), 6))
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200, url
    if url.endswith(".ogg"):  # counted as stored: a sound hardly compresses
        return len(gzip.decompress(response.content) if response.get("Content-Encoding") == "gzip"
                   else response.content)
    return len(response.content) if response.get("Content-Encoding") == "gzip" else len(
        gzip.compress(response.content, 6))


def test_a_module_manifest_lists_every_page_and_what_they_load_with_their_size(content, learner_client, sounds):
    data = manifest(learner_client)
    urls = set(data["urls"])
    n = len(steps_of(module=module_active(slug=MODULE)))
    assert reverse("learner:module", args=[MODULE]) in urls
    loaded = set()
    for number in range(1, n + 1):
        url = reverse("learner:step", args=[MODULE, number])
        assert url in urls
        html = learner_client.get(url).content.decode()
        loaded |= set(re.findall(r'="(/(?:static|apprendre/images|apprendre/ecouter)/[^"]+)"',
                                 html))
    assert any(u.endswith(".ogg") for u in loaded) and any("/images/" in u for u in loaded)
    assert "/static/css/learner.css" in loaded
    assert loaded <= urls, f"the pages load what the manifest misses: {loaded - urls}"
    assert data["content_version"] == module_active(slug=MODULE).content_version
    measured = sum(wire_size(learner_client, url) for url in data["urls"])
    # Each page carries a fresh form token and event ids, and up to 100 random bytes of gzip padding (BREACH).
    pages = [u for u in data["urls"] if u.startswith("/apprendre/module/")]
    assert abs(data["bytes"] - measured) <= len(pages) * 60, (data["bytes"], measured)
    sounds = [u for u in data["urls"] if u.endswith(".ogg")]
    assert len(sounds) == n and data["audio_bytes"] == sum(1000 + k for k in range(1, n + 1))


def test_the_manifest_gives_the_feedback_the_step_page_shows(content, learner_client):
    answers = manifest(learner_client)["answers"]
    assert set(answers) == {s.slug for s in steps_of(module=module_active(slug=MODULE)) if s.is_question}
    single = answers["q-appuyer"]
    assert single["correct"] == [0] and single["kind"] == "single"
    url = reverse("learner:step", args=[MODULE, single["number"]])
    for choice, shown in (("0", "right"), ("1", "wrong")):
        page = page_text(learner_client.post(url, {"action": "answer", "choice": choice,
                                                  "event_id": str(uuid.uuid4())}))
        assert single["feedback"][shown] in page
        assert single["feedback"]["explanation"] in page
    assert answers["q-ecrire"]["correct"] == [1, 2, 3]  # the right rank of each choice, in the content's order


def test_a_manifest_is_computed_once_per_content_release(content, learner_client):
    first = manifest(learner_client)
    with CaptureQueriesContext(connection) as queries:
        again = manifest(learner_client)
    assert again == first
    assert len(queries) <= 4  # the session, the user, the module: no page rendered again


def test_a_track_manifest_is_the_union_of_its_modules_and_its_size_is_reported(content, learner_client, capsys):
    module = manifest(learner_client)
    response = learner_client.get(reverse("api:track_manifest", args=["premiers-pas"]))
    track = response.json()
    assert set(module["urls"]) < set(track["urls"])
    assert reverse("learner:track", args=["premiers-pas"]) in track["urls"]
    assert track["modules"] == {MODULE: module["content_version"]}
    assert track["answers"][f"{MODULE}/q-appuyer"] == module["answers"]["q-appuyer"]
    assert track["bytes"] > module["bytes"]
    with capsys.disabled():
        print(f"\n[offline] track premiers-pas: {len(track['urls'])} URLs, {track['bytes']} B to download, "
              f"{track['audio_bytes']} B of it sounds (module {MODULE}: {module['bytes']} B)")


def test_manifests_open_to_visitors_refuse_staff_and_say_unknown_modules_in_french(content, client, staff):
    assert client.get(reverse("api:module_manifest", args=[MODULE])).status_code == 200  # open access (ADR 10)
    missing = client.get(reverse("api:module_manifest", args=["no-such-module"]))
    assert missing.status_code == 404 and missing.json()["detail"] == "Ce module n'existe pas ou plus."
    assert client.get(reverse("api:track_manifest", args=["nope"])).status_code == 404
    client.force_login(staff)
    refused = client.get(reverse("api:module_manifest", args=[MODULE]))
    assert refused.status_code == 403 and refused.json()["code"] == "learners_only"


def test_the_openapi_schema_is_served_and_no_docs_page(client):
    schema = client.get("/api/openapi.json").json()
    sync = schema["paths"]["/api/sync/"]["post"]
    assert sync["requestBody"]["content"]["application/json"]["schema"]["properties"]["events"]["maxItems"] == 500
    assert "/api/modules/{slug}/manifest" in schema["paths"]
    assert client.get("/api/docs").status_code == 404
