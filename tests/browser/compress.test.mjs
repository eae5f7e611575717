// The compression lab: moving the sparsity and bits controls changes the
// measured accuracy and size; a sweep completes on the CPU backend and draws
// its frontier and description-length minimum; a compressed model downloads,
// is saved here and classifies on the classify page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useBrowser, openPage, waitForApp, screenshot, download, parseCsv, copyLink } from './harness.mjs';
import { testImage } from './images.mjs';

const env = useBrowser();

const num = (s) => Number(s.replace(/[^\d.]/g, ''));

/** Waits for a measurement of the plan named in the heading, returns accuracy (%) and file size text. */
async function measured(page, label) {
  await page.waitForFunction((l) => document.querySelector('#compress-report')?.dataset.plan === l
    && document.querySelector('[aria-busy]')?.getAttribute('aria-busy') === 'false', label, { timeout: 240_000 });
  return {
    acc: num(await page.locator('#compress-accuracy').textContent()),
    size: await page.locator('#compress-size').textContent(),
  };
}

const toBytes = (s) => {
  const v = Number(s.match(/[\d.]+/)[0]);
  return s.includes('MB') ? v * 1e6 : s.includes('kB') ? v * 1e3 : v;
};

test('sparsity and bits change accuracy and size; the sweep completes on the CPU', async (t) => {
  assert.ok(testImage(0), 'the CIFAR-10 test images are needed (set CIFAR10_DIR; see the README)');
  const { page, problems } = await openPage(env.browser);
  page.setDefaultTimeout(120_000);
  await page.goto(env.srv.url('compress'));
  await waitForApp(page);
  await page.getByRole('radio', { name: 'CPU' }).check();
  await page.waitForFunction(() => /Running on CPU/.test(document.querySelector('#engine-state')?.textContent));
  await page.getByLabel('Model', { exact: true }).selectOption('doc-cnn');
  await page.getByLabel('Test images to measure on').selectOption('100');

  // 8-bit affine per channel (the default) is close to the original.
  const q8 = await measured(page, '8-bit affine per channel');
  const original = num((await page.locator('.stat-note').first().textContent()).match(/original ([\d.]+)%/)[1]);
  assert.ok(Math.abs(q8.acc - original) <= 3, `8-bit ${q8.acc}% vs original ${original}%`);
  assert.ok(toBytes(q8.size) < 0.3 * 122570 * 4, `8-bit file ${q8.size}`);

  // Two bits: much smaller, and the accuracy moves.
  await page.getByLabel(/Bits per weight/).fill('2');
  const q2 = await measured(page, '2-bit affine per channel');
  assert.ok(toBytes(q2.size) < toBytes(q8.size) * 0.5, `${q2.size} vs ${q8.size}`);
  assert.notEqual(q2.acc, q8.acc);

  // Prune 90 % per layer: the per-layer table shows 10 % kept.
  await page.getByLabel(/Sparsity/).fill('90');
  await page.getByRole('radio', { name: 'Per layer' }).check();
  const p90 = await measured(page, '90% pruned per layer · 2-bit affine per channel');
  assert.ok(toBytes(p90.size) < toBytes(q2.size), `${p90.size} vs ${q2.size}`);
  const kept = await page.locator('table.layers tbody tr').first().locator('td').nth(2).textContent();
  assert.match(kept, /\(10\.0%\)/);
  // The size table adds up to the container.
  const rows = await page.locator('table.terms').first().locator('tbody tr td.num').allTextContents();
  const parts = rows.slice(0, 5).map(num);
  assert.equal(parts.reduce((a, b) => a + b, 0), num(rows[5]));
  // Per layer: the entropy of mask and values beside the bytes written, which
  // add up to the masks and values rows; the coder is close to the entropy.
  const layerCells = await page.locator('table.layers tbody tr').evaluateAll((trs) => trs.map((tr) =>
    [...tr.querySelectorAll('td')].slice(-2).map((td) => Number(td.textContent.replace(/[^\d.]/g, '')))));
  const written = layerCells.reduce((a, [, w]) => a + w, 0);
  assert.equal(written, parts[1] + parts[3]);
  for (const [entropy, w] of layerCells) assert.ok(w > 0 && w <= 1.1 * entropy + 40, `${w} B written for ${entropy} B of entropy`);
  assert.match(await page.locator('figure.chart svg').first().getAttribute('aria-label'), /pruned to zero/);

  // A quantization sweep on the CPU: 8 settings, frontier and the minimum explained.
  await page.getByLabel('Sweep', { exact: true }).selectOption('Quantization');
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Run sweep' }).click();
  await page.getByText('Sweep finished: 8 of 8 settings measured.').waitFor({ timeout: 600_000 });
  console.log(`# quantization sweep (8 settings, 100 images, doc-cnn, CPU): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  assert.equal(await page.locator('#sweep-table tbody tr').count(), 8);
  assert.ok(await page.locator('circle.pt.front').count() >= 2, 'a Pareto frontier');
  assert.equal(await page.locator('circle.pt.best').count(), 1, 'one minimum of the description length');
  const explain = await page.locator('#dl-explain').textContent();
  assert.match(explain, /With 100 labels to explain \(measured\), the shortest two-part code is/);
  assert.match(explain, /longer than simply writing each label/, 'a network cannot pay for itself on 100 labels');
  await page.getByLabel('Labels to explain').selectOption('1000000');
  assert.match(await page.locator('#dl-explain').textContent(), /With 1,000,000 labels to explain \(label cost extrapolated/);
  await screenshot(page, 'compress-sweep');

  // The sweep's points as CSV: a row per setting, the plans of the table,
  // the frontier as drawn, sizes ordered from the largest.
  const points = parseCsv((await download(page, page.getByRole('button', { name: "the sweep's points (CSV)" }))).toString());
  assert.deepEqual(points[0], ['plan', 'file_bytes', 'ratio', 'test_images', 'accuracy', 'original_accuracy', 'label_bits', 'two_part_bits', 'on_pareto_frontier']);
  assert.equal(points.length, 9);
  const table = await page.locator('#sweep-table tbody').textContent();
  for (const r of points.slice(1)) {
    assert.ok(table.includes(r[0]), `${r[0]} is in the table`);
    assert.equal(r[3], '100');
  }
  const sizes = points.slice(1).map((r) => Number(r[1]));
  assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
  assert.equal(points.filter((r) => r[8] === 'true').length, await page.locator('circle.pt.front').count());
  // The link restores the plan and its measurement in a fresh browser.
  const link = await copyLink(page, env.srv.origin);
  assert.match(link, /model=doc-cnn.*images=100.*prune=90.*scope=layer.*bits=2/);
  const fresh = await openPage(env.browser);
  fresh.page.setDefaultTimeout(120_000);
  await fresh.page.goto(link);
  await waitForApp(fresh.page);
  await fresh.page.getByRole('radio', { name: 'CPU' }).check();
  await fresh.page.waitForFunction(() => /Running on CPU/.test(document.querySelector('#engine-state')?.textContent));
  const again = await measured(fresh.page, '90% pruned per layer · 2-bit affine per channel');
  assert.deepEqual(again, p90, 'the same measurement from the link');
  assert.deepEqual([...problems, ...fresh.problems], []);
  await fresh.context.close();
});

test('a compressed model downloads as .clz, is saved here and classifies', async (t) => {
  assert.ok(testImage(0), 'the CIFAR-10 test images are needed (set CIFAR10_DIR; see the README)');
  const { page, problems } = await openPage(env.browser);
  page.setDefaultTimeout(120_000);
  await page.goto(env.srv.url('compress'));
  await waitForApp(page);
  await page.getByLabel('Model', { exact: true }).selectOption('doc-cnn');
  await page.getByLabel('Test images to measure on').selectOption('100');
  await page.getByRole('radio', { name: 'Share (k-means)' }).check();
  const r = await measured(page, '16 shared values');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the compressed file (.clz)' }).click(),
  ]);
  const file = await readFile(await download.path());
  assert.equal(file.subarray(0, 4).toString(), 'CLZ2');
  assert.match(download.suggestedFilename(), /^doc-cnn-16-shared-values\.clz$/);
  assert.ok(Math.abs(file.length - toBytes(r.size)) <= 0.005 * file.length + 1, `file ${file.length} B, shown ${r.size}`);
  await page.getByRole('button', { name: 'Save in this browser (for the Classify page)' }).click();
  await page.getByText(/Saved “doc-cnn · 16 shared values” in this browser/).waitFor();

  await page.goto(env.srv.url('classify'));
  await waitForApp(page);
  const option = page.locator('#classify-model option', { hasText: 'Saved here: doc-cnn · 16 shared values' });
  await option.waitFor({ state: 'attached' });
  await page.getByLabel('Model', { exact: true }).selectOption({ label: 'Saved here: doc-cnn · 16 shared values' });
  await page.locator('.sample').first().click();
  await page.locator('#classify-timing', { hasText: 'doc-cnn' }).waitFor({ timeout: 120_000 });
  // Its answer beside the original model's.
  await page.getByLabel('Compare with').selectOption('doc-cnn');
  const line = page.locator('#classify-compared', { hasText: 'Second model' });
  await line.waitFor({ timeout: 120_000 });
  assert.match(await line.textContent(), /Second model \(doc-cnn, 122,570 parameters\): \w+ at [\d.]+% — (the same|a different) top answer; the ten probabilities differ by at most [\d.]+ points\./);
  assert.deepEqual(problems, []);
});

test('the test labels become an arithmetic-coded file that decodes back with the same model only', async (t) => {
  assert.ok(testImage(0), 'the CIFAR-10 test images are needed (set CIFAR10_DIR; see the README)');
  const { page, problems } = await openPage(env.browser);
  page.setDefaultTimeout(180_000);
  await page.goto(env.srv.url('compress'));
  await waitForApp(page);
  await page.getByLabel('Model', { exact: true }).selectOption('doc-cnn');
  await page.getByLabel('Test images to measure on').selectOption('100');
  await measured(page, '8-bit affine per channel');
  await page.getByRole('radio', { name: 'The compressed model (the plan above)' }).check();
  await page.getByRole('button', { name: 'Code the test labels' }).click();
  const line = await page.locator('#labels-line').textContent();
  const cell = async (row) => page.locator('#labels-sizes tr', { hasText: row }).locator('td').nth(1).textContent();
  // "553 bits = 70 B": Σ −log₂ p under the model, and Σ −log₂ q, what the coder codes.
  const ideal = (await cell('under the model')).match(/([\d,]+) bits = ([\d,]+) B/);
  const idealBits = num(ideal[1]);
  const coded = (await cell('what the coder codes')).match(/([\d,]+) bits = ([\d,]+) B/);
  const idealBytes = num(coded[2]);
  assert.equal(idealBytes, Math.ceil(num(coded[1]) / 8) || idealBytes, line);
  const fileBytes = num((await cell('The file')).match(/\(([\d,]+) B\)/)[1]);
  const twoPart = await cell('Two-part code');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the labels file' }).click(),
  ]);
  const path = await download.path();
  const file = await readFile(path);
  assert.match(download.suggestedFilename(), /^doc-cnn-8-bit-affine-per-channel-labels-100\.cll$/);
  assert.equal(file.subarray(0, 4).toString('latin1'), 'CLL\x01');
  assert.equal(file.length, fileBytes, 'the file is the size the page shows');
  // A 9-byte header (magic 4, the count 100 in one byte, checksum 4); the coded bits
  // within a byte of ⌈Σ −log₂ q / 8⌉ (the coder ends at most 2 bits above Σ −log₂ q).
  assert.ok(Math.abs(file.length - 9 - idealBytes) <= 1, `file ${file.length} B, ⌈Σ −log₂ q / 8⌉ ${idealBytes} B + 9`);
  assert.ok(idealBits < 100 * Math.log2(10), `a trained model beats log2 10 a label: ${idealBits}`);
  const [, clz, labelsFile, sum] = twoPart.match(/([\d,]+) B \+ ([\d,]+) B = ([\d,]+) B/).map(num);
  assert.equal(labelsFile, file.length);
  assert.equal(clz + labelsFile, sum);
  const shown = toBytes(await page.locator('#compress-size').textContent());
  assert.ok(Math.abs(clz - shown) <= 0.005 * clz + 1, `.clz ${clz} B in the two-part row, ${shown} B measured`);
  assert.match(line, new RegExp(`100 labels coded .* the coded bits take ${file.length - 9} B`));

  // Decoded in the page with the same model, from the images alone.
  await page.locator('#labels-file').setInputFiles(path);
  await page.locator('#labels-decoded', { hasText: '100 of 100 labels equal the originals' }).waitFor();

  // Damaged: one bit flipped in the coded bits. An error, never other labels.
  const bad = Buffer.from(file);
  bad[bad.length - 3] ^= 0x10;
  await page.locator('#labels-file').setInputFiles({ name: 'bad.cll', mimeType: 'application/octet-stream', buffer: bad });
  await page.locator('#labels-decoded', { hasText: 'bad.cll: The decoded labels do not check out' }).waitFor();
  // Another model: the uncompressed one computes other probabilities.
  await page.getByRole('radio', { name: 'The model as trained' }).check();
  await page.locator('#labels-file').setInputFiles(path);
  await page.locator('#labels-decoded', { hasText: 'do not check out' }).waitFor();
  assert.doesNotMatch(await page.locator('#labels-decoded').textContent(), /labels equal/);
  // Not a labels file at all.
  await page.locator('#labels-file').setInputFiles({ name: 'notes.cll', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await page.locator('#labels-decoded', { hasText: 'notes.cll: This is not a coded-labels file from this site.' }).waitFor();
  await screenshot(page, 'compress-labels');
  assert.deepEqual(problems, []);
});
