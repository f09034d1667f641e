// Simulator pages: without this file everything works (hints are printed under each field).
// It only moves the guided highlight to the field in use and scrolls to errors or the hint;
// read-aloud.js reads hints aloud, as on lesson steps. Nothing is shown or hidden here: a layout
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
