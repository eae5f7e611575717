// The classify page: the engine worker loads on demand and names its backend;
// real CIFAR-10 test images uploaded as a PNG, a large JPEG, by drop and by
// paste are classified; bad files get a clear message and lose nothing; the
// CPU backend agrees with WebGPU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { useBrowser, openPage, waitForApp, screenshot, distFile, plainName } from './harness.mjs';
import { CLASSES, testImage, pngOf, corruptPng, fiftyMegapixelPng } from './images.mjs';

const env = useBrowser();

// Test images the shipped model gets right with confidence (checked natively
// in tests/engine.rs): index 5 is a frog, index 14 a truck.
const FROG = 5;
const TRUCK = 14;

/** Waits for a finished result and returns the top five as [class, percent]. */
async function top5(page) {
  await page.waitForFunction(() => {
    const list = document.querySelector('.top5');
    return list && !list.classList.contains('stale') && list.querySelectorAll('li').length === 5;
  }, null, { timeout: 120_000 });
  const rows = await page.getByRole('list', { name: 'Top 5 classes' }).getByRole('listitem').allTextContents();
  return rows.map((r) => {
    const m = r.match(/^([a-z]+)([\d.]+)%$/);
    assert.ok(m, `unexpected row ${r}`);
    return [m[1], Number(m[2])];
  });
}

/** Waits until the caption names `text` (the picture shown changed). */
async function shows(page, text) {
  await page.locator('figcaption', { hasText: text }).waitFor({ timeout: 60_000 });
}

async function upload(page, name, mimeType, buffer) {
  await page.getByLabel('Choose an image').setInputFiles({ name, mimeType, buffer });
}

test('the landing page does not load the engine; the classify page does, and says which backend runs', async () => {
  const { page, problems, context } = await openPage(env.browser);
  const engineRequests = [];
  page.on('request', (r) => {
    if (/worker_bg-[0-9a-f]{16}\.wasm|engine-[0-9a-f]{16}\.js/.test(r.url())) engineRequests.push(r.url());
  });
  await page.goto(env.srv.url());
  await waitForApp(page);
  await page.waitForTimeout(500);
  assert.deepEqual(engineRequests, [], 'the landing page must not fetch the engine');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Classify' }).click();
  await page.getByRole('heading', { level: 1, name: 'Classify your own images' }).waitFor();
  const state = page.locator('#engine-state');
  await page.waitForFunction(() => /Running on/.test(document.querySelector('#engine-state')?.textContent), null, { timeout: 120_000 });
  assert.ok(engineRequests.some((u) => plainName(u) === 'worker_bg.wasm'), 'the engine is fetched by the page');
  // Headless Chromium with --enable-unsafe-webgpu offers SwiftShader.
  assert.match(await state.textContent(), /Running on WebGPU — .*swiftshader/i);
  assert.match(await page.locator('#engine-why').textContent(), /WebGPU adapter/);
  assert.equal(await page.getByRole('radio', { name: 'WebGPU' }).isChecked(), true);
  assert.deepEqual(problems, []);
  await context.close();
});

test('uploads: a PNG, a large JPEG, a drop and a paste are classified; bad files get messages and lose nothing', async (t) => {
  const frog = testImage(FROG);
  const truck = testImage(TRUCK);
  assert.ok(frog, 'the CIFAR-10 test images are needed (set CIFAR10_DIR; see the README)');
  assert.equal(CLASSES[frog.label], 'frog');
  assert.equal(CLASSES[truck.label], 'truck');
  const { page, problems, context } = await openPage(env.browser);
  await page.goto(env.srv.url('classify'));
  await waitForApp(page);

  // A PNG of a real test image.
  await upload(page, 'frog.png', 'image/png', pngOf(frog.rgb));
  await shows(page, 'frog.png (PNG 32×32)');
  let top = await top5(page);
  assert.ok(top.slice(0, 2).some(([c]) => c === 'frog'), `frog not in the top 2: ${JSON.stringify(top)}`);
  assert.ok(Math.abs(top.reduce((s, [, p]) => s + p, 0) - 100) < 5, 'top-5 probabilities are a distribution');
  // The page starts from the compressed model and gives its accuracy from its metadata.
  const meta = JSON.parse(readFileSync(distFile('models/lab-cnn-p80q4.json'), 'utf8'));
  const acc = (100 * meta.test_accuracy).toFixed(1);
  const timing = await page.locator('#classify-timing').textContent();
  assert.ok(
    timing.includes(`(lab-cnn, 308,842 parameters, ${acc}% (95 % interval `) && timing.includes('n = 860) on the test set)') &&
      /Inference: [\d.]+ ms on WebGPU/.test(timing),
    `${timing} (metadata: ${acc}%)`,
  );

  // The same kind of picture as a 4000×3000 JPEG (12 MP): the test image fills the
  // centered square, grey bars on the sides, encoded by the browser itself.
  const jpegBase64 = await page.evaluate(async (rgb) => {
    const small = new ImageData(32, 32);
    for (let p = 0; p < 1024; p++) {
      small.data.set([rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2], 255], p * 4);
    }
    const canvas = new OffscreenCanvas(4000, 3000);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#777';
    ctx.fillRect(0, 0, 4000, 3000);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(await createImageBitmap(small), 500, 0, 3000, 3000);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, [...truck.rgb]);
  const jpeg = Buffer.from(jpegBase64, 'base64');
  await upload(page, 'truck.jpg', 'image/jpeg', jpeg);
  await shows(page, 'truck.jpg (JPEG 4000×3000)');
  top = await top5(page);
  assert.ok(top.slice(0, 2).some(([c]) => c === 'truck'), `truck not in the top 2: ${JSON.stringify(top)}`);
  console.log(`# large JPEG: ${(jpeg.length / 1e6).toFixed(2)} MB, top: ${top[0][0]} ${top[0][1]}%`);

  // Bad files: each gets its message; the truck result stays on the page.
  const error = page.locator('#classify-error');
  await upload(page, 'notes.txt', 'text/plain', Buffer.from('These are my notes, not a picture.\n'));
  await error.filter({ hasText: 'notes.txt: This file is not an image' }).waitFor();
  await upload(page, 'broken.png', 'image/png', corruptPng());
  await error.filter({ hasText: 'broken.png: The file starts like a PNG image but cannot be decoded' }).waitFor();
  await upload(page, 'huge.png', 'image/png', fiftyMegapixelPng());
  await error.filter({ hasText: 'huge.png: This image is 7072 × 7072 = 50.0 megapixels; the limit is 40 megapixels' }).waitFor();
  await upload(page, 'scan.tiff', 'image/tiff', Buffer.from('II*\0\x08\0\0\0\0\0\0\0\0\0\0\0', 'latin1'));
  await error.filter({ hasText: 'a TIFF image, a format browsers cannot decode' }).waitFor();
  await shows(page, 'truck.jpg');
  assert.deepEqual((await top5(page))[0], top[0], 'the last good result is still shown');
  await screenshot(page, 'classify-error');

  // Drop and paste deliver files the same way; the worker survived the bad files.
  const frogPng = [...pngOf(frog.rgb)];
  await page.evaluate((bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], 'dropped.png', { type: 'image/png' }));
    document.querySelector('.dropzone').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, frogPng);
  await shows(page, 'dropped.png');
  assert.ok((await top5(page)).slice(0, 2).some(([c]) => c === 'frog'));
  assert.equal((await error.textContent()).trim(), '', 'a good file clears the message');
  await page.evaluate((bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], 'clip.png', { type: 'image/png' }));
    window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, frogPng);
  await shows(page, 'Pasted image (PNG 32×32)');
  assert.ok((await top5(page)).slice(0, 2).some(([c]) => c === 'frog'));
  await screenshot(page, 'classify-upload');
  assert.deepEqual(problems, []);
  await context.close();
});

test('samples and backends: the CPU agrees with WebGPU; the article model can be chosen', async (t) => {
  const { page, problems, context } = await openPage(env.browser);
  await page.goto(env.srv.url('classify'));
  await waitForApp(page);
  const samples = page.getByRole('list', { name: 'Sample test images' }).getByRole('button');
  try {
    await samples.first().waitFor({ timeout: 30_000 });
  } catch {
    assert.match(await page.locator('#samples-missing').textContent(), /CIFAR10_DIR/);
    assert.fail('the CIFAR-10 data is needed (set CIFAR10_DIR): the page says so, but has no samples');
  }
  assert.equal(await samples.count(), 20);
  // Sample 3 is a ship (test image 2).
  await page.getByRole('button', { name: 'Test sample 3: ship' }).click();
  await shows(page, 'CIFAR-10 test sample 3 (ship)');
  const gpu = await top5(page);
  assert.equal(gpu[0][0], 'ship');
  assert.equal(await page.locator('.top5 li.hit .name').textContent(), 'ship', 'the true class is marked');
  const gpuTime = await page.locator('#classify-timing').textContent();

  await page.getByRole('radio', { name: 'CPU' }).check();
  await page.waitForFunction(() => /Running on CPU/.test(document.querySelector('#engine-state')?.textContent));
  assert.match(await page.locator('#engine-why').textContent(), /You chose the CPU/);
  await page.locator('#classify-timing', { hasText: 'on CPU' }).waitFor({ timeout: 60_000 });
  const cpu = await top5(page);
  assert.equal(cpu[0][0], 'ship');
  for (let k = 0; k < 5; k++) {
    assert.equal(cpu[k][0], gpu[k][0]);
    assert.ok(Math.abs(cpu[k][1] - gpu[k][1]) <= 0.1, `${cpu[k]} vs ${gpu[k]}`);
  }
  const cpuTime = await page.locator('#classify-timing').textContent();
  console.log(`# ${gpuTime}\n# ${cpuTime}`);

  await page.getByLabel('Model', { exact: true }).selectOption('doc-cnn');
  await page.locator('#classify-timing', { hasText: 'doc-cnn, 122,570 parameters' }).waitFor({ timeout: 60_000 });
  assert.equal((await top5(page)).length, 5);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the compressed model: the first download, what it costs, compared with the original', async (t) => {
  const frog = testImage(FROG);
  assert.ok(frog, 'the CIFAR-10 test images are needed (set CIFAR10_DIR; see the README)');
  const { page, problems, context } = await openPage(env.browser);
  const models = [];
  page.on('requestfinished', async (r) => {
    if (/\/models\//.test(r.url())) models.push(plainName(r.url()));
  });
  await page.goto(env.srv.url('classify'));
  await waitForApp(page);
  assert.equal(await page.getByLabel('Model', { exact: true }).inputValue(), 'lab-cnn-p80q4');
  await upload(page, 'frog.png', 'image/png', pngOf(frog.rgb));
  const top = await top5(page);
  assert.equal(top[0][0], 'frog');
  // Only the compressed file (and its metadata) came down: no 1.2 MB original.
  assert.deepEqual([...models].sort(), ['lab-cnn-p80q4.clz', 'lab-cnn-p80q4.json']);
  const clz = statSync(distFile('models/lab-cnn-p80q4.clz')).size;
  const note = await page.locator('#classify-model-note').textContent();
  const m = note.match(
    /a ([\d,]+)-byte download instead of ([\d,]+) bytes, ([\d.]+)× smaller\. On the 860 test images it scores ([\d.]+) % \(95 % interval ([\d.]+)–([\d.]+) %, n = 860\) against the original's ([\d.]+) %/,
  );
  assert.ok(m, note);
  const bytes = (s) => Number(s.replaceAll(',', ''));
  assert.equal(bytes(m[1]), clz, 'the note gives the size that was downloaded');
  assert.ok(bytes(m[2]) / clz > 10, `${m[2]} / ${clz}`);
  const [acc, lo, hi, original] = [m[4], m[5], m[6], m[7]].map(Number);
  assert.ok(lo < acc && acc < hi && hi - lo < 6, `the interval holds the accuracy: ${lo}–${hi}`);
  assert.ok(acc - original >= -2, `within 2 points: ${acc} against ${original}`);
  // The two on the same images: their disagreements and the exact test.
  const d = note.match(/they disagree (\d+) times: (\d+) only the original gets right, (\d+) only the compressed model \(exact McNemar p = ([\d.]+)/);
  assert.ok(d, note);
  assert.equal(Number(d[1]), Number(d[2]) + Number(d[3]));
  // Compare with the original: the same picture, both answers.
  await page.getByLabel('Compare with').selectOption('lab-cnn');
  const compared = page.locator('#classify-compared');
  await compared.filter({ hasText: 'Second model (lab-cnn, 308,842 parameters)' }).waitFor({ timeout: 60_000 });
  const text = await compared.textContent();
  assert.match(text, /: frog at [\d.]+% — the same top answer; the ten probabilities differ by at most [\d.]+ points\./);
  const gap = Number(text.match(/at most ([\d.]+) points/)[1]);
  console.log(`# compressed ${clz} B: frog ${top[0][1]}%; ${text}`);
  assert.ok(gap < 50, `${gap}`);
  assert.ok(models.includes('lab-cnn.safetensors'), 'the original is fetched only to compare');
  assert.deepEqual(problems, []);
  await context.close();
});

/** The pixel size an <img> decoded to. */
async function natural(locator) {
  await locator.waitFor();
  return locator.evaluate(async (img) => {
    await img.decode();
    return [img.naturalWidth, img.naturalHeight];
  });
}

test('inside the network: every stage for the picture, a map large with its kernel, the filters, saliency', async (t) => {
  const { page, problems, context } = await openPage(env.browser, { width: 1280, height: 900 });
  await page.goto(env.srv.url('classify'));
  await waitForApp(page);
  const sample = page.getByRole('button', { name: 'Test sample 3: ship' });
  try {
    await sample.waitFor({ timeout: 30_000 });
  } catch {
    assert.fail('the CIFAR-10 data is needed (set CIFAR10_DIR): no sample to classify');
  }
  await sample.click();
  const top = await top5(page);
  assert.equal(top[0][0], 'ship');
  // The default CNN's stages, as numbers per picture: 3,072 in, 10 out.
  const flow = page.locator('#inside-flow');
  await flow.filter({ hasText: '→' }).waitFor({ timeout: 120_000 });
  assert.equal(
    await flow.textContent(),
    '3,072 → 32,768 → 32,768 → 8,192 → 16,384 → 16,384 → 4,096 → 8,192 → 8,192 → 2,048 → 10',
  );
  const stages = page.getByRole('list', { name: 'Stages of the forward pass' }).getByRole('button');
  assert.equal(await stages.count(), 11);
  assert.equal(await stages.nth(1).textContent(), 'Convolution b132×32×3232,768');
  assert.equal(await stages.nth(1).getAttribute('aria-pressed'), 'true', 'the first convolution is shown first');
  const maps = page.getByRole('list', { name: 'Convolution b1' }).getByRole('button');
  assert.equal(await maps.count(), 32);
  assert.deepEqual(await natural(maps.first().locator('img')), [32, 32]);

  // Another stage: 64 maps of 16×16; one opened large beside its kernel.
  await stages.nth(4).click();
  const b3 = page.getByRole('list', { name: 'Convolution b3' }).getByRole('button');
  assert.equal(await b3.count(), 64);
  await b3.nth(4).click();
  const large = page.locator('#inside-large');
  assert.deepEqual(await natural(large.getByRole('img', { name: 'Convolution b3, map 5 of 64, enlarged' })), [16, 16]);
  assert.match(await large.textContent(), /3×3 weights over each of the 32 input channels/);
  // 32 input channels of 3×3, 16 to a row with one-pixel gaps: 63×7 pixels.
  assert.deepEqual(await natural(large.getByRole('img', { name: 'Its kernel, input channel by input channel' })), [63, 7]);
  await stages.nth(3).click();
  await page.getByRole('list', { name: 'Max pooling' }).waitFor();
  assert.equal(await large.count(), 0, 'another stage closes the opened map');
  await stages.nth(10).click();
  assert.deepEqual(await natural(page.locator('img.strip')), [10, 1]);

  // The first layer's 32 kernels as RGB patches, 8 to a row.
  const filters = page.locator('#inside-filters');
  assert.deepEqual(await natural(filters.getByRole('img')), [31, 15]);
  // The default model is the compressed one: its kernels are pruned and quantized.
  const facts = page.locator('#inside-filter-facts');
  const [, zeros, distinct] = (await facts.textContent()).match(/^864 weights: (\d+)% exactly zero, (\d+) distinct values/);
  assert.ok(Number(zeros) > 0 && Number(distinct) < 864, `${zeros}% zero, ${distinct} distinct`);

  // Which pixels decide: the gradient, then occlusion, for the top class.
  await page.getByRole('radio', { name: 'Gradient' }).check();
  const saliency = page.locator('#inside-saliency');
  await saliency.filter({ hasText: 'score of “ship”' }).waitFor({ timeout: 120_000 });
  const overlay = saliency.getByRole('img', { name: 'The same picture with the map over it' });
  const gradientSrc = await overlay.getAttribute('src');
  await page.getByRole('radio', { name: 'Occlusion' }).check();
  await saliency.filter({ hasText: 'probability of “ship”' }).waitFor();
  assert.notEqual(await overlay.getAttribute('src'), gradientSrc, 'the two maps differ');
  const now = Number((await saliency.textContent()).match(/\(now ([\d.]+)%\)/)[1]);
  assert.ok(Math.abs(now - top[0][1]) <= 0.2, `occlusion's base probability ${now} vs the answer's ${top[0][1]}`);
  console.log(`# WebGPU: ${await page.locator('#inside-timing').textContent()} ${await saliency.locator('.hint').textContent()}`);
  await screenshot(page, 'inside-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'inside-390');

  // The CPU backend computes the same stages; the overlay stays chosen.
  await page.setViewportSize({ width: 1280, height: 900 });
  const before = await saliency.locator('.hint').textContent();
  await page.getByRole('radio', { name: 'CPU' }).check();
  await page.locator('#classify-timing', { hasText: 'on CPU' }).waitFor({ timeout: 60_000 });
  await page.waitForFunction(
    (old) => {
      const t = document.querySelector('#inside-saliency .hint')?.textContent;
      return t && t !== old;
    },
    before,
    { timeout: 120_000 },
  );
  assert.match(await saliency.textContent(), /probability of “ship”/);
  console.log(`# CPU: ${await page.locator('#inside-timing').textContent()} ${await saliency.locator('.hint').textContent()}`);
  // The uncompressed original: no zeros, every weight its own value.
  await page.getByLabel('Model', { exact: true }).selectOption('lab-cnn');
  await facts.filter({ hasText: /^864 weights: 0% exactly zero, 864 distinct values/ }).waitFor({ timeout: 60_000 });
  assert.deepEqual(problems, []);
  await context.close();
});
