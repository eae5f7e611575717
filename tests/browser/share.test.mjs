// Links that keep a page's state: change a page, press "Copy link", open the
// copied link in a fresh browser profile, and get the same result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, waitForApp, copyLink as copyShared } from './harness.mjs';

const env = useBrowser();

async function copyLink(page) {
  const link = await copyShared(page, env.srv.origin);
  assert.equal(link, page.url(), 'the clipboard holds the address');
  return link;
}

/** The link in a new browser context: no storage, no history, nothing shared. */
async function openFresh(link) {
  const fresh = await openPage(env.browser);
  await fresh.page.goto(link);
  await waitForApp(fresh.page);
  return fresh;
}

test('losses: both calculators come back from a link, inputs and results', async () => {
  const { page, problems, context } = await openPage(env.browser);
  await page.goto(env.srv.url('losses'));
  await waitForApp(page);
  await page.getByLabel('Actual values y').fill('1, 2, 3');
  await page.getByLabel('Predicted values ŷ').fill('1 2 5');
  await page.getByRole('radio', { name: 'total (Σ)' }).first().check();
  await page.getByRole('radio', { name: 'bits' }).check();
  const result = async (p) => [
    await p.getByLabel('MSE result', { exact: true }).textContent(),
    await p.locator('section', { has: p.getByRole('heading', { name: /Cross-entropy/ }) }).locator('output').first().textContent(),
  ];
  const before = await result(page);
  assert.match(before[0], /^4/);
  const link = await copyLink(page);
  assert.match(link, /mse_y=1%2C%202%2C%203/);
  const fresh = await openFresh(link);
  assert.equal(await fresh.page.getByLabel('Actual values y').inputValue(), '1, 2, 3');
  assert.equal(await fresh.page.getByLabel('Predicted values ŷ').inputValue(), '1 2 5');
  assert.deepEqual(await result(fresh.page), before);
  // A value that does not read keeps its default; the page still works.
  await fresh.page.goto(link.replace(/mse_reduce=sum/, 'mse_reduce=nonsense'));
  await waitForApp(fresh.page);
  assert.match(await fresh.page.getByLabel('MSE result', { exact: true }).textContent(), /^1\.33/);
  assert.deepEqual([...problems, ...fresh.problems], []);
  await fresh.context.close();
  await context.close();
});

test('the exact-law demo: a link with the fit reproduces the same law and totals', async () => {
  const { page, problems, context } = await openPage(env.browser);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(env.srv.url('theorem'));
  await waitForApp(page);
  await page.getByRole('radio', { name: /Kepler/ }).check();
  await page.locator('#law-seed').fill('7');
  await page.getByRole('button', { name: 'Fit by gradient descent' }).click();
  await page.getByRole('button', { name: 'All steps' }).click();
  const outcome = async (p) => [
    (await p.locator('#law-final').textContent()).trim(),
    await p.locator('.dl-table tbody tr td.total').allTextContents(),
  ];
  const before = await outcome(page);
  const link = await copyLink(page);
  assert.match(link, /law=kepler/);
  assert.match(link, /seed=7/);
  assert.match(link, /fit=1/);
  const fresh = await openFresh(link);
  await fresh.page.getByRole('button', { name: 'All steps' }).click();
  assert.deepEqual(await outcome(fresh.page), before);
  assert.equal(await fresh.page.getByRole('radio', { name: /Kepler/ }).isChecked(), true);
  assert.deepEqual([...problems, ...fresh.problems], []);
  await fresh.context.close();
  await context.close();
});

test('training settings and the optimizer race come back from links', async () => {
  const { page, problems, context } = await openPage(env.browser);
  await page.goto(env.srv.url('train'));
  await waitForApp(page);
  await page.getByLabel('Model', { exact: true }).selectOption('doc-cnn');
  await page.getByLabel('Epochs').fill('3');
  await page.getByLabel('Batch size').selectOption('64');
  await page.getByLabel('Learning rate').fill('0.02');
  await page.getByLabel('Seed').fill('42');
  const link = await copyLink(page);
  const fresh = await openFresh(link);
  const p = fresh.page;
  assert.equal(await p.getByLabel('Model', { exact: true }).inputValue(), 'doc-cnn');
  assert.equal(await p.getByLabel('Epochs').inputValue(), '3');
  assert.equal(await p.getByLabel('Batch size').inputValue(), '64');
  assert.equal(await p.getByLabel('Learning rate').inputValue(), '0.02');
  assert.equal(await p.getByLabel('Seed').inputValue(), '42');

  await page.goto(env.srv.url('optimizers'));
  await waitForApp(page);
  await page.getByRole('button', { name: /^Step$/ }).first().click();
  await page.getByRole('button', { name: /^Step$/ }).first().click();
  const optimizers = await copyLink(page);
  assert.match(optimizers, /steps=2/);
  await p.goto(optimizers);
  await waitForApp(p);
  assert.match(p.url(), /steps=2/);
  assert.deepEqual([...problems, ...fresh.problems], []);
  await fresh.context.close();
  await context.close();
});
