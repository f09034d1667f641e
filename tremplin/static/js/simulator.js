// Simulator pages: without this file everything works (hints are printed under each field).
// It only moves the guided highlight to the field in use, scrolls to errors or the hint,
// and reads hints aloud with the browser's own voice. Nothing is shown or hidden here: a layout
// that moves under a finger makes a tap land on the wrong thing.
const site = document.querySelector(".sim-site form");
const alertBox = document.getElementById("sim-alert");

function bubbles() { return document.querySelectorAll("[data-sim-hint]"); }

function focusOn(wrapper) {
  if (!wrapper) return;
  for (const el of document.querySelectorAll(".sim-target")) el.classList.remove("sim-target");
  const button = wrapper.matches("[data-sim-action]") ? wrapper : null;
  wrapper.classList.add("sim-target");
  const id = button ? button.dataset.simAction : wrapper.dataset.simField;
  for (const b of bubbles()) b.classList.toggle("sim-bubble-quiet", b.dataset.simHint !== id);
}

if (site) {
  const guided = site.dataset.mode === "guided";
  const current = document.querySelector(".sim-target");
  if (guided && current) {
    focusOn(current);
    site.addEventListener("focusin", (event) => {
      const wrapper = event.target.closest("[data-sim-field]") || event.target.closest("[data-sim-action]");
      if (wrapper && document.getElementById("hint-" + (wrapper.dataset.simField || wrapper.dataset.simAction))) {
        focusOn(wrapper);
      }
    });
  }
  if (alertBox) {
    alertBox.focus();
  } else if (current && (guided || document.querySelector(".sim-bubble"))) {
    current.scrollIntoView({ block: "center" });
  }
}

const synth = window.speechSynthesis;
for (const button of document.querySelectorAll(".sim-listen[data-listen]")) {
  if (!synth) break;
  const target = document.getElementById(button.dataset.listen);
  if (!target) continue;
  const label = button.querySelector("span:last-child");
  const idle = label.textContent;
  button.hidden = false;
  button.addEventListener("click", () => {
    if (synth.speaking) { synth.cancel(); return; }
    const utterance = new SpeechSynthesisUtterance(target.textContent);
    utterance.lang = "fr-FR";
    utterance.rate = 0.9;
    utterance.onend = utterance.onerror = () => { label.textContent = idle; button.setAttribute("aria-pressed", "false"); };
    label.textContent = button.dataset.stop;
    button.setAttribute("aria-pressed", "true");
    synth.speak(utterance);
  });
}
