// Tremplin's service worker (ADR 0018, docs/areas/offline.md), served as /apprendre/sw.js by
// tremplin/learner/views_offline.py, which puts self.TREMPLIN = {version, offline} before this text.
// It downloads nothing by itself. It keeps the learner pages visited (network first, the kept copy when the
// network fails), static files and illustrations (kept once fetched), and it owns the queue of what was done
// offline (IndexedDB « tremplin »): offline.js adds to it, this sends it to /api/sync/ per learner.
const T = self.TREMPLIN || { version: "dev", offline: "Pas d'internet." };
const PAGES = "tremplin-pages";
const STATIC = "tremplin-static-" + T.version;
const SCOPE = new URL(self.registration.scope).pathname;
const PRIVATE = /\/(mon-compte|mon-cv)\/|\.pdf$/; // pages with personal data are never kept
const HASHED = /\/(images|ecouter)\//;
const ANY = { ignoreVary: true };

// No clients.claim(): the page that registered the worker stays as it came, from the network; the next ones go
// through the worker.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil((async () => {
  for (const name of await caches.keys()) {
    if (name.startsWith("tremplin-static-") && name !== STATIC) await caches.delete(name);
  }
})()));

// Keeps a copy (the 200 most recent pages at most); the clone is taken before the page reads the body.
async function keep(name, request, response) {
  if (response.status !== 200 || response.redirected || response.type !== "basic") return;
  const copy = response.clone();
  try {
    const cache = await caches.open(name);
    await cache.put(request, copy);
    if (name === PAGES) for (const old of (await cache.keys()).slice(0, -200)) await cache.delete(old);
  } catch { /* full or private mode: the page still came */ }
}

async function networkFirst(event, request, path) {
  try {
    const response = await fetch(request);
    if (!PRIVATE.test(path)) event.waitUntil(keep(PAGES, request, response));
    return response;
  } catch {
    const pages = await caches.open(PAGES);
    const kept = (await pages.match(request, ANY)) || (await caches.match(request, ANY));
    return kept || new Response(T.offline, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
}

async function cacheFirst(event, request, name) {
  const kept = await caches.match(request, ANY);
  if (kept) return kept;
  try {
    const response = await fetch(request);
    if (name) event.waitUntil(keep(name, request, response));
    return response;
  } catch {
    return new Response("", { status: 504 }); // offline and not kept: the page falls back (« Écouter »: the phone's voice)
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (path.startsWith("/static/")) event.respondWith(cacheFirst(event, request, STATIC));
  else if (path.startsWith(SCOPE) && HASHED.test(path)) {
    // Sounds are kept only by a download (a sound fetched for « Écouter » arrives in pieces).
    event.respondWith(cacheFirst(event, request, request.destination === "image" ? PAGES : null));
  } else if (path.startsWith(SCOPE) && (request.mode === "navigate" || path.endsWith(".json"))) {
    event.respondWith(networkFirst(event, request, path));
  }
});

// The queue ---------------------------------------------------------------------------------------------
function db() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("tremplin", 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore("queue", { keyPath: "id" });
      open.result.createObjectStore("meta");
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

// Runs fn(store) in one transaction; resolves to the result of the request fn returns, once written.
async function store(name, mode, fn) {
  const base = await db();
  return new Promise((resolve, reject) => {
    const tx = base.transaction(name, mode);
    const request = fn(tx.objectStore(name));
    tx.oncomplete = () => { base.close(); resolve(request && request.result); };
    tx.onerror = tx.onabort = () => { base.close(); reject(tx.error); };
  });
}

const queued = () => store("queue", "readonly", (s) => s.getAll());
const meta = (key) => store("meta", "readonly", (s) => s.get(key));
const metaSet = (key, value) => store("meta", "readwrite", (s) => s.put(value, key));

async function status(learner) {
  if (!learner) return { learner, waiting: 0, modules: {} };
  const mine = (await queued()).filter((item) => item.learner === learner);
  const modules = {};
  for (const item of mine) modules[item.module] = (modules[item.module] || 0) + 1;
  return { learner, waiting: mine.length, modules, sent: await meta("sent:" + learner) };
}

// The person signed in on this phone: the key of the last learner page that came from the network (a page kept
// on the phone may be another person's). Another person: the pages kept for the one before go.
async function who(data) {
  const before = (await meta("who")) || { learner: "" };
  if (!data.live) return before;
  if (before.learner !== data.learner) await caches.delete(PAGES);
  const now = { learner: data.learner || "", csrf: data.csrf };
  await metaSet("who", now);
  const former = now.learner && data.former ? data.former.split(" ") : [];
  if (former.length) {
    // A guest who joined this account on this phone (the page from the network says so): their queue is its.
    await store("queue", "readwrite", (s) => {
      s.openCursor().onsuccess = (event) => {
        const cursor = event.target.result;
        if (!cursor) return;
        if (former.includes(cursor.value.learner)) cursor.update({ ...cursor.value, learner: now.learner });
        cursor.continue();
      };
    });
  }
  return now;
}

let sending = Promise.resolve();

// Sends the queue of one learner (the one signed in on the page that asked, or the last one seen), in batches,
// oldest first. Kept on the device: everything when signed out (401), another learner's (409), on an error.
function sync() {
  sending = sending.then(async () => {
    const who = await meta("who");
    if (!who || !who.learner) return;
    const mine = (await queued()).filter((item) => item.learner === who.learner)
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.n - b.n));
    for (let i = 0; i < mine.length; i += 200) {
      const events = mine.slice(i, i + 200).map(({ learner, n, ...event }) => event);
      const response = await fetch("/api/sync/", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": who.csrf || "" },
        body: JSON.stringify({ learner: who.learner, events }),
      });
      if (response.status !== 200) return;
      // stored, duplicate (sent before) or rejected (the server will never take it): done with, on the device.
      const done = (await response.json()).results.map((r) => r.id);
      await store("queue", "readwrite", (s) => { for (const id of done) s.delete(id); });
      await metaSet("sent:" + who.learner, new Date().toISOString());
    }
  }).catch(() => {}).then(async () => {
    for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage({ type: "synced" });
  });
  return sending;
}

self.addEventListener("sync", (event) => { if (event.tag === "tremplin-sync") event.waitUntil(sync()); });

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const reply = (value) => event.ports[0] && event.ports[0].postMessage(value);
  let work;
  if (data.type === "queue") {
    // Tagged with the learner signed in on this phone; nobody signed in: nothing can be sent, nothing is kept.
    work = who({}).then(async ({ learner }) => {
      if (!learner) return false;
      await store("queue", "readwrite", (s) => s.put({ ...data.item, learner }));
      if (data.doing !== undefined) await metaSet("doing:" + data.item.module, data.doing);
      if (self.registration.sync) await self.registration.sync.register("tremplin-sync").catch(() => {});
      return true;
    });
  } else if (data.type === "status") {
    work = who(data).then(async (now) => {
      if (data.sync && now.learner) await sync();
      return status(now.learner);
    });
  } else if (data.type === "doing") {
    work = data.set === undefined ? meta("doing:" + data.module) : metaSet("doing:" + data.module, data.set);
  } else return;
  event.waitUntil(work.then(reply, () => reply(null)));
});
