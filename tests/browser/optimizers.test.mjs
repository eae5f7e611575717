// The optimizer tutorial, driven through its controls: Adam on the article's
// numbers read back from the state table, keyboard stepping, races, divergence,
// clicking the plot, bad hyperparameters, and the setup surviving a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, waitForApp, screenshot } from './harness.mjs';

const env = useBrowser();

const nums = (s) => (s.match(/[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?/g) ?? []).map((x) => Number(x.replace('−', '-')));
const close = (a, b, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} ≠ ${b}`);

async function open(query = '', viewport) {
  const o = await openPage(env.browser, viewport);
  await o.page.goto(env.srv.url('optimizers' + query));
  await waitForApp(o.page);
  await o.page.getByRole('button', { name: 'Step' }).waitFor();
  return o;
}

/** Reads the state table: one object per step, each cell a list of numbers. */
async function stateRows(page) {
  const rows = page.getByRole('table', { name: 'Optimizer state per step' }).locator('tbody tr');
  const out = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = await rows.nth(i).locator('td').evaluateAll((tds) => tds.map((td) => td.innerText));
    const [t, g, m, v, mh, vh, upd, th, loss] = cells.map((c) => (c.trim() === '—' ? null : nums(c)));
    out.push({ t: t[0], g, m, v, mh, vh, upd, th, loss: loss[0] });
  }
  return out;
}

test('Adam on the article example, stepped through the UI, matches Kingma & Ba by hand', async () => {
  const { page, problems, context } = await open();
  await page.getByLabel('Surface', { exact: true }).selectOption({ label: "Constant gradient (the article's Adam example)" });
  await page.getByLabel('Optimizer', { exact: true }).selectOption({ label: 'Adam' });
  await page.getByLabel('β₂', { exact: true }).fill('0.99');
  close(nums(await page.getByLabel('Learning rate α').inputValue())[0], 0.001);
  await page.getByRole('button', { name: 'Step' }).click();
  await page.getByRole('button', { name: 'Step' }).click();
  const [s1, s2] = await stateRows(page);
  // g = (0.5, −0.3); m = 0.1 g; v = 0.01 g²; m̂ = g; v̂ = g²; θ = (1 − 0.001, 2 + 0.001).
  assert.deepEqual(s1.g, [0.5, -0.3]);
  close(s1.m[0], 0.05); close(s1.m[1], -0.03);
  close(s1.v[0], 0.0025); close(s1.v[1], 0.0009);
  close(s1.mh[0], 0.5); close(s1.vh[1], 0.09);
  close(s1.th[0], 0.999, 1e-6); close(s1.th[1], 2.001, 1e-6);
  // Step 2: m = 0.095, v = 0.004975, θ₁ = 0.998.
  close(s2.m[0], 0.095); close(s2.v[0], 0.004975);
  close(s2.th[0], 0.998, 1e-6);
  assert.equal(await page.getByLabel('Steps taken').textContent(), '2');
  // The article's printed values are shown, and marked wrong where they are.
  const table = page.getByRole('table', { name: 'Adam first step, the article against the computation' });
  assert.match(await table.textContent(), /0\.005\s*0\.0025\s*differs/);
  assert.match(await table.textContent(), /1\.9955\s*2\.001\s*differs/);
  await screenshot(page, 'optimizers-desktop');
  assert.deepEqual(problems, []);
  await context.close();
});

test('keyboard steps, the URL holds the setup, and a reload restores it', async () => {
  const { page, problems, context } = await open();
  await page.getByLabel('Surface', { exact: true }).selectOption('doc');
  await page.getByLabel('Optimizer', { exact: true }).selectOption('gd');
  await page.getByLabel('Learning rate α').fill('0.2');
  await page.locator('h1').click(); // focus leaves the field
  await page.keyboard.press('s');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('s');
  assert.equal(await page.getByLabel('Steps taken').textContent(), '3');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('surface'), 'doc');
  assert.equal(url.searchParams.get('method'), 'gd');
  assert.equal(url.searchParams.get('lr'), '0.2');
  assert.equal(url.searchParams.get('steps'), '3');
  const before = await stateRows(page);
  // GD on (θ₁−1)² + (θ₂−2)² from (−1, 0): distance shrinks by |1 − 2α| = 0.6 per step.
  close(before[2].th[0], 1 - 2 * 0.6 ** 3, 1e-5);
  await page.reload();
  await page.getByRole('button', { name: 'Step' }).waitFor();
  assert.equal(await page.getByLabel('Steps taken').textContent(), '3');
  assert.deepEqual(await stateRows(page), before);
  await page.keyboard.press('r');
  assert.equal(await page.getByLabel('Steps taken').textContent(), '0');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a learning rate that is too large stops with an explanation and no NaN on screen', async () => {
  const { page, problems, context } = await open('?surface=doc&method=gd&lr=1.5');
  await page.getByRole('button', { name: 'Play' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'diverged' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /Gradient descent diverged at step \d+/);
  assert.match(await alert.textContent(), /2\/L = 1/);
  await page.getByRole('button', { name: 'Play' }).waitFor(); // playback stopped by itself
  const text = await page.locator('main').textContent();
  assert.doesNotMatch(text, /NaN|Infinity|∞/);
  // Bad hyperparameters get a message and change nothing.
  await page.getByLabel('Learning rate α').fill('abc');
  await page.locator('#hp-lr-msg').filter({ hasText: /not a number/ }).waitFor();
  await page.getByLabel('Learning rate α').fill('-1');
  await page.locator('#hp-lr-msg').filter({ hasText: /above 0/ }).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('lr'), '1.5');
  assert.deepEqual(problems, []);
  await context.close();
});

test('race mode runs several optimizers from the same start; clicking the plot moves the start', async () => {
  const { page, problems, context } = await open('?surface=ill&method=gd&lr=0.035');
  await page.getByRole('checkbox', { name: 'Momentum', exact: true }).check();
  await page.getByRole('checkbox', { name: 'Adam', exact: true }).check();
  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Step' }).click();
  const svg = page.getByRole('img', { name: /Contour plot of Ill-conditioned/ });
  assert.equal(await svg.locator('path[stroke-linejoin="round"]').count(), 3);
  const chart = await page.getByRole('img', { name: /Gradient descent: J = .* after 5 steps; Momentum: .*; Adam: / }).count();
  assert.equal(chart, 1);
  assert.equal(new URL(page.url()).searchParams.get('race'), 'momentum,adam');
  // Click the centre of the plot: the start moves to the middle of the window (0, 0).
  const box = await svg.boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  assert.match(await svg.getAttribute('aria-label'), /start at \(0, 0\)/);
  assert.equal(await page.getByLabel('Steps taken').textContent(), '0');
  assert.equal(new URL(page.url()).searchParams.get('start'), '0,0');
  assert.deepEqual(problems, []);
  await context.close();
});

test('optimizer page at phone width', async () => {
  const { page, problems, context } = await open('?surface=himmelblau&method=momentum&lr=0.01', { width: 390, height: 844 });
  for (let i = 0; i < 10; i++) await page.getByRole('button', { name: 'Step' }).click();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone screen`);
  await screenshot(page, 'optimizers-phone');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the learning-rate slider works on a log scale and updates the field', async () => {
  const { page, problems, context } = await open('?surface=doc&method=gd&lr=0.1');
  const slider = page.getByRole('slider', { name: 'Learning rate, log scale' });
  assert.equal(await slider.inputValue(), '-1');
  await slider.fill('-2');
  close(nums(await page.getByLabel('Learning rate α').inputValue())[0], 0.01, 1e-12);
  assert.equal(new URL(page.url()).searchParams.get('lr'), '0.01');
  assert.deepEqual(problems, []);
  await context.close();
});
