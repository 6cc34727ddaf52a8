// The field page's service worker (issue 20), served as /lapangan/sw.js with scope /lapangan
// (web/field_pages.py fills in VERSION and SHELL). It keeps the page and its files, never the
// API: the day package and the outcome queue live in IndexedDB (static/field.js), and nothing
// with personal data goes into this cache.
//
// The page's files: the network first (a new release is seen as soon as there is signal),
// the cache when the network fails or has not answered in 3 s (a stop with poor signal). A new
// VERSION (any of the files changed) is a new worker: it fills its own cache, then the old one
// is deleted.
"use strict";

const VERSION = "__VERSION__";
const CACHE = "rekam-lapangan-" + VERSION;
const SHELL = __SHELL__;
const WAIT_MS = 3000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("rekam-lapangan-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !SHELL.includes(url.pathname)) {
    return; // the API and everything else: straight to the network, never kept
  }
  const path = url.pathname;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(path);
    const network = fetch(event.request).then((response) => {
      if (response.ok) { cache.put(path, response.clone()); }
      return response;
    });
    if (!cached) { return network; }
    const late = new Promise((resolve) => { setTimeout(() => resolve(cached), WAIT_MS); });
    return Promise.race([network.catch(() => cached), late]);
  })());
});
