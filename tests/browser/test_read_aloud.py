"""« Écouter » never fails silently (issue 10, accessibility 2; ADR 13).

Headless Chromium has no voice at all, like a phone without a French voice: the page says so in words. With a
French voice (the phone's, stood in for by a stub of the Web Speech API) the step is read and the button is
pressed until the reading ends.
"""

from playwright.sync_api import expect

from .steps import go

STEP = "/apprendre/module/ecran-tactile/etape/1/"

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


def test_without_a_french_voice_the_page_says_reading_aloud_is_not_available(page, live_server, transactional_db, content):
    go(page, live_server.url + STEP)
    button = page.get_by_role("button", name="Écouter")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(page.get_by_role("status")).to_have_text("La lecture à voix haute n'est pas disponible sur ce téléphone.")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_have_text("Écouter")


def test_with_a_french_voice_the_step_is_read_and_the_button_stays_pressed_until_stopped(page, live_server, transactional_db, content):
    page.add_init_script(FRENCH_VOICE)
    go(page, live_server.url + STEP)
    page.get_by_role("button", name="Écouter").click()
    stop = page.get_by_role("button", name="Arrêter la lecture")
    expect(stop).to_have_attribute("aria-pressed", "true")
    assert "écran" in page.evaluate("window.spoken[0]").lower()
    stop.click()
    expect(page.get_by_role("button", name="Écouter")).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".listen-note")).to_have_text("")
