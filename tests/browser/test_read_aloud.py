"""« Écouter » speaks on any phone and never fails silently (issue 10, accessibility 2; ADR 13).

Headless Chromium has no voice at all, like a phone without a French voice: the step is then spoken by the
server (espeak-ng, Ogg Opus fetched on tap). Where the sound cannot be fetched, the phone's French voice (stood
in for by a stub of the Web Speech API) reads the step; where neither works, the page says so in words.
"""

from playwright.sync_api import expect

from .steps import go

STEP = "/apprendre/module/ecran-tactile/etape/1/"
UNAVAILABLE = "La lecture à voix haute n'est pas disponible sur ce téléphone."

# A phone with a French voice: the stub records what is spoken and ends the reading when asked to cancel.
FRENCH_VOICE = """
(() => {
  const voice = {lang: "fr-FR", name: "Voix française", default: true, localService: true};
  window.spoken = [];
  let current = null;
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
  Object.defineProperty(window, "speechSynthesis", {value: {
    speaking: false,
    getVoices: () => [voice],
    addEventListener() {},
    speak(u) { current = u; this.speaking = true; window.spoken.push(u.text); },
    cancel() { if (current) { const u = current; current = null; this.speaking = false; u.onerror && u.onerror({error: "interrupted"}); } },
  }});
})();
"""
# Every sound the page plays, kept where the test can look at it.
RECORD_AUDIO = """
(() => {
  window.audios = [];
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () { window.audios.push(this); return play.call(this); };
})();
"""


def block_audio(page):
    page.route("**/apprendre/ecouter/**", lambda route: route.abort())


def test_without_a_voice_on_the_phone_the_step_is_spoken_by_the_server(page, live_server, transactional_db, content):
    page.add_init_script(RECORD_AUDIO)
    go(page, live_server.url + STEP)
    button = page.get_by_role("button", name="Écouter")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    stop = page.get_by_role("button", name="Arrêter la lecture")
    expect(stop).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("() => window.audios.length === 1 && window.audios[0].currentTime > 0")
    assert "/apprendre/ecouter/ecran-tactile/1/" in page.evaluate("window.audios[0].src")
    expect(page.locator(".listen-note")).to_have_text("")
    stop.click()
    expect(page.get_by_role("button", name="Écouter")).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.audios[0].paused")


def test_without_the_servers_sound_nor_a_french_voice_the_page_says_reading_aloud_is_not_available(
        page, live_server, transactional_db, content):
    block_audio(page)
    go(page, live_server.url + STEP)
    button = page.get_by_role("button", name="Écouter")
    button.click()
    expect(page.get_by_role("status")).to_have_text(UNAVAILABLE)
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_have_text("Écouter")


def test_without_the_servers_sound_the_phones_french_voice_reads_the_step_until_stopped(
        page, live_server, transactional_db, content):
    block_audio(page)
    page.add_init_script(FRENCH_VOICE)
    go(page, live_server.url + STEP)
    page.get_by_role("button", name="Écouter").click()
    stop = page.get_by_role("button", name="Arrêter la lecture")
    expect(stop).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("() => window.spoken.length === 1")
    assert "écran" in page.evaluate("window.spoken[0]").lower()
    stop.click()
    expect(page.get_by_role("button", name="Écouter")).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".listen-note")).to_have_text("")
