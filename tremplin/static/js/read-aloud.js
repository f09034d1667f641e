// "Écouter": reads the step aloud with the browser's own voice. Without support, the button stays hidden.
const synth = window.speechSynthesis;
for (const button of document.querySelectorAll("[data-listen]")) {
  if (!synth) continue;
  const target = document.getElementById(button.dataset.listen);
  if (!target) continue;
  const label = button.querySelector("span:last-child");
  const idle = label.textContent;
  button.hidden = false;
  button.addEventListener("click", () => {
    if (synth.speaking) { synth.cancel(); return; }
    const utterance = new SpeechSynthesisUtterance(target.innerText);
    utterance.lang = "fr-FR";
    utterance.rate = 0.9;
    utterance.onend = utterance.onerror = () => { label.textContent = idle; button.setAttribute("aria-pressed", "false"); };
    label.textContent = button.dataset.stop;
    button.setAttribute("aria-pressed", "true");
    synth.speak(utterance);
  });
}
