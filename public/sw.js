// Compression Lab's service worker: the site works offline after one visit.
// scripts/post-build.mjs fills in VERSION (a hash of every built file) and
// SHELL (the files the first page needs) and writes this file to dist/; each
// page carries the same VERSION in <meta name="compression-lab-build">.
//
// - install: the app shell (HTML, app wasm + JS, CSS, icon, manifest) is
//   cached, fetched past the HTTP cache (`cache: 'reload'`) so a stale copy
//   never enters it. A new version then waits: the page shows "a new version
//   is ready" and sends "skip-waiting" when the visitor chooses to reload
//   (never under a training run). Until then the old version serves the pages.
// - fetch: pages are fetched from the network, falling back to the cached
//   shell offline (every route is the same single-page app); every other file
//   of the site (the engine, models, data shards, fonts) is served from this
//   version's cache, else from an older version's (a tab still running that
//   build), else fetched once and cached.
// - several tabs: a new version, once one tab takes it, controls them all. Each
//   page says which build it runs ("running"), so the caches of builds that an
//   open tab still runs are kept until no tab runs them; every file such a
//   tab fetched stays served. A file it never fetched is gone from the server
//   after a deploy: the worker tells the open pages ("missing"), and a page of
//   another build asks its visitor to reload instead of failing on a 404.
const VERSION = '__VERSION__';
const SHELL = __SHELL__;
const PREFIX = 'compression-lab-';
const CACHE = PREFIX + VERSION;
const BASE = new URL('./', self.location).pathname;
// Which build each open page runs (client id → version), kept in a cache of
// its own so a worker that the browser stopped and restarted still knows.
const CLIENTS = PREFIX + 'clients';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((c) => c.addAll(SHELL.map((f) => new Request(BASE + f, { cache: 'reload' })))),
  );
});

// One change to the clients' record at a time.
let queue = Promise.resolve();
function serially(job) {
  queue = queue.then(job, job);
  return queue;
}

/** The builds that open pages run: this one, and any a live page said it runs. */
async function running(update) {
  const meta = await caches.open(CLIENTS);
  const saved = await meta.match('running');
  const all = saved ? await saved.json() : {};
  if (update) all[update.id] = update.version;
  const live = new Set((await self.clients.matchAll({ type: 'window', includeUncontrolled: true })).map((c) => c.id));
  const kept = Object.fromEntries(Object.entries(all).filter(([id]) => live.has(id)));
  await meta.put('running', new Response(JSON.stringify(kept), { headers: { 'content-type': 'application/json' } }));
  return new Set([VERSION, ...Object.values(kept)]);
}

/** Deletes the caches of builds that no open page runs. */
function prune(update) {
  return serially(async () => {
    const keep = await running(update);
    const keys = await caches.keys();
    await Promise.all(
      keys
        .filter((k) => k.startsWith(PREFIX) && k !== CLIENTS && !keep.has(k.slice(PREFIX.length)))
        .map((k) => caches.delete(k)),
    );
  });
}

self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data) return;
  if (data.type === 'skip-waiting') self.skipWaiting();
  if (data.type === 'running' && event.source && typeof data.version === 'string') {
    event.waitUntil(prune({ id: event.source.id, version: data.version }));
  }
});

self.addEventListener('activate', (event) => {
  event.waitUntil(prune().then(() => self.clients.claim()));
});

/** Tells the open pages that a file of the site is gone from the server. */
async function missing(url) {
  for (const c of await self.clients.matchAll({ type: 'window' })) {
    c.postMessage({ type: 'missing', version: VERSION, url });
  }
}

async function fromCacheOrNetwork(request) {
  const cache = await caches.open(CACHE);
  const hit = (await cache.match(request)) ?? (await caches.match(request));
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  if (response.status === 404) await missing(request.url);
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
