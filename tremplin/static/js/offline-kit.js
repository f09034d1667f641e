// « Disponible sans internet » and learning without network (ADR 0018, docs/areas/offline.md). Loaded by
// offline.js only when a learner taps the button, opens a downloaded module, or answers a step offline.
// A module is kept in a cache named « tremplin-module:<slug>:<content_version> » holding every URL of its
// download manifest (GET /api/modules/<slug>/manifest), the files its pages link, and the manifest itself
// (the quiz answers and the feedback the server shows). A track: each of its modules, plus its own page.
const TEXTS = "/apprendre/hors-ligne/textes.json";
const FILES = /"(\/(?:static|apprendre\/images)\/[^"]+)"/g;
const manifestUrl = (kind, slug) => `/api/${kind}s/${slug}/manifest`;
const prefix = (kind, slug) => `tremplin-${kind}:${slug}:`;
const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_, k) => values[k]);

let said;
export const texts = () => (said ||= fetch(TEXTS).then((r) => r.json()));

function size(t, bytes) {
  if (bytes < 1e6) return fill(t.ko, { n: Math.max(1, Math.round(bytes / 1e3)) });
  return fill(t.mo, { n: (bytes / 1e6).toLocaleString("fr-FR", { maximumFractionDigits: 1 }) });
}

async function json(url) {
  const response = await fetch(url, { cache: "no-store", credentials: "same-origin" });
  if (!response.ok) throw Object.assign(new Error(url), { status: response.status });
  return response.json();
}

async function kept(kind, slug) {
  const name = (await caches.keys()).find((n) => n.startsWith(prefix(kind, slug)));
  if (!name) return null;
  const response = await (await caches.open(name)).match(manifestUrl(kind, slug));
  return response ? { name, manifest: await response.json() } : null;
}

// Fetches every URL into a new cache; the manifest goes in last (a cache without it is a download cut short).
async function save(kind, manifest, urls, progress, quiet) {
  const name = prefix(kind, manifest.slug) + manifest.content_version;
  await caches.delete(name);
  const cache = await caches.open(name);
  try {
    const all = [...new Set(urls)].filter((url) => !(quiet && url.includes("/ecouter/")));
    for (let i = 0; i < all.length; i += 1) {
      const url = all[i];
      const response = await fetch(url, { cache: "no-cache", credentials: "same-origin" });
      if (!response.ok || response.redirected) {
        if (url.includes("/ecouter/")) continue; // no server voice: « Écouter » uses the phone's own
        throw new Error(url);
      }
      if ((response.headers.get("Content-Type") || "").startsWith("text/html")) {
        for (const [, file] of (await response.clone().text()).matchAll(FILES)) {
          if (!all.includes(file)) all.push(file);
        }
      }
      await cache.put(url, response);
      progress(i + 1, all.length);
    }
    await cache.put(manifestUrl(kind, manifest.slug), new Response(JSON.stringify(manifest),
      { headers: { "Content-Type": "application/json" } }));
  } catch (error) {
    await caches.delete(name);
    throw error;
  }
  for (const old of await caches.keys()) {
    if (old.startsWith(prefix(kind, manifest.slug)) && old !== name) await caches.delete(old);
  }
}

// quiet: without the « Écouter » sounds (most of the weight); offline, the phone's own voice reads instead.
async function download(kind, manifest, progress, quiet) {
  const extra = [TEXTS, document.querySelector("script[data-kit]").dataset.kit];
  if (kind === "module") return save(kind, manifest, [...manifest.urls, ...extra], progress, quiet);
  const slugs = Object.keys(manifest.modules || {});
  for (const [i, slug] of slugs.entries()) {
    const module = await json(manifestUrl("module", slug));
    await save("module", module, [...module.urls, ...extra], () => {}, quiet);
    progress(i + 1, slugs.length); // « Téléchargement… 3 sur 11 »: modules of the track
  }
  return save(kind, manifest, [location.pathname, ...extra], () => {});
}

async function remove(kind, slug, manifest) {
  const slugs = kind === "track" && manifest ? Object.keys(manifest.modules || {}) : [];
  for (const name of await caches.keys()) {
    if (name.startsWith(prefix(kind, slug)) || slugs.some((s) => name.startsWith(prefix("module", s)))) {
      await caches.delete(name);
    }
  }
}

// The box of a module or track page: size first, then the download on a second tap; « Supprimer du téléphone ».
export async function box(section, context, tapped) {
  const t = await texts();
  const { offline: kind, slug } = section.dataset;
  const [get, drop] = section.querySelectorAll("button");
  const note = section.querySelector("[role=status]");
  const label = get.textContent;
  const lighter = Object.assign(get.cloneNode(), { hidden: true });
  get.after(lighter);
  let offer = null;
  let busy = false;
  const show = async () => {
    const here = await kept(kind, slug);
    get.hidden = !!here;
    lighter.hidden = !!here || !offer || !offer.audio_bytes;
    drop.hidden = !here;
    return here;
  };
  const tap = async (quiet) => {
    if (busy) return;
    busy = true; // not `disabled`: the button keeps the focus
    get.setAttribute("aria-disabled", "true");
    try {
      if (!offer) {
        offer = await json(manifestUrl(kind, slug));
        const audio = offer.audio_bytes || 0;
        note.textContent = fill(audio ? t.ask_audio : t.ask, { size: size(t, offer.bytes), audio: size(t, audio) });
        get.textContent = fill(t.get, { size: size(t, offer.bytes) });
        lighter.textContent = fill(t.get_quiet, { size: size(t, offer.bytes - audio) });
        return;
      }
      await download(kind, offer, (done, total) => { note.textContent = fill(t.getting, { done, total }); }, quiet === true);
      note.textContent = t.ready;
      get.textContent = label;
      offer = null;
    } catch (error) {
      note.textContent = [401, 403].includes(error.status) ? t.signed_out : t.failed;
      get.textContent = label;
      offer = null;
    } finally {
      busy = false;
      get.removeAttribute("aria-disabled");
      if (await show()) drop.focus();
    }
  };
  get.addEventListener("click", () => tap(false));
  lighter.addEventListener("click", () => tap(true));
  drop.addEventListener("click", async () => {
    await remove(kind, slug, (await kept(kind, slug) || {}).manifest);
    note.textContent = t.removed;
    await show();
    get.focus();
  });
  const here = await show();
  if (tapped) await tap();
  else if (here && kind === "module" && navigator.onLine) await refreshRelease(here, section, context, t, note);
}

// A new content release: downloaded again only when nothing of this module waits to be sent and the learner is not
// in the middle of it (on the phone or on the server); until then the old copy stays, whole.
async function refreshRelease(here, section, context, t, note) {
  const slug = here.manifest.slug;
  let current;
  try { current = await json(manifestUrl("module", slug)); } catch { return; }
  if (current.content_version === here.manifest.content_version) return;
  const state = (await context.ask({ type: "status" })) || { modules: {} };
  const doing = await context.ask({ type: "doing", module: slug });
  if (state.modules[slug] || doing || section.dataset.progress === "in_progress") return;
  try {
    await download("module", current, () => {});
    note.textContent = t.updated;
  } catch { /* the old copy stays */ }
}

function message(where, text) {
  let line = document.getElementById("offline-error");
  if (!line) {
    line = Object.assign(document.createElement("p"), { id: "offline-error", className: "notice notice-bad" });
    line.setAttribute("role", "alert");
    where.before(line);
  }
  line.textContent = text;
}

// What the learner answered, as the page's form holds it, checked as the server does (catalog/answers.py).
function read(form, key, t) {
  const data = new FormData(form);
  if (key.kind === "order") {
    const ranks = key.correct.map((_, i) => data.get(`rank_${i}`) || "");
    if (ranks.includes("")) return { error: t.rank_all };
    if (new Set(ranks).size !== ranks.length) return { error: t.rank_once };
    return { ranks, right: ranks.every((r, i) => Number(r) === key.correct[i]) };
  }
  const choices = data.getAll("choice").map(String);
  if (!choices.length) return { error: key.kind === "multiple" ? t.pick_many : t.pick_one };
  const picked = [...new Set(choices.map(Number))].sort((a, b) => a - b);
  const right = key.kind === "multiple"
    ? picked.length === key.correct.length && [...key.correct].sort((a, b) => a - b).every((c, i) => c === picked[i])
    : picked.length === 1 && key.correct.includes(picked[0]);
  return { choices, right };
}

function nextForm(form, t, last) {
  const next = document.createElement("form");
  next.method = "post";
  const token = form.querySelector("[name=csrfmiddlewaretoken]");
  if (token) next.append(token.cloneNode());
  for (const [name, value] of [["event_id", crypto.randomUUID()], ["action", "next"]]) {
    next.append(Object.assign(document.createElement("input"), { type: "hidden", name, value }));
  }
  next.append(Object.assign(document.createElement("button"), { type: "submit", textContent: `${last ? t.finish : t.next} →` }));
  return next;
}

// A step form sent without network: kept in the queue, answered on the page from the downloaded module.
export async function submit(form, context) {
  const t = await texts();
  const head = document.getElementById("step-count");
  const { module, step, version } = head.dataset;
  const bar = document.querySelector("progress");
  const number = Number(bar.value);
  const last = number >= Number(bar.max);
  const here = await kept("module", module);
  if (!here) return message(form, t.not_here);
  const item = { id: crypto.randomUUID(), module, step, content_version: version, at: new Date().toISOString(),
    n: performance.timeOrigin + performance.now() };
  const actions = document.querySelector(".actions");
  if (new FormData(form).get("action") === "answer") {
    const key = here.manifest.answers[step];
    const answer = read(form, key, t);
    if (answer.error) return message(form, answer.error);
    const queued = await context.ask({ type: "queue", doing: true,
      item: { ...item, kind: "answer", choices: answer.choices, ranks: answer.ranks } });
    const title = Object.assign(document.createElement("p"), { className: "step-body" });
    title.append(Object.assign(document.createElement("strong"), { textContent: form.querySelector("legend").textContent }));
    const notice = Object.assign(document.createElement("div"), { className: `notice notice-${answer.right ? "ok" : "bad"}` });
    notice.setAttribute("role", "alert");
    const verdict = document.createElement("p");
    verdict.append(Object.assign(document.createElement("strong"), { textContent: answer.right ? key.feedback.right : key.feedback.wrong }));
    notice.append(verdict, Object.assign(document.createElement("p"), { textContent: key.feedback.explanation }));
    document.getElementById("offline-error")?.remove();
    form.replaceWith(title, notice);
    if (!answer.right) {
      actions.append(Object.assign(document.createElement("a"), { className: "btn btn-secondary", href: location.pathname, textContent: t.retry }));
    }
    actions.append(nextForm(form, t, last));
    if (!queued) message(actions, t.not_kept);
  } else {
    const queued = await context.ask({ type: "queue", item: { ...item, kind: "advance" }, doing: !last });
    if (!last) {
      location.assign(location.pathname.replace(/\d+\/$/, `${number + 1}/`));
      return;
    }
    const done = Object.assign(document.createElement("div"), { className: "notice notice-ok" });
    done.setAttribute("role", "alert");
    done.append(Object.assign(document.createElement("p"), { textContent: queued ? t.done : t.not_kept }));
    const back = head.querySelector("a").cloneNode(true);
    back.className = "btn";
    actions.replaceChildren(done, back);
  }
  await context.refresh(false);
}
