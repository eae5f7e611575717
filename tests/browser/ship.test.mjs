// Shipping checks: the GitHub Pages fallback under a sub-path, offline use
// through the service worker and its clean update, the Content-Security-Policy,
// no request leaving the origin, axe-core on every page, keyboard use, phone
// width, and the landing page's load budget (printed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startServer, launch, openPage, waitForApp, screenshot, BASE, DIST } from './harness.mjs';
import { png } from './images.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

// Every page of the site, with a heading that shows it rendered.
const PAGES = [
  ['', /compressed program/],
  ['tour', /every claim checked/],
  ['losses', /loss/i],
  ['optimizers', /Optimizers/],
  ['train', /Train/],
  ['compress', /Compress/],
  ['theorem', /exact law/],
  ['classify', /Classify/],
  ['no/such/page', /Page not found/],
];

/** Landing-page budget: gzip bytes of everything the first page fetches. */
const LANDING_GZIP_BUDGET = 640 * 1024;

let srv;
let browser;
before(async () => {
  srv = await startServer({ pages: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  srv?.server.close();
});

test('GitHub Pages layout: deep links and reloads load through 404.html, with the CSP in force', async () => {
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  assert.equal(await readFile(join(DIST, '404.html'), 'utf8'), html);
  const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
  assert.ok(csp, 'CSP meta');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(csp, /'unsafe-eval'|script-src[^;]*unsafe-inline|\*/);
  const { page, problems, context } = await openPage(browser);
  const violations = [];
  await page.exposeFunction('reportCsp', (v) => violations.push(v));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => window.reportCsp(`${e.violatedDirective} ${e.blockedURI}`)),
  );
  for (const [path, heading] of PAGES) {
    const res = await page.goto(srv.url(path));
    assert.equal(res.status(), path === '' ? 200 : 404, path);
    await waitForApp(page);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  }
  await page.goto(srv.url('theorem'));
  await page.reload();
  await page.getByRole('heading', { level: 1, name: /exact law/ }).waitFor();
  assert.deepEqual(violations, []);
  assert.deepEqual(problems.filter((p) => !/status of 404/.test(p)), []);
  await context.close();
});

test('no request leaves the origin on any page', async () => {
  const { page, context } = await openPage(browser);
  const outside = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(srv.origin) && !u.startsWith('data:') && !u.startsWith('blob:')) outside.push(u);
  });
  for (const [path, heading] of PAGES) {
    await page.goto(srv.url(path));
    await waitForApp(page);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.waitForLoadState('networkidle');
  }
  assert.deepEqual(outside, []);
  await context.close();
});

async function swReady(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
    }
  });
}

/** A synthetic 32×32 picture (no dataset needed). */
const PICTURE = png(32, 32, (y) => Buffer.from(Array.from({ length: 96 }, (_, i) => (i * 7 + y * 13) % 256)));

async function classifyPicture(page, name = 'offline.png') {
  await page.waitForFunction(() => /Running on/.test(document.querySelector('#engine-state')?.textContent), null, { timeout: 120_000 });
  await page.getByLabel('Choose an image').setInputFiles({ name, mimeType: 'image/png', buffer: PICTURE });
  await page.waitForFunction(() => {
    const list = document.querySelector('.top5');
    return list && !list.classList.contains('stale') && list.querySelectorAll('li').length === 5;
  }, null, { timeout: 120_000 });
  return page.getByRole('list', { name: 'Top 5 classes' }).textContent();
}

test('after one visit the site works offline, the engine included, and an update replaces the cache', async () => {
  const { page, problems, context } = await openPage(browser);
  await page.goto(srv.url());
  await waitForApp(page);
  await swReady(page);
  const before = await page.evaluate(() => caches.keys());
  assert.equal(before.length, 1);
  assert.match(before[0], /^compression-lab-[0-9a-f]{16}$/);
  // Online once: a page with formulas (its font) and the classify page (the engine and a model).
  await page.goto(srv.url('losses'));
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.waitForLoadState('networkidle');
  await page.goto(srv.url('classify'));
  const online = await classifyPicture(page);

  await context.setOffline(true);
  await page.reload();
  assert.equal(await classifyPicture(page), online, 'the same answer offline, from the cached engine and model');
  await page.goto(srv.url('theorem'));
  await page.getByRole('heading', { level: 1, name: /exact law/ }).waitFor();
  await page.getByRole('button', { name: 'Fit by gradient descent' }).click();
  await page.getByText(/Converged: the gradient is below/).waitFor();
  // Deep links never visited before, offline: the cached shell routes them.
  await page.goto(srv.url('tour'));
  await page.getByRole('heading', { level: 1, name: /every claim checked/ }).waitFor();
  await page.goto(srv.url('losses'));
  await page.getByRole('heading', { level: 1 }).waitFor();
  await context.setOffline(false);
  const cached = await page.evaluate(async () => {
    const c = await caches.open((await caches.keys())[0]);
    return (await c.keys()).map((r) => new URL(r.url).pathname);
  });
  for (const f of [/index\.html$/, /app-[0-9a-f]+_bg\.wasm$/, /worker_bg\.wasm$/, /models\/.+\.(safetensors|clz)$/]) {
    assert.ok(cached.some((p) => f.test(p)), `${f} cached: ${cached.join(' ')}`);
  }
  console.log(`service worker cache after the visit: ${cached.length} files`);

  // A new build (another version string) takes over and deletes the old cache.
  srv.state.rewrite = (path, body) =>
    path === 'sw.js' ? Buffer.from(body.toString().replace(/const VERSION = "[0-9a-f]+"/, 'const VERSION = "0000000000000001"')) : body;
  await page.goto(srv.url());
  await waitForApp(page);
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    const changed = new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
    await reg.update();
    await changed;
  });
  await page.waitForFunction(async () => {
    const keys = await caches.keys();
    return keys.length === 1 && keys[0] === 'compression-lab-0000000000000001';
  });
  srv.state.rewrite = null;
  // Offline, the only errors are the browser's own failed update checks.
  assert.deepEqual(problems.filter((p) => !/status of 404|net::ERR_INTERNET_DISCONNECTED|net::ERR_FAILED/.test(p)), []);
  await context.close();
});

test('a lost WebGPU device: the page says so, and the next picture is classified on the CPU', async () => {
  const { page, problems, context } = await openPage(browser);
  await page.goto(srv.url('classify'));
  await waitForApp(page);
  const onGpu = await classifyPicture(page, 'before.png');
  assert.match(await page.locator('#engine-state').textContent(), /Running on WebGPU/);
  const worker = page.workers().find((w) => w.url().endsWith('engine.js'));
  assert.ok(worker, 'the engine worker');
  // What a driver reset does to the device, done by hand.
  await worker.evaluate(() => {
    self.__simulateLoss = true;
    for (const d of self.__engineDevices ?? []) d.destroy();
  });
  await page.getByText(/The engine stopped: the GPU device was lost .*restarts on the CPU/).first().waitFor({ timeout: 30_000 });
  // Nothing is lost: the next picture restarts the engine on the CPU.
  await page.getByLabel('Choose an image').setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: PICTURE });
  await page.waitForFunction(() => /Running on (?!WebGPU)/.test(document.querySelector('#engine-state')?.textContent), null, { timeout: 120_000 });
  await page.locator('figcaption', { hasText: 'after.png' }).waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => {
    const list = document.querySelector('.top5');
    return list && !list.classList.contains('stale') && list.querySelectorAll('li').length === 5;
  }, null, { timeout: 120_000 });
  const onCpu = await page.getByRole('list', { name: 'Top 5 classes' }).textContent();
  const top = (t) => t.match(/^[a-z]+/)[0];
  assert.equal(top(onCpu), top(onGpu), 'the same top class on the CPU');
  assert.deepEqual(problems.filter((p) => !/device|Device|GPU|status of 404/.test(p)), []);
  await context.close();
});

test('axe-core finds no serious or critical violations on any page, in either language', async () => {
  // axe is injected as a script: the test context bypasses the site's CSP for it.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  const axe = await readFile(AXE, 'utf8');
  const report = [];
  for (const lang of ['en', 'zh']) {
    for (const [path, heading] of PAGES) {
      await page.goto(srv.url(path));
      await waitForApp(page);
      if (lang === 'zh' && path === '') await page.getByLabel('Language · 语言').selectOption('zh');
      await page.locator('h1').first().waitFor();
      if (lang === 'en') await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, n: v.nodes.length, target: v.nodes[0]?.target.join(' ') }));
      });
      const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      report.push(`${lang} /${path}: ${result.length} violations (${bad.length} serious/critical)${result.map((v) => ` ${v.id}:${v.impact}×${v.n}`).join('')}`);
      assert.deepEqual(bad, [], `${lang} /${path}`);
    }
  }
  console.log(`axe-core ${require('axe-core/package.json').version}:\n  ${report.join('\n  ')}`);
  await context.close();
});

test('keyboard: skip link first, visible focus, every nav link reachable', async () => {
  const { page, context } = await openPage(browser);
  await page.goto(srv.url());
  await waitForApp(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  assert.ok(await skip.evaluate((el) => el === document.activeElement));
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
  assert.notEqual(outline, 'none');
  const box = await skip.boundingBox();
  assert.ok(box && box.x >= 0, 'the focused skip link is on screen');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  // From a fresh load, Tab goes through the header: skip link, brand, every
  // section, then the language menu.
  await page.goto(srv.url());
  await waitForApp(page);
  const names = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    names.push(await page.evaluate(() => document.activeElement.id || document.activeElement.textContent.trim()));
  }
  for (const n of ['Tour', 'Losses', 'Optimizers', 'Train', 'Compress', 'Exact law', 'Classify', 'lang']) {
    assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
  }
  await context.close();
});

test('every page at phone width (390×844): no sideways scrolling', async () => {
  const { page, problems, context } = await openPage(browser, { width: 390, height: 844 });
  for (const [path, heading] of PAGES) {
    await page.goto(srv.url(path));
    await waitForApp(page);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `/${path} is ${overflow}px wider than the phone`);
    await screenshot(page, `phone-${path.replace(/\W+/g, '-') || 'home'}`);
  }
  assert.deepEqual(problems.filter((p) => !/status of 404/.test(p)), []);
  await context.close();
});

test('landing page load budget (printed): transfer size and time to first interactive paint', async () => {
  const { page, context } = await openPage(browser);
  const fetched = new Set();
  page.on('request', (r) => fetched.add(new URL(r.url()).pathname));
  const t0 = Date.now();
  await page.goto(srv.url());
  await page.getByRole('link', { name: 'Tour', exact: true }).waitFor();
  const interactive = Date.now() - t0;
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 10_000 });
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0].startTime);
  await page.waitForLoadState('networkidle');
  let raw = 0;
  let gz = 0;
  const rows = [];
  for (const p of fetched) {
    if (!p.startsWith(BASE) || p.endsWith('/sw.js')) continue;
    let file = join(DIST, p.slice(BASE.length) || 'index.html');
    if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file).catch(() => null);
    if (!body) continue;
    const g = gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gz += g;
    rows.push(`${p.slice(BASE.length) || '(index)'} ${body.length} B, gzip ${g} B`);
  }
  console.log(
    `landing page: ${rows.length} files, ${(raw / 1024).toFixed(0)} KiB raw, ${(gz / 1024).toFixed(0)} KiB gzip ` +
      `(budget ${LANDING_GZIP_BUDGET / 1024} KiB); first contentful paint ${fcp.toFixed(0)} ms, ` +
      `interactive (navigation links rendered by the app) ${interactive} ms\n  ${rows.join('\n  ')}`,
  );
  assert.ok(gz <= LANDING_GZIP_BUDGET, `landing page is ${gz} B gzip, over the ${LANDING_GZIP_BUDGET} B budget`);
  assert.ok(![...fetched].some((p) => /worker|models\/|data\//.test(p)), 'the landing page must not fetch the engine, models or data');
  await context.close();
});
