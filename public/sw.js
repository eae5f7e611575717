// Compression Lab's service worker: the site works offline after one visit.
// scripts/post-build.mjs fills in VERSION (a hash of every built file) and
// SHELL (the files the first page needs) and writes this file to dist/.
//
// - install: the app shell (HTML, app wasm + JS, CSS, icon, manifest) is
//   cached. A new version then waits: the page shows "a new version is
//   ready" and sends "skip-waiting" when the visitor chooses to reload (never
//   under a training run). Until then the old version serves the open pages.
// - fetch: pages are fetched from the network, falling back to the cached
//   shell offline (every route is the same single-page app); every other file
//   of the site (the engine, models, data shards, fonts) is served from the
//   cache, or fetched once and cached.
// - activate: caches of other versions are deleted, so an update replaces the
//   cache cleanly. Every file the page or engine fetches has a versioned name
//   (Trunk's hashes, and scripts/post-build.mjs's for the engine, models and
//   data), so an open page never mixes its files with a newer build's.
const VERSION = '__VERSION__';
const SHELL = __SHELL__;
const PREFIX = 'compression-lab-';
const CACHE = PREFIX + VERSION;
const BASE = new URL('./', self.location).pathname;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((c) => c.addAll(SHELL.map((f) => BASE + f))),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function fromCacheOrNetwork(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}

async function page(request) {
  try {
    return await fetch(request);
  } catch (err) {
    const shell = await caches.match(BASE + 'index.html', { cacheName: CACHE });
    if (shell) return shell;
    throw err;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || request.headers.has('range')) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(BASE)) return;
  if (url.pathname === BASE + 'sw.js') return;
  event.respondWith(request.mode === 'navigate' ? page(request) : fromCacheOrNetwork(request));
});
