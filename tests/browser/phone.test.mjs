// Fast on a phone: each route's HTML carries its frame and first words in
// both languages before any script runs, a Chinese browser's first paint is
// Chinese, no page shifts its layout while it loads, and no engine file is
// fetched before the page has loaded. (Lighthouse's scores and timings are
// measured by scripts/bench-lighthouse.mjs, never asserted here.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ROOT, startServer, launch, waitForApp, screenshot } from './harness.mjs';

let srv;
let browser;
before(async () => {
  srv = await startServer({ gzip: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  srv?.server.close();
});

// The site's own list of pages (the same JSON the post-build hook writes from).
const SITE = JSON.parse(
  execFileSync('cargo', ['run', '--quiet', '--locked', '--offline', '--no-default-features', '--bin', 'site'], { cwd: ROOT, encoding: 'utf8' }),
);
const route = (p) => (p.path === '/' ? '' : p.path.slice(1));
const html = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

test("each route's HTML, without scripts, has its title and first words in both languages", async () => {
  for (const page of SITE.pages) {
    const body = await (await fetch(srv.url(route(page)))).text();
    const [eyebrow, heading, lede] = page.head;
    for (const [en, zh] of [heading, lede, eyebrow]) {
      assert.ok(body.includes(html(en)), `${page.path}: ${en.slice(0, 40)}`);
      assert.ok(body.includes(html(zh)), `${page.path}: ${zh.slice(0, 40)}`);
    }
    assert.ok(body.includes(`<title>${html(page.title)}</title>`), page.path);
    assert.ok(body.includes(`data-title-zh="${html(page.title_zh)}"`), page.path);
  }
});

/** A context in `locale` whose app never starts: what a visitor sees before any wasm runs. */
async function staticOnly(locale, viewport = { width: 390, height: 844 }) {
  const context = await browser.newContext({ locale, viewport });
  await context.route(/\/(app|landing|read)[-_][^/]*\.(js|wasm)$/, (r) => r.abort());
  return context;
}

test("a Chinese browser's first paint is Chinese, an English one's English, before the app runs", async () => {
  for (const [locale, pick] of [['zh-CN', 1], ['en-US', 0]]) {
    const context = await staticOnly(locale);
    const page = await context.newPage();
    for (const p of SITE.pages) {
      await page.goto(srv.url(route(p)));
      const shown = await page.evaluate(() => ({
        h1: document.querySelector('h1').innerText,
        lede: document.querySelector('.lede').innerText,
        nav: document.querySelector('.site-header nav').innerText,
        title: document.title,
        boot: !!document.getElementById('boot'),
      }));
      assert.ok(shown.boot, `${p.path}: the app did not run`);
      assert.equal(shown.h1, p.head[1][pick], `${locale} ${p.path}`);
      assert.equal(shown.lede.replace(/\s+/g, ' '), p.head[2][pick].replace(/\s+/g, ' '), `${locale} ${p.path}`);
      assert.equal(shown.title, pick ? p.title_zh : p.title, `${locale} ${p.path}`);
      assert.ok(shown.nav.includes(SITE.nav[0][1][pick]), `${locale} ${p.path}: ${shown.nav}`);
      await screenshot(page, `phone-static-${locale}-${route(p) || 'home'}`);
    }
    await context.close();
  }
});

test('no page shifts its layout while it loads (layout-shift sum below 0.05), at 390 and 1280 px, in both languages', async () => {
  const report = [];
  for (const [locale, viewport] of [['en-US', { width: 390, height: 844 }], ['zh-CN', { width: 1280, height: 900 }]]) {
    const context = await browser.newContext({ locale, viewport });
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (!e.hadRecentInput) window.__shifts.push({ value: e.value, at: e.startTime, nodes: e.sources.map((s) => s.node?.className || s.node?.nodeName || '?') });
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    for (const p of SITE.pages) {
      await page.goto(srv.url(route(p)));
      await waitForApp(page);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(500);
      const shifts = await page.evaluate(() => window.__shifts);
      const sum = shifts.reduce((a, s) => a + s.value, 0);
      report.push(`${locale} ${viewport.width}px ${p.path}: ${sum.toFixed(4)}${shifts.map((s) => ` [${s.value.toFixed(3)} at ${Math.round(s.at)} ms: ${s.nodes.join(',')}]`).join('')}`);
      assert.ok(sum < 0.05, `${locale} ${p.path}: layout shift ${sum.toFixed(3)} ${JSON.stringify(shifts)}`);
    }
    await context.close();
  }
  console.log(`# layout shift while loading:\n#   ${report.join('\n#   ')}`);
});

test('the engine is fetched only once the page has loaded, on the pages that use it; never on the others', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const ENGINE = /\/(engine|worker|worker_bg)-[0-9a-f]{16}\.(js|wasm)$/.source;
  for (const p of SITE.pages) {
    const uses = ['/train', '/classify', '/compress'].includes(p.path);
    await page.goto(srv.url(route(p)));
    await waitForApp(page);
    await page.waitForLoadState('networkidle');
    // The pages that use the engine start it when idle; the others never do.
    if (uses) {
      await page.waitForFunction((re) => performance.getEntriesByType('resource').some((r) => new RegExp(re).test(r.name)), ENGINE, {
        timeout: 30_000,
      });
    } else {
      await page.waitForTimeout(2500);
    }
    const { loaded, engine } = await page.evaluate((re) => ({
      loaded: performance.getEntriesByType('navigation')[0].loadEventEnd,
      engine: performance
        .getEntriesByType('resource')
        .filter((r) => new RegExp(re).test(r.name))
        .map((r) => ({ name: r.name.split('/').pop(), start: r.startTime })),
    }), ENGINE);
    if (uses) assert.ok(engine.length > 0, `${p.path}: the engine starts after the page has loaded`);
    else assert.deepEqual(engine, [], p.path);
    for (const e of engine) assert.ok(e.start >= loaded, `${p.path}: ${e.name} at ${e.start} ms, before the page loaded (${loaded} ms)`);
  }
  await context.close();
});
