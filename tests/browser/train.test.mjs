// Training in the browser: a few batches on each backend through the UI, the
// charts and the compression meter update, pause and resume, stop saves the
// model, a reload keeps it, and the classify page uses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBrowser, openPage, waitForApp, screenshot, plainName, download, parseCsv, ROOT } from './harness.mjs';
import { testImage } from './images.mjs';

const env = useBrowser();

const step = async (page) => {
  const m = (await page.locator('#train-progress').textContent()).match(/step (\d+)\//);
  return m ? Number(m[1]) : 0;
};

async function waitForStep(page, n, timeout = 240_000) {
  await page.waitForFunction((k) => {
    const m = document.querySelector('#train-progress')?.textContent.match(/step (\d+)\//);
    return m && Number(m[1]) >= k;
  }, n, { timeout });
}

/** The small settings the tests use: the article's CNN, 1,000 images, 1 epoch, batches of 16. */
async function smallRun(page) {
  await page.getByLabel('Model', { exact: true }).selectOption('doc-cnn');
  await page.getByLabel('Training images').selectOption('1000');
  await page.getByLabel('Epochs').fill('1');
  await page.getByLabel('Batch size').selectOption('16');
}

async function trainAndStop(page, backend) {
  await smallRun(page);
  await page.getByRole('button', { name: 'Start' }).click();
  await waitForStep(page, 2);
  assert.match(await page.locator('#train-data').textContent(), /Training images received: [\d,]+ of 1,000/);
  const progress = await page.locator('#train-progress').textContent();
  assert.match(progress, /Epoch 1\/1 · batch \d+\/63 · step \d+\/63 · [\d.]+ images\/s/);
  // The CPU backend trains on every core the browser reports (helper workers
  // take parts of each batch; at most 8 cores, parts of at least 4 images),
  // and the line says so.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  if (backend === 'CPU') {
    const used = Math.min(cores, 8, 16 / 4);
    const on = cores === 1 ? "on this browser's one core"
      : used === cores ? `on all ${cores} cores this browser reports`
        : `on ${used} of the ${cores} cores this browser reports`;
    assert.ok(progress.includes(`images/s · ${on} · about`), progress);
  } else {
    assert.doesNotMatch(progress, /cores?\b/);
  }
  const meter = await page.locator('#train-meter').textContent();
  const m = meter.match(/([\d,]+) labels cost ([\d,]+) bits under the model \(([\d.]+) bits each\)/);
  assert.ok(m, meter);
  const [labels, bits, each] = [Number(m[1].replace(/,/g, '')), Number(m[2].replace(/,/g, '')), Number(m[3])];
  assert.equal(labels % 16, 0);
  // Each label is counted once, in the first pass: the count says so.
  const sent = await page.locator('#train-meter-sent').textContent();
  const k = sent.match(/Prequential code: ([\d,]+) of 1,000 training labels sent, each once\./);
  assert.ok(k, sent);
  assert.ok(Number(k[1].replace(/,/g, '')) >= labels, 'the sent count follows the meter');
  assert.ok(Math.abs(bits / labels - each) < 0.01 + 0.5 / labels, 'bits per label is the total over the labels');
  const d = await page.locator('svg path.series.s0').first().getAttribute('d');
  assert.match(d, /^M[\d.]+,[\d.]+L/, 'the loss chart has a line');
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.locator('#train-outcome', { hasText: 'Stopped' }).waitFor({ timeout: 240_000 });
  console.log(`# ${backend}: ${await page.locator('#train-progress').textContent()}`);
  // The curves as CSV and the run as JSON: a row per step, as the page shows.
  const steps = await step(page);
  const curves = parseCsv((await download(page, page.getByRole('button', { name: 'training curves (CSV)' }))).toString());
  assert.deepEqual(curves[0].slice(0, 4), ['step', 'epoch', 'batch', 'train_loss_nats']);
  assert.equal(curves.length - 1, steps);
  assert.deepEqual(curves.slice(1).map((r) => Number(r[0])), Array.from({ length: steps }, (_, i) => i + 1));
  assert.ok(curves.slice(1).every((r) => Number(r[3]) > 0 && Number(r[4]) >= 0 && Number(r[4]) <= 1));
  const run = JSON.parse((await download(page, page.getByRole('button', { name: 'the whole run (JSON)' }))).toString());
  assert.equal(run.settings.arch, 'doc-cnn');
  assert.equal(run.batches.length, steps);
  assert.equal(run.batches.at(-1).loss, Number(curves.at(-1)[3]));
}

test('train on WebGPU and on the CPU, pause and resume, save, reload, classify with the saved model', async (t) => {
  assert.ok(testImage(0), 'the CIFAR-10 test images are needed (set CIFAR10_DIR; see the README)');
  const { page, problems, context } = await openPage(env.browser);
  page.setDefaultTimeout(60_000);
  await page.goto(env.srv.url('train'));
  await waitForApp(page);
  await page.waitForFunction(() => /Running on WebGPU/.test(document.querySelector('#engine-state')?.textContent), null, { timeout: 120_000 });

  // A fresh page proposes the run chosen for two minutes on a CPU (the
  // article's CNN, 10,000 images, batches of 32, 6 epochs, no augmentation,
  // every core) and says why.
  assert.equal(await page.getByLabel('Model', { exact: true }).inputValue(), 'doc-cnn');
  assert.equal(await page.getByLabel('Training images').inputValue(), '10000');
  assert.equal(await page.getByLabel('Batch size').inputValue(), '32');
  assert.equal(await page.getByLabel('Epochs').inputValue(), '6');
  assert.equal(await page.getByLabel(/Augmentation/).isChecked(), false);
  assert.equal(await page.getByLabel(/Every core on the CPU/).isChecked(), true);
  assert.match(await page.locator('#train-defaults').textContent(), /a visit of about two minutes on a CPU/);

  // WebGPU, with a pause.
  await smallRun(page);
  await page.getByRole('button', { name: 'Start' }).click();
  await waitForStep(page, 1);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.locator('#train-progress', { hasText: 'Paused.' }).waitFor({ timeout: 240_000 });
  // The page answers while the worker is busy or paused.
  const t0 = Date.now();
  await page.getByRole('link', { name: 'Train', exact: true }).focus();
  const latency = Date.now() - t0;
  const before = await page.evaluate(() => performance.now());
  await page.waitForTimeout(2000);
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.waitForFunction(() => /step \d+\//.test(document.querySelector('#train-progress')?.textContent));
  const resumedAt = await step(page);
  await waitForStep(page, resumedAt + 1);
  console.log(`# focus while training: ${latency} ms (page clock ${before.toFixed(0)} ms)`);
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.locator('#train-outcome', { hasText: 'Stopped' }).waitFor({ timeout: 240_000 });
  const saved = page.getByRole('list', { name: 'Saved models' }).getByRole('listitem');
  await saved.first().waitFor();
  assert.match(await saved.first().textContent(), /doc-cnn · 1000 images · Adam lr 0\.003 · WebGPU/);
  await screenshot(page, 'train-webgpu');

  // The CPU backend, the same run.
  await page.getByRole('radio', { name: 'CPU' }).check();
  await page.waitForFunction(() => /Running on CPU/.test(document.querySelector('#engine-state')?.textContent));
  await trainAndStop(page, 'CPU');
  await page.waitForFunction(() => document.querySelectorAll('ul.saved li').length === 2);

  // A reload keeps both models; the classify page offers them and uses one.
  await page.reload();
  await waitForApp(page);
  await page.getByRole('list', { name: 'Saved models' }).getByRole('listitem').nth(1).waitFor();
  assert.equal(await page.getByRole('list', { name: 'Saved models' }).getByRole('listitem').count(), 2);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Classify' }).click();
  const option = page.locator('#classify-model option', { hasText: 'Saved here: doc-cnn' }).first();
  await option.waitFor({ state: 'attached' });
  await page.getByLabel('Model', { exact: true }).selectOption(await option.getAttribute('value'));
  await page.getByRole('button', { name: 'Test sample 3: ship' }).click();
  await page.locator('#classify-timing', { hasText: 'doc-cnn, 122,570 parameters' }).waitFor({ timeout: 120_000 });
  assert.equal(await page.locator('.top5 li').count(), 5);
  assert.deepEqual(problems, []);
  await context.close();
});

test('while the first epochs run, the test set is looked at part-way through, on the page, the chart and in the export', async () => {
  const { page, problems, context } = await openPage(env.browser);
  page.setDefaultTimeout(60_000);
  await page.goto(env.srv.url('train'));
  await waitForApp(page);
  await page.getByRole('radio', { name: 'CPU' }).check();
  await page.waitForFunction(() => /Running on CPU/.test(document.querySelector('#engine-state')?.textContent), null, { timeout: 120_000 });
  // The default CNN (nine times the article's cost an image): its first epoch
  // (the images that had arrived) lasts well over the 5 s of training before
  // a look on any machine; the line says where in which epoch it was taken.
  await page.getByLabel('Model', { exact: true }).selectOption('lab-cnn');
  await page.getByRole('button', { name: 'Start' }).click();
  const line = await (await page.waitForFunction(() => {
    const text = document.querySelector('#train-test')?.textContent ?? '';
    return /^Test accuracy at epoch \d, batch/.test(text) && text;
  }, null, { timeout: 240_000, polling: 250 })).jsonValue();
  const m = line.match(/^Test accuracy at epoch (\d), batch (\d+)\/(\d+): ([\d.]+) % \(95 % interval [\d.]+–[\d.]+ %, n = 860\), (?:\d+ min )?\d+ s after Start\.$/);
  assert.ok(m, line);
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.locator('#train-outcome', { hasText: 'Stopped' }).waitFor({ timeout: 240_000 });
  const run = JSON.parse((await download(page, page.getByRole('button', { name: 'the whole run (JSON)' }))).toString());
  assert.ok(run.looks.length >= 1, 'the export has the looks');
  const shown = run.looks.find((l) => l.epoch === Number(m[1]) && l.batch === Number(m[2]));
  assert.ok(shown, `the look on the page is in the export: ${line}`);
  assert.equal(shown.batches, Number(m[3]));
  assert.equal((100 * shown.test_accuracy).toFixed(1), m[4]);
  assert.equal(shown.test_images, 860);
  assert.ok(shown.seconds >= 5, `not before five seconds of training: ${shown.seconds}`);
  assert.ok(shown.batch * 10 < shown.batches * 9, 'not in the epoch\'s last tenth');
  assert.equal(run.batches.find((b) => b.step === shown.step)?.batch, shown.batch, 'taken after that step');
  // Both charts draw a dot for each test result, the epochs' and the looks'.
  assert.equal(await page.locator('svg circle.point.s1').count(), 2 * (run.epochs.length + run.looks.length));
  console.log(`# ${line} (${run.looks.length} looks, ${run.batches.length} steps; looks ${JSON.stringify(run.looks.map((l) => [l.step, l.test_loss]))}, epochs ${JSON.stringify(run.epochs.map((e) => [e.step, e.test_loss]))})`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a corrupt or foreign weights file gets a clear message', async () => {
  const { page, problems, context } = await openPage(env.browser);
  await page.goto(env.srv.url('train'));
  await waitForApp(page);
  await page.getByLabel('Load a weights file').setInputFiles({ name: 'broken.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('not a weights file at all') });
  await page.locator('#saved-message', { hasText: 'broken.safetensors:' }).waitFor({ timeout: 120_000 });
  const msg = await page.locator('#saved-message').textContent();
  assert.doesNotMatch(msg, /Loaded/, msg);
  console.log(`# ${msg}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('saving: a write the browser refuses names the model, keeps the earlier ones, and the storage line says what is stored', async () => {
  const { page, problems, context } = await openPage(env.browser);
  await page.goto(env.srv.url('train'));
  await waitForApp(page);
  const weights = readFileSync(join(ROOT, 'public/models/doc-cnn.safetensors'));
  const load = (name) => page.getByLabel('Load a weights file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: weights });
  const saved = page.getByRole('list', { name: 'Saved models' }).getByRole('listitem');
  await load('first.safetensors');
  await page.locator('#saved-message', { hasText: 'Loaded first.safetensors' }).waitFor({ timeout: 120_000 });
  await saved.first().waitFor();
  const storage = page.locator('#storage-use');
  await storage.filter({ hasText: /This site stores [\d.]+ [kMG]?B in this browser \(saved models and its offline copy\), of the [\d.]+ [kMG]?B the browser allows it\./ }).waitFor();
  console.log(`# ${await storage.textContent()}`);
  const engine = page.workers().find((w) => plainName(w.url()) === 'engine.js');

  // 1. The request succeeds, then the transaction aborts before it commits
  // (what a quota abort at commit looks like): not saved.
  await engine.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
      const req = put.apply(this, args);
      req.addEventListener('success', () => this.transaction.abort());
      return req;
    };
    self.__restorePut = () => (IDBObjectStore.prototype.put = put);
  });
  await load('second.safetensors');
  await page.locator('#saved-message', { hasText: '“second.safetensors” was not saved' }).waitFor({ timeout: 60_000 });
  assert.match(await page.locator('#saved-message').textContent(), /the browser refused to store it \(AbortError: .*\)\. The models saved before are intact\./);

  // 2. The quota is full.
  await engine.evaluate(() => {
    self.__restorePut();
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await load('third.safetensors');
  await page.locator('#saved-message', { hasText: '“third.safetensors” was not saved' }).waitFor({ timeout: 60_000 });
  assert.match(await page.locator('#saved-message').textContent(), /storage for this site is full\. Delete some saved models and save again/);

  // Nothing was lost: after a reload only the first model is there.
  await page.reload();
  await waitForApp(page);
  await page.getByRole('list', { name: 'Saved models' }).getByRole('listitem').first().waitFor({ timeout: 120_000 });
  const names = await page.getByRole('list', { name: 'Saved models' }).getByRole('listitem').allTextContents();
  assert.equal(names.length, 1, names.join(' | '));
  assert.match(names[0], /^first\.safetensors/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a learning rate that makes training diverge stops the run with an explanation', async (t) => {
  assert.ok(testImage(0), 'the CIFAR-10 test images are needed (set CIFAR10_DIR; see the README)');
  const { page, problems, context } = await openPage(env.browser);
  await page.goto(env.srv.url('train'));
  await waitForApp(page);
  await page.waitForFunction(() => /Running on/.test(document.querySelector('#engine-state')?.textContent), null, { timeout: 120_000 });
  await page.getByRole('radio', { name: 'CPU' }).check();
  await page.waitForFunction(() => /Running on CPU/.test(document.querySelector('#engine-state')?.textContent));
  await smallRun(page);
  await page.getByLabel('Optimizer').selectOption('sgd');
  await page.getByLabel('Learning rate').fill('10');
  await page.getByRole('button', { name: 'Start' }).click();
  const outcome = page.locator('#train-outcome');
  await outcome.filter({ hasText: 'Training diverged' }).waitFor({ timeout: 240_000 });
  assert.match(await outcome.textContent(), /the loss became (NaN|inf).*learning rate \(10\) is too high.*lower it/);
  assert.doesNotMatch(await page.locator('main').textContent(), /NaN bits|NaN images/);
  assert.equal(await page.getByRole('button', { name: 'Start' }).isEnabled(), true, 'a new run can start');
  console.log(`# ${await outcome.textContent()}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a student CNN distils from the shipped model on the CPU', async (t) => {
  assert.ok(testImage(0), 'the CIFAR-10 test images are needed (set CIFAR10_DIR; see the README)');
  const { page, problems, context } = await openPage(env.browser);
  page.setDefaultTimeout(60_000);
  await page.goto(env.srv.url('train'));
  await waitForApp(page);
  await page.waitForFunction(() => /Running on/.test(document.querySelector('#engine-state')?.textContent), null, { timeout: 120_000 });
  await page.getByRole('radio', { name: 'CPU' }).check();
  await page.waitForFunction(() => /Running on CPU/.test(document.querySelector('#engine-state')?.textContent));
  await page.getByLabel('Model', { exact: true }).selectOption('lab-cnn-s');
  await page.getByLabel('Training images').selectOption('1000');
  await page.getByLabel('Teacher (distillation)').selectOption('doc-cnn');
  await page.getByLabel('Temperature T').fill('0');
  assert.match(await page.locator('#train-temperature-msg').textContent(), /between 0\.1 and 100/);
  await page.getByLabel('Temperature T').fill('3');
  await page.getByLabel('Epochs').fill('1');
  await page.getByLabel('Batch size').selectOption('16');
  await page.getByRole('button', { name: 'Start' }).click();
  await waitForStep(page, 2);
  const meter = await page.locator('#train-meter').textContent();
  assert.match(meter, /labels cost [\d,]+ bits under the model/, 'the meter measures the student on the labels');
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.locator('#train-outcome', { hasText: 'Stopped' }).waitFor({ timeout: 240_000 });
  const saved = page.getByRole('list', { name: 'Saved models' }).getByRole('listitem');
  await saved.first().waitFor();
  assert.match(await saved.first().textContent(), /lab-cnn-s · 1000 images · Adam lr 0\.003 · distilled T 3 α 0\.9 · CPU/);
  assert.deepEqual(problems, []);
  await context.close();
});
