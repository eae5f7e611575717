// Shared set-up for the browser tests: a static server for the release build
// (served under a sub-path, with the SPA fallback a static host gives), and
// Debian's Chromium driven by playwright-core.
import { createServer } from 'node:http';
import { readFile, stat, mkdir } from 'node:fs/promises';
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
 * new service-worker version). Every request path is recorded in `seen`.
 */
export async function startServer({ pages = false } = {}) {
  const state = { rewrite: null, seen: [] };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    state.seen.push(url.pathname);
    if (!url.pathname.startsWith(BASE)) {
      res.writeHead(404).end('outside the site');
      return;
    }
    const rel = normalize(decodeURIComponent(url.pathname.slice(BASE.length))).replace(/^(\.\.[/\\])+/, '');
    let file = join(DIST, rel);
    let status = 200;
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    } catch {
      if (extname(rel)) {
        res.writeHead(404).end('not found');
        return;
      }
      [file, status] = pages ? [join(DIST, '404.html'), 404] : [join(DIST, 'index.html'), 200];
    }
    try {
      let body = await readFile(file);
      if (state.rewrite) body = state.rewrite(rel, body);
      res.writeHead(status, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
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

/** Waits until the wasm app has mounted (the boot message is gone). */
export async function waitForApp(page) {
  await page.waitForSelector('header.site-header', { timeout: 60_000 });
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
