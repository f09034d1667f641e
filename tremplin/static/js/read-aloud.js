// « Écouter »: reads a part of the page aloud (ADR 13). Where the button carries an audio URL (a lesson step),
// the server's French voice is played, fetched only now; if it cannot play, the phone's own French voice reads
// the text. It never fails silently: where neither works, the page says so.
// Without JavaScript the button stays hidden (there is nothing it could do).
const synth = window.speechSynthesis;
let stopCurrent = () => {}; // stops whatever is being read, so that one reading at a time plays

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

// Plays the server's sound; resolves to a function that stops it, or null if it cannot play.
async function playAudio(url, onEnd) {
  if (!url || typeof Audio === "undefined") return null;
  const audio = new Audio(url);
  try {
    await audio.play();
  } catch {
    return null;
  }
  audio.addEventListener("ended", onEnd);
  audio.addEventListener("error", onEnd);
  return () => { audio.pause(); audio.removeAttribute("src"); audio.load(); };
}

for (const button of document.querySelectorAll("[data-listen]")) {
  const target = document.getElementById(button.dataset.listen);
  const note = document.getElementById(button.dataset.listen + "-note");
  if (!target) continue;
  const label = button.querySelector("span:last-child");
  const idle = label.textContent;
  let run = 0; // a tap on « Arrêter » while the sound is still loading cancels that reading
  const reset = () => { label.textContent = idle; button.setAttribute("aria-pressed", "false"); };
  const unavailable = () => { reset(); if (note) note.textContent = button.dataset.none; };
  const stop = () => { run += 1; if (synth) synth.cancel(); reset(); };
  button.hidden = false;
  button.addEventListener("click", async () => {
    if (button.getAttribute("aria-pressed") === "true") { stopCurrent(); return; }
    stopCurrent(); // another button's reading stops first
    const mine = ++run;
    if (note) note.textContent = "";
    label.textContent = button.dataset.stop;
    button.setAttribute("aria-pressed", "true");
    stopCurrent = stop;
    const ended = () => { if (mine === run) reset(); };
    const stopAudio = await playAudio(button.dataset.audio, ended);
    if (mine !== run) { if (stopAudio) stopAudio(); return; }
    if (stopAudio) { stopCurrent = () => { stopAudio(); stop(); }; return; }
    await voices();
    if (mine !== run) return;
    const voice = frenchVoice();
    if (!voice) { unavailable(); return; }
    const utterance = new SpeechSynthesisUtterance(target.innerText);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9;
    utterance.onend = ended;
    utterance.onerror = (event) => {
      if (mine !== run) return;
      if (["interrupted", "canceled"].includes(event.error)) reset(); else unavailable();
    };
    synth.cancel();
    synth.speak(utterance);
  });
}
