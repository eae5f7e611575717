// Shared set-up for the browser tests: a static server for the release build
// (served under a sub-path, with the SPA fallback a static host gives), and
// Debian's Chromium driven by playwright-core.
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { readFile, stat, mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const DIST = join(ROOT, 'dist');
export const OUT = join(ROOT, 'tests/browser/out');
export const BASE = process.env.TEST_PUBLIC_URL ?? '/compression-lab/';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
};

/**
 * Serves DIST under BASE on 127.0.0.1; unknown extension-less paths get
 * index.html — or, with `pages: true`, 404.html with status 404, as GitHub
 * Pages does. `rewrite(path, body)` may change a file as it is served (e.g. a
 * new service-worker version); setting `state.dist` deploys another build.
 * Every request path is recorded in `seen`.
 */
export async function startServer({ pages = false, gzip = false } = {}) {
  const state = { rewrite: null, seen: [], dist: DIST };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    state.seen.push(url.pathname);
    if (!url.pathname.startsWith(BASE)) {
      res.writeHead(404).end('outside the site');
      return;
    }
    const rel = normalize(decodeURIComponent(url.pathname.slice(BASE.length))).replace(/^(\.\.[/\\])+/, '');
    let file = join(state.dist, rel);
    let status = 200;
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    } catch {
      if (extname(rel)) {
        res.writeHead(404).end('not found');
        return;
      }
      // A route's own page (`tour.html` for `/tour`), as GitHub Pages serves it;
      // else the single-page-app fallback.
      const page = rel === '.' ? 'index.html' : `${rel}.html`;
      const own = await stat(join(state.dist, page)).then((s) => s.isFile(), () => false);
      if (own) file = join(state.dist, page);
      else [file, status] = pages ? [join(state.dist, '404.html'), 404] : [join(state.dist, 'index.html'), 200];
    }
    try {
      let body = await readFile(file);
      if (state.rewrite) body = state.rewrite(rel, body);
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
      // As GitHub Pages serves text and wasm: gzip'd when the browser asks.
      if (gzip && /\.(html|js|mjs|wasm|css|svg|json)$/.test(file) && /gzip/.test(req.headers['accept-encoding'] ?? '')) {
        body = gzipSync(body, { level: 6 });
        headers['content-encoding'] = 'gzip';
      }
      res.writeHead(status, headers);
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    server,
    origin,
    state,
    url: (path = '') => origin + BASE + path.replace(/^\//, ''),
  };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

/** Launches Debian's Chromium headless (Playwright gives it a fresh profile). */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/**
 * Opens a page that records console errors and uncaught exceptions, so a test
 * can assert that none happened.
 */
export async function openPage(browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  return { context, page, problems };
}

/**
 * A fresh /train page whose engine runs on `backend` ('WebGPU', the default, or 'CPU'),
 * for the benchmark and the profiler (long timeouts: training is slow on SwiftShader).
 */
export async function openTrainPage(browser, srv, backend) {
  const { page, context } = await openPage(browser);
  page.setDefaultTimeout(600_000);
  await page.goto(srv.url('train'));
  await waitForApp(page);
  await page.waitForFunction(() => /Running on/.test(document.querySelector('#engine-state')?.textContent));
  if (backend === 'CPU') {
    await page.getByRole('radio', { name: 'CPU' }).check();
    await page.waitForFunction(() => /Running on CPU/.test(document.querySelector('#engine-state')?.textContent));
  }
  return { page, context };
}

/** Starts one epoch of `arch` in batches of 32 on an open /train page. */
export async function startRun(page, arch) {
  await page.getByLabel('Model', { exact: true }).selectOption(arch);
  await page.getByLabel('Epochs').fill('1');
  await page.getByLabel('Batch size').selectOption('32');
  await page.getByRole('button', { name: 'Start' }).click();
}

/** Waits until the training page's progress line has reached step `k`. */
export function untilStep(page, k) {
  // Polled every 250 ms, not every frame: on a 2-core machine a poll per frame
  // takes a share of the cores the engine trains on.
  return page.waitForFunction((k) => {
    const m = document.querySelector('#train-progress')?.textContent.match(/step (\d+)\//);
    return m && Number(m[1]) >= k;
  }, k, { polling: 250 });
}

/**
 * Waits until the wasm app has mounted: the route's static HTML (`#boot`,
 * which has the same header) is gone and the app's header is there.
 */
export async function waitForApp(page) {
  await page.waitForFunction(() => !document.getElementById('boot') && document.querySelector('header.site-header'), null, {
    timeout: 60_000,
  });
}

export async function screenshot(page, name) {
  await mkdir(OUT, { recursive: true });
  // Generous: a page busy with the software WebGPU adapter paints slowly.
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true, timeout: 90_000 });
}

/**
 * Starts the server and Chromium before a test file's tests and stops them
 * after: `const env = useBrowser();` then `env.srv`, `env.browser` in tests.
 */
export function useBrowser() {
  const env = {};
  before(async () => {
    env.srv = await startServer();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    env.srv?.server.close();
  });
  return env;
}

/** The versioned-name map scripts/post-build.mjs writes into a build's index.html. */
export function assetsOf(html) {
  const json = html.match(/<script type="application\/json" id="assets">(.*?)<\/script>/)?.[1];
  if (!json) throw new Error('no assets map in index.html');
  return JSON.parse(json);
}

/** The path in dist/ of a file by its plain name (`models/x.clz` → `models/x-<hash>.clz`). */
export function distFile(name, dist = DIST) {
  const assets = assetsOf(readFileSync(join(dist, 'index.html'), 'utf8'));
  if (!assets[name]) throw new Error(`${name} is not in the build's assets map`);
  return join(dist, assets[name]);
}

/** A versioned URL or file name back to its plain name (drops `-<16 hex>`). */
export const plainName = (u) => u.split('/').pop().replace(/-[0-9a-f]{16}(?=\.[a-z]+$)/, '');

/** Clicks `button` and returns the bytes of the file the page saves. */
export async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return readFile(await file.path());
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) → rows of fields. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else if (c !== '\r') cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

/** Presses "Copy link" (clipboard allowed for the site) and returns what reached the clipboard. */
export async function copyLink(page, origin) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  await page.getByRole('button', { name: 'Copy link' }).click();
  await page.getByText('Link copied: it opens this page with these settings.').waitFor();
  return page.evaluate(() => navigator.clipboard.readText());
}
