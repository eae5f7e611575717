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

// Every bound control shows what its link says: each page opened from a link
// that sets every key it binds to a value other than the default, then each
// control read back (and the address the page writes back keeps every key).
const checked = (page, name) =>
  page.locator(`input[type="radio"][name="${name}"]:checked`).locator('xpath=..').textContent();
const value = (page, id) => page.locator(`#${id}`).inputValue();

/** Opens `path?query`, then checks each [what, read, expected] and the written-back query. */
async function roundTrip(page, path, query, checks) {
  await page.goto(`${env.srv.url(path)}?${new URLSearchParams(query)}`);
  await waitForApp(page);
  const got = [];
  for (const [what, read] of checks) got.push([what, (await read(page)).trim()]);
  assert.deepEqual(got, checks.map(([what, , want]) => [what, want]), path);
  const kept = Object.fromEntries(new URL(page.url()).searchParams);
  for (const [k, v] of Object.entries(query)) assert.equal(kept[k], v, `${path}: ${k} written back`);
}

test('a link sets every bound control of every page, and the page shows it', async () => {
  const { page, problems, context } = await openPage(env.browser);
  const v = (id) => (p) => value(p, id);
  const r = (name) => (p) => checked(p, name);
  await roundTrip(page, 'train', {
    model: 'lab-cnn-s', images: '5000', optimizer: 'momentum', lr: '0.03', momentum: '0.8', epochs: '5',
    batch: '64', augment: 'true', seed: '42', teacher: 'lab-cnn', temperature: '3', alpha: '0.7',
  }, [
    ['model', v('train-arch'), 'lab-cnn-s'], ['images', v('train-subset'), '5000'],
    ['optimizer', v('train-opt'), 'momentum'], ['lr', v('train-lr'), '0.03'],
    ['momentum', v('train-momentum'), '0.8'], ['epochs', v('train-epochs'), '5'],
    ['batch', v('train-batch'), '64'], ['seed', v('train-seed'), '42'],
    ['augment', (p) => p.getByRole('checkbox', { name: /Augmentation/ }).isChecked().then(String), 'true'],
    ['teacher', v('train-teacher'), 'lab-cnn'], ['temperature', v('train-temperature'), '3'],
    ['alpha', v('train-alpha'), '0.7'],
  ]);
  await roundTrip(page, 'train', { optimizer: 'sgd' }, [['optimizer', v('train-opt'), 'sgd']]);
  await roundTrip(page, 'compress', {
    model: 'doc-cnn', images: '430', prune: '60', scope: 'layer', bits: '3', per: 'tensor', grid: 'symmetric',
  }, [
    ['model', v('compress-model'), 'doc-cnn'], ['images', v('compress-images'), '430'],
    ['prune', v('sparsity'), '60'], ['scope', r('scope'), 'Per layer'], ['store', r('coding'), 'Quantize'],
    ['bits', v('qbits'), '3'], ['per', r('granularity'), 'Per tensor'], ['grid', r('qmode'), 'Symmetric (zero exact)'],
  ]);
  await roundTrip(page, 'compress', { store: 'share', k: '32' }, [['store', r('coding'), 'Share (k-means)'], ['k', v('kshare'), '5']]);
  await roundTrip(page, 'compress', { store: 'float' }, [['store', r('coding'), '32-bit floats']]);
  await roundTrip(page, 'losses', {
    mse_y: '1, 2', mse_yhat: '2, 2', mse_reduce: 'sum', ce_unit: 'bits', ce_reduce: 'sum',
    ce_y: '1 0', ce_pred: 'logits', ce_z: '2, -1',
  }, [
    ['mse_y', v('mse-y'), '1, 2'], ['mse_yhat', v('mse-yhat'), '2, 2'], ['mse_reduce', r('mse-reduction'), 'total (Σ)'],
    ['ce', r('ce-mode'), 'binary'], ['ce_unit', r('ce-unit'), 'bits (log₂)'], ['ce_reduce', r('ce-reduction'), 'total'],
    ['ce_y', v('ce-y'), '1 0'], ['ce_pred', r('ce-bin-format'), 'logits'], ['ce_z', v('ce-z'), '2, -1'],
  ]);
  await roundTrip(page, 'losses', { ce_p: '0.9, 0.2' }, [['ce_p', v('ce-p'), '0.9, 0.2']]);
  await roundTrip(page, 'losses', {
    ce: 'categorical', ce_labels: 'onehot', ce_preds: 'logits', ce_onehot: '0 1; 1 0', ce_logits: '1 2; 3 1',
  }, [
    ['ce', r('ce-mode'), 'categorical'], ['ce_labels', r('ce-label-format'), 'one-hot rows'],
    ['ce_preds', r('ce-pred-format'), 'logits'], ['ce_onehot', v('ce-onehot'), '0 1; 1 0'], ['ce_logits', v('ce-logits'), '1 2; 3 1'],
  ]);
  await roundTrip(page, 'losses', { ce: 'categorical', ce_indices: '1, 0', ce_probs: '0.2 0.8; 0.6 0.4' }, [
    ['ce_indices', v('ce-indices'), '1, 0'], ['ce_probs', v('ce-probs'), '0.2 0.8; 0.6 0.4'],
  ]);
  await roundTrip(page, 'theorem', { law: 'kepler', truth: 'k=1.4, c=0.1', n: '12', noise: '0.02', seed: '7' }, [
    ['law', r('law'), 'Kepler: ln T = k·ln a + c'], ['truth', v('law-truth'), 'k=1.4, c=0.1'],
    ['n', v('law-n'), '12'], ['noise', v('law-noise'), '0.02'], ['seed', v('law-seed'), '7'],
  ]);
  await roundTrip(page, 'optimizers', {
    surface: 'himmelblau', method: 'adamw', lr: '0.02', b1: '0.8', b2: '0.99', eps: '0.001', wd: '0.1',
  }, [
    ['surface', v('opt-surface'), 'himmelblau'], ['method', v('opt-method'), 'adamw'], ['lr', v('hp-lr'), '0.02'],
    ['b1', v('hp-b1'), '0.8'], ['b2', v('hp-b2'), '0.99'], ['eps', v('hp-eps'), '0.001'], ['wd', v('hp-wd'), '0.1'],
  ]);
  await roundTrip(page, 'optimizers', { method: 'momentum', mu: '0.5', damp: '0.1' }, [
    ['method', v('opt-method'), 'momentum'], ['mu', v('hp-mu'), '0.5'], ['damp', v('hp-damp'), '0.1'],
  ]);
  await roundTrip(page, 'optimizers', { method: 'rmsprop', rho: '0.8' }, [['rho', v('hp-rho'), '0.8']]);
  await roundTrip(page, 'optimizers', { method: 'sgd', batch: '8', seed: '9' }, [
    ['batch', v('hp-batch'), '8'], ['seed', v('hp-seed'), '9'],
  ]);
  assert.deepEqual(problems, []);
  await context.close();
});
