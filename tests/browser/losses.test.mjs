// The loss calculators, driven as a visitor would: type into the labelled
// fields, flip the switches, read the results. Expected values are computed
// here independently of the Rust code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, waitForApp, screenshot } from './harness.mjs';

const env = useBrowser();

const num = (s) => Number(s.trim().replace('\u2212', '-'));
const close = (actual, expected, tol = 5e-6) =>
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);

async function open(viewport) {
  const o = await openPage(env.browser, viewport);
  await o.page.goto(env.srv.url('losses'));
  await waitForApp(o.page);
  await o.page.getByLabel('MSE result').waitFor();
  return o;
}

const value = async (page, label) => num(await page.getByLabel(label, { exact: true }).textContent());

test('MSE opens on the article example and shows where the article is wrong', async () => {
  const { page, problems, context } = await open();
  const mse = page.locator('section', { has: page.getByRole('heading', { name: /Mean squared error/ }) });
  // (0.25 + 0.01 + 0.04 + 0.04 + 0.04) / 5
  close(await value(page, 'MSE result'), 0.076);
  const rows = mse.getByRole('table', { name: 'MSE terms' }).locator('tbody tr');
  assert.equal(await rows.count(), 5);
  assert.match(await rows.nth(0).textContent(), /0\.25.*65\.8%/);
  const check = mse.getByRole('complementary', { name: /article's example, checked/ });
  assert.match(await check.textContent(), /The article prints\s*0\.14/);
  assert.match(await check.textContent(), /Correct value\s*0\.076/);
  await screenshot(page, 'losses-desktop');
  assert.deepEqual(problems, []);
  await context.close();
});

test('typing new values updates MSE live, with both forms', async () => {
  const { page, problems, context } = await open();
  await page.getByLabel('Actual values y').fill('1, 2, 3');
  await page.getByLabel('Predicted values ŷ').fill('1 2 5');
  close(await value(page, 'MSE result'), 4 / 3);
  await page.getByRole('radio', { name: 'total (Σ)' }).check();
  close(await value(page, 'MSE result'), 4);
  assert.deepEqual(problems, []);
  await context.close();
});

test('bad MSE input gets a message by the field and keeps the last result', async () => {
  const { page, problems, context } = await open();
  const y = page.getByLabel('Actual values y');
  const yHat = page.getByLabel('Predicted values ŷ');
  await y.fill('1, 2');
  await yHat.fill('2, 4');
  close(await value(page, 'MSE result'), 2.5);

  const cases = [
    ['1, x', /Entry 2 \(“x”\) is not a number/, y],
    ['1, NaN', /not a finite number/, y],
    ['1, ∞', /not a number/, y],
    ['', /Type at least one number/, y],
    ['1, 2, 3', /3 labels but 2 predictions/, yHat],
  ];
  for (const [input, message, field] of cases) {
    await y.fill(input);
    const id = await field.getAttribute('id');
    await assert.doesNotReject(page.locator(`#${id}-msg`).filter({ hasText: message }).waitFor({ timeout: 5000 }), String(message));
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    close(await value(page, 'MSE result'), 2.5);
    assert.ok(await page.getByText('this is the last valid result').first().isVisible());
  }
  await y.fill('0, 0');
  close(await value(page, 'MSE result'), 10);
  assert.equal(await y.getAttribute('aria-invalid'), null);
  await page.getByRole('button', { name: "Load the article's example" }).first().click();
  close(await value(page, 'MSE result'), 0.076);
  assert.deepEqual(problems, []);
  await context.close();
});

test('binary cross-entropy of the article example, in nats and bits, mean and total', async () => {
  const { page, problems, context } = await open();
  const y = [0, 1, 0, 1, 0];
  const p = [0.2, 0.8, 0.1, 0.6, 0.1];
  const terms = y.map((yi, i) => -(yi * Math.log(p[i]) + (1 - yi) * Math.log(1 - p[i])));
  const total = terms.reduce((a, b) => a + b);
  close(await value(page, 'Cross-entropy result'), total / 5);
  // The article's own formula, −(1/n) Σ y log ŷ, counts only the positives.
  close(await value(page, 'Article formula result'), -(Math.log(0.8) + Math.log(0.6)) / 5);

  const ce = page.locator('section', { has: page.getByRole('heading', { name: /Cross-entropy/ }) });
  await ce.getByRole('radio', { name: 'bits (log₂)' }).check();
  close(await value(page, 'Cross-entropy result'), total / 5 / Math.LN2);
  await ce.getByRole('radio', { name: 'total', exact: true }).check();
  close(await value(page, 'Cross-entropy result'), total / Math.LN2);
  assert.match(await ce.textContent(), /bits in total/);
  const check = ce.getByRole('complementary', { name: /article's example, checked/ });
  assert.match(await check.textContent(), /The article prints\s*0\.237/);
  assert.match(await check.textContent(), /Correct value\s*0\.233567/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('categorical cross-entropy with indices, one-hot rows, probabilities and logits', async () => {
  const { page, problems, context } = await open();
  const ce = page.locator('section', { has: page.getByRole('heading', { name: /Cross-entropy/ }) });
  await ce.getByRole('radio', { name: 'categorical' }).check();
  await page.getByRole('textbox', { name: 'Class indices' }).fill('0, 2');
  await page.getByLabel('Probability rows').fill('0.7, 0.2, 0.1\n0.25, 0.25, 0.5');
  close(await value(page, 'Cross-entropy result'), -(Math.log(0.7) + Math.log(0.5)) / 2);
  assert.match(await ce.textContent(), /log₂ 3 = 1\.58496/);

  await ce.getByRole('radio', { name: 'one-hot rows' }).check();
  await page.getByLabel('One-hot label rows').fill('0, 1, 0; 0, 0, 1');
  close(await value(page, 'Cross-entropy result'), -(Math.log(0.2) + Math.log(0.5)) / 2);

  await ce.getByRole('radio', { name: 'logits' }).check();
  await page.getByLabel('Logit rows').fill('2, 1, 0\n1000, 0, 0');
  const lse = (z) => { const m = Math.max(...z); return m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0)); };
  close(await value(page, 'Cross-entropy result'), ((lse([2, 1, 0]) - 1) + (lse([1000, 0, 0]) - 0)) / 2);

  // Switching formats keeps what was typed in each.
  await ce.getByRole('radio', { name: 'probabilities' }).check();
  assert.equal(await page.getByLabel('Probability rows').inputValue(), '0.7, 0.2, 0.1\n0.25, 0.25, 0.5');
  assert.deepEqual(problems, []);
  await context.close();
});

test('cross-entropy rejects impossible probabilities and infinite losses with clear messages', async () => {
  const { page, problems, context } = await open();
  const ce = page.locator('section', { has: page.getByRole('heading', { name: /Cross-entropy/ }) });
  const before = await value(page, 'Cross-entropy result');
  const p = page.getByLabel('Predicted probabilities p = P(y = 1)');
  await p.fill('0.2, 0.8, 1.1, 0.6, 0.1');
  await page.locator('#ce-p-msg').filter({ hasText: /Entry 3 of the predictions is 1\.1, outside \[0, 1\]/ }).waitFor();
  await p.fill('0.2, 0, 0.1, 0.6, 0.1');
  await page.locator('#ce-p-msg').filter({ hasText: /Sample 2: .*probability 0 .* infinite/ }).waitFor();
  close(await value(page, 'Cross-entropy result'), before);

  await ce.getByRole('radio', { name: 'categorical' }).check();
  await page.getByRole('textbox', { name: 'Class indices' }).fill('0, 1');
  await page.getByLabel('Probability rows').fill('0.5, 0.4, 0.0\n0.2, 0.3, 0.5');
  await page.locator('#ce-probs-msg').filter({ hasText: /Row 1 of the predictions sums to 0\.9, not 1/ }).waitFor();
  await page.getByLabel('Probability rows').fill('0.5, 0.5, 0\n0.2, 0.3, 0.5');
  await page.getByRole('textbox', { name: 'Class indices' }).fill('0, 3');
  await page.locator('#ce-indices-msg').filter({ hasText: /Label 2 is class 3, but the predictions have only 3 classes/ }).waitFor();
  await page.getByRole('textbox', { name: 'Class indices' }).fill('0, 1.5');
  await page.locator('#ce-indices-msg').filter({ hasText: /not a class index/ }).waitFor();
  await page.getByRole('textbox', { name: 'Class indices' }).fill('1, 2');
  close(await value(page, 'Cross-entropy result'), -(Math.log(0.5) + Math.log(0.5)) / 2);
  assert.deepEqual(problems, []);
  await context.close();
});

test('binary cross-entropy from logits is stable; extreme logits get a message, not an unexplained ∞', async () => {
  const { page, problems, context } = await open();
  const ce = page.locator('section', { has: page.getByRole('heading', { name: /Cross-entropy/ }) });
  await ce.getByRole('radio', { name: 'logits' }).check();
  const z = page.getByLabel('Logits z (p = σ(z))');
  await z.fill('2, -1');
  await page.getByLabel('Labels y (0 or 1)').fill('1, 0');
  // Computed here: softplus(−2) and softplus(−1), averaged (nats).
  const softplus = (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  close(await value(page, 'Cross-entropy result'), (softplus(-2) + softplus(-1)) / 2);
  // σ(800) rounds to 1, so the probability form would say ∞; from the logit the loss is 800 nats.
  await z.fill('800, -1');
  await page.getByLabel('Labels y (0 or 1)').fill('0, 0');
  close(await value(page, 'Cross-entropy result'), (800 + softplus(-1)) / 2);
  // Categorical logits ±1.7e308: the loss is beyond the largest double, and the page says so.
  await ce.getByRole('radio', { name: 'categorical' }).check();
  await ce.getByRole('radio', { name: 'logits' }).check();
  await page.getByRole('textbox', { name: 'Class indices' }).fill('1');
  await page.getByLabel('Logit rows').fill('1.7e308, -1.7e308');
  await page.locator('#ce-logits-msg').filter({ hasText: /Sample 1: the logits are so far apart that the loss exceeds the largest floating-point number/ }).waitFor();
  assert.doesNotMatch(await page.getByLabel('Cross-entropy result', { exact: true }).textContent(), /∞|Infinity|NaN/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('loss page at phone width', async () => {
  const { page, problems, context } = await open({ width: 390, height: 844 });
  close(await value(page, 'MSE result'), 0.076);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone screen`);
  await screenshot(page, 'losses-phone');
  assert.deepEqual(problems, []);
  await context.close();
});
