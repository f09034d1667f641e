// « Écouter »: reads a part of the page aloud with the phone's own French voice (ADR 13).
// It never fails silently: where the phone has no French voice, or the voice breaks off, the page says so.
// Without JavaScript the button stays hidden (there is nothing it could do).
const synth = window.speechSynthesis;

function voices() {
  // Chrome fills the list after a first "voiceschanged"; wait for it a moment, never for ever.
  if (!synth || synth.getVoices().length) return Promise.resolve();
  return new Promise((resolve) => {
    synth.addEventListener("voiceschanged", resolve, { once: true });
    setTimeout(resolve, 1500);
  });
}

function frenchVoice() {
  const all = synth ? synth.getVoices() : [];
  return all.find((v) => /^fr[-_]FR/i.test(v.lang)) || all.find((v) => /^fr\b/i.test(v.lang));
}

for (const button of document.querySelectorAll("[data-listen]")) {
  const target = document.getElementById(button.dataset.listen);
  const note = document.getElementById(button.dataset.listen + "-note");
  if (!target) continue;
  const label = button.querySelector("span:last-child");
  const idle = label.textContent;
  const reset = () => { label.textContent = idle; button.setAttribute("aria-pressed", "false"); };
  const unavailable = () => { reset(); if (note) note.textContent = button.dataset.none; };
  button.hidden = false;
  button.addEventListener("click", async () => {
    if (button.getAttribute("aria-pressed") === "true") { synth.cancel(); reset(); return; }
    if (note) note.textContent = "";
    await voices();
    const voice = frenchVoice();
    if (!voice) { unavailable(); return; }
    const utterance = new SpeechSynthesisUtterance(target.innerText);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9;
    utterance.onend = reset;
    utterance.onerror = (event) => (["interrupted", "canceled"].includes(event.error) ? reset() : unavailable());
    label.textContent = button.dataset.stop;
    button.setAttribute("aria-pressed", "true");
    synth.cancel(); // another button's reading stops first
    synth.speak(utterance);
  });
}
