"""« Écouter » speaks on any phone (issue 10, accessibility 2; ADR 13): the server renders a step in French with
espeak-ng as Ogg Opus, once, on first tap; a missing step is a 404 and a missing engine a 503 in French, never a
500 (the page's script then falls back to the phone's voice)."""

import re
import struct

import pytest
from django.urls import reverse

from tremplin.lib import speech

pytestmark = pytest.mark.django_db

MODULE = "ecran-tactile"


@pytest.fixture(autouse=True)
def audio_root(settings, tmp_path):
    settings.AUDIO_ROOT = tmp_path / "audio"
    return settings.AUDIO_ROOT


def listen_url(client, number: int) -> str:
    """The sound's URL, as the step page gives it to its « Écouter » button."""
    page = client.get(reverse("learner:step", args=[MODULE, number])).content.decode()
    found = re.search(r'data-audio="([^"]+)"', page)
    assert found, "the step page gives no sound to its « Écouter » button"
    return found.group(1)


def ogg_opus_seconds(data: bytes) -> float:
    """The length of an Ogg Opus stream: the last page's granule position at 48 kHz, less the pre-skip."""
    assert data[:4] == b"OggS", "not an Ogg file"
    head = data.index(b"OpusHead")
    pre_skip = struct.unpack_from("<H", data, head + 10)[0]
    last = data.rindex(b"OggS")
    granule = struct.unpack_from("<q", data, last + 6)[0]
    return (granule - pre_skip) / 48000


def test_a_step_is_spoken_as_ogg_opus_fetched_from_the_step_page_and_cached_for_ever(client, content, audio_root):
    url = listen_url(client, 1)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/ogg"
    assert "max-age=31536000" in response["Cache-Control"]
    data = response.content
    assert b"OpusHead" in data[:100]
    assert 2 < ogg_opus_seconds(data) < 120
    assert len(data) < 100_000


def test_the_second_request_is_served_from_the_file_rendered_the_first_time(client, content, audio_root, monkeypatch):
    url = listen_url(client, 2)
    first = client.get(url).content
    assert len(list(audio_root.glob("*.ogg"))) == 1

    def no_second_rendering(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(speech.subprocess, "run", no_second_rendering)
    assert client.get(url).content == first


def test_a_quiz_is_spoken_with_its_question_and_its_choices_but_not_its_answer(content):
    from tremplin.catalog.models import Step
    from tremplin.learner.views_listen import step_speech

    quiz = Step.objects.filter(module__slug=MODULE, kind="single").order_by("position").first()
    text = step_speech(quiz)
    assert text.startswith("Petit quiz.")
    assert quiz.title in text
    assert all(c["text"] in text for c in quiz.data["choices"])
    assert quiz.data["explanation"] not in text
    assert "<" not in text


def test_an_unknown_step_or_module_or_a_nul_byte_is_a_404(client, content):
    url = listen_url(client, 1)
    assert client.get(url.replace("/1/", "/99/")).status_code == 404
    assert client.get(url.replace(MODULE, "module-inconnu")).status_code == 404
    assert client.get(url.replace(MODULE, "ecran%00tactile")).status_code == 404
    assert client.get(url.replace(".ogg", "%00.ogg")).status_code == 404


def test_a_changed_step_sends_to_its_new_sound(client, content):
    url = listen_url(client, 1)
    stale = re.sub(r"/[0-9a-f]{16}\.ogg$", "/0123456789abcdef.ogg", url)
    response = client.get(stale)
    assert response.status_code == 302 and response["Location"] == url


def test_without_the_speech_engine_the_answer_is_a_503_in_french_not_a_500(client, content, monkeypatch):
    monkeypatch.setattr(speech, "ESPEAK", "/nulle-part/espeak-ng")
    response = client.get(listen_url(client, 3))
    assert response.status_code == 503
    assert "pas disponible" in response.content.decode()


def test_a_broken_speech_engine_is_a_503_too(client, content, monkeypatch):
    monkeypatch.setattr(speech, "OPUSENC", "/bin/false")
    response = client.get(listen_url(client, 4))
    assert response.status_code == 503
    assert "pas disponible" in response.content.decode()
