// Offline, on every learner page (ADR 0018, docs/areas/offline.md; counts in the first visit: keep it small).
// The rest is offline-kit.js, loaded only when needed.
const sw = navigator.serviceWorker;
const me = document.querySelector("script[data-kit]");
const key = document.querySelector('meta[name="tremplin-learner"]') || { dataset: {} };
const learner = key.content || "", former = key.dataset.former; // (former: guests who joined, sw.js)
const step = document.getElementById("step-count");
// Loaded offline: a kept copy, its learner key may be old.
const live = navigator.onLine;
let kitting;
const kit = () => (kitting ||= import(me.dataset.kit));

// A question to the worker (it does not control the page that registered it).
export async function ask(message) {
  const registration = await sw.getRegistration("/apprendre/");
  const worker = registration && registration.active;
  if (!worker) return null;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    worker.postMessage(message, [channel.port2]);
  });
}

function csrf() {
  const cookie = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  return cookie ? cookie[1] : (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value || "";
}

// « En attente d'envoi : 3 réponses » / « Envoyé à 10 h 42 »; one update at a time.
let refreshing = Promise.resolve();
export function refresh(send) {
  return (refreshing = refreshing.then(() => update(send)).catch(() => {}));
}

async function update(send) {
  const state = await ask({ type: "status", learner, former, csrf: csrf(), live, sync: !!send && navigator.onLine });
  if (!state || !state.learner) return;
  const sent = state.sent && Date.now() - Date.parse(state.sent) < 12 * 3600e3 ? new Date(state.sent) : null;
  let line = document.getElementById("offline-status");
  if (!state.waiting && !sent && !line) return;
  const t = await (await kit()).texts();
  if (!line) {
    line = Object.assign(document.createElement("p"), { id: "offline-status", className: "notice" });
    line.setAttribute("role", "status");
    document.querySelector("main").prepend(line);
  }
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_, k) => values[k]);
  line.textContent = state.waiting
    ? fill(state.waiting > 1 ? t.waiting_many : t.waiting_one, { n: state.waiting })
    : fill(t.sent, { time: `${sent.getHours()} h ${String(sent.getMinutes()).padStart(2, "0")}` });
}

if (sw && window.caches && me) {
  // The worker comes with the second learner page (or « Disponible sans internet »): not in a first visit's weight.
  // Once active, the worker learns who is signed in (the status message), even on the page that registered it.
  const register = () => sw.register("/apprendre/sw.js", { scope: "/apprendre/" })
    .then(() => sw.ready).then(() => refresh(true)).catch(() => {});
  addEventListener("load", () => {
    if (localStorage.getItem("tremplin-sw")) register();
    else localStorage.setItem("tremplin-sw", "1");
    refresh(true);
    // A step opened online: the server follows this module, not the phone.
    if (step && live) ask({ type: "doing", module: step.dataset.module, set: false });
  });
  addEventListener("online", () => refresh(true));
  sw.addEventListener("message", (event) => { if (event.data && event.data.type === "synced") refresh(false); });
  const context = { ask, refresh };
  // « Disponible sans internet » on a module or track page.
  for (const box of document.querySelectorAll("[data-offline]")) {
    box.hidden = false;
    caches.keys().then((names) => {
      if (names.some((n) => n.startsWith(`tremplin-${box.dataset.offline}:${box.dataset.slug}:`))) {
        kit().then((k) => k.box(box, context));
      } else {
        box.querySelector("button").addEventListener("click", () => {
          register();
          kit().then((k) => k.box(box, context, true));
        }, { once: true });
      }
    });
  }
  // A step's forms, offline: answered from the downloaded module, queued.
  if (step) {
    document.addEventListener("submit", (event) => {
      if (navigator.onLine || !sw.controller || !event.target.querySelector("[name=event_id]")) return;
      event.preventDefault();
      kit().then((k) => k.submit(event.target, context));
    });
  }
}
