// The site shell: landing page, navigation, deep links and the 404 page, all
// served under a sub-path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, waitForApp, screenshot, BASE } from './harness.mjs';

const env = useBrowser();

test('landing page states the thesis and links every section', async () => {
  const { page, problems, context } = await openPage(env.browser);
  await page.goto(env.srv.url());
  await waitForApp(page);
  const h1 = await page.getByRole('heading', { level: 1 }).textContent();
  assert.match(h1, /model is a compressed program for its data/);
  assert.equal(await page.title(), 'Compression Lab');
  const nav = page.getByRole('navigation', { name: 'Sections' });
  const link = nav.getByRole('link', { name: 'Losses' });
  assert.equal(await link.getAttribute('href'), `${BASE}losses`);
  // The card on the home page leads to the same place.
  await page.getByRole('link', { name: /Loss calculators/ }).click();
  await page.waitForURL(`**${BASE}losses`);
  await page.getByRole('heading', { name: /Mean squared error/ }).waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Losses' }).getAttribute('aria-current'), 'page');
  assert.equal(await page.title(), 'Loss calculators · Compression Lab');
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: /compressed program/ }).waitFor();
  await screenshot(page, 'home-desktop');
  assert.deepEqual(problems, []);
  await context.close();
});

test('deep links load directly and unknown paths get a real 404 page', async () => {
  const { page, problems, context } = await openPage(env.browser);
  await page.goto(env.srv.url('losses'));
  await waitForApp(page);
  await page.getByRole('heading', { name: /Cross-entropy/ }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: /Cross-entropy/ }).waitFor();

  await page.goto(env.srv.url('no/such/page'));
  await waitForApp(page);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  assert.match(await page.locator('main').textContent(), new RegExp(`${BASE}no/such/page`));
  assert.equal(await page.title(), 'Page not found · Compression Lab');
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await page.getByRole('heading', { level: 1, name: /compressed program/ }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the reading pages and the pages that run the engine are two apps; links between them load the page', async () => {
  const { page, problems, context } = await openPage(env.browser);
  const apps = [];
  page.on('request', (r) => {
    const m = /\/(app|read|landing)(?:_bg)?-[0-9a-f]+(?:_bg)?\.wasm$/.exec(r.url());
    if (m) apps.push(m[1]);
  });
  await page.goto(env.srv.url('tour'));
  await waitForApp(page);
  assert.deepEqual(apps, ['read']);
  const nav = page.getByRole('navigation', { name: 'Sections' });
  // Within the reading app the router draws the page: no new app.
  await nav.getByRole('link', { name: 'Losses' }).click();
  await page.getByRole('heading', { name: /Cross-entropy/ }).waitFor();
  assert.deepEqual(apps, ['read']);
  // A page of the other app is loaded from its own HTML, which runs that app.
  await Promise.all([page.waitForEvent('load'), nav.getByRole('link', { name: 'Train' }).click()]);
  assert.equal(new URL(page.url()).pathname, `${BASE}train`);
  await page.getByRole('heading', { level: 1, name: 'Train a CNN in your browser' }).waitFor();
  await waitForApp(page);
  assert.deepEqual(apps, ['read', 'app']);
  assert.equal(await nav.getByRole('link', { name: 'Train' }).getAttribute('aria-current'), 'page');
  await nav.getByRole('link', { name: 'Compress' }).click();
  await page.waitForURL(`**${BASE}compress`);
  assert.deepEqual(apps, ['read', 'app']);
  // The back button walks the same history: compress, train, losses.
  await page.goBack();
  await page.waitForURL(`**${BASE}train`);
  await page.goBack();
  await page.waitForURL(`**${BASE}losses`);
  await page.getByRole('heading', { name: /Cross-entropy/ }).waitFor();
  // Home from either app is the landing page's.
  await nav.getByRole('link', { name: 'Text' }).click();
  await page.waitForURL(`**${BASE}text`);
  await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: /Compression Lab/ }).first().click()]);
  assert.equal(new URL(page.url()).pathname, BASE);
  await waitForApp(page);
  await page.getByRole('heading', { level: 1, name: /compressed program/ }).waitFor();
  assert.equal(apps.at(-1), 'landing');
  assert.deepEqual(problems, []);
  await context.close();
});

test('landing page at phone width', async () => {
  const { page, problems, context } = await openPage(env.browser, { width: 390, height: 844 });
  await page.goto(env.srv.url());
  await waitForApp(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone screen`);
  await screenshot(page, 'home-phone');
  assert.deepEqual(problems, []);
  await context.close();
});
