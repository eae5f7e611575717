// Hostile files, as a new visitor might hand them over: a few hundred bytes
// that declare gigabytes, files far larger than any real one, an image header
// past 4 Gi pixels, and a burst of uploads. Each gets a clear message quickly
// (the time is printed), and the page goes on working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { deflateRawSync } from 'node:zlib';
import { useBrowser, openPage, waitForApp } from './harness.mjs';
import { png } from './images.mjs';

const env = useBrowser();

/** A `.clz` whose header declares `names` as one-entry codebooks of `values` values each. */
function clzBomb(names, values) {
  const tensors = names.map(
    (name) => ({ name, shape: [values], kind: 'share', masked: false, bits: 0, side: 1, groups: 1, value_bytes: 2 }),
  );
  const header = Buffer.from(JSON.stringify({ metadata: { arch: 'lab-cnn' }, tensors }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const body = Buffer.concat([len, header, ...names.map(() => Buffer.from([0, 0, 0x80, 0x3f, 0, 0]))]);
  const declared = Buffer.alloc(4);
  declared.writeUInt32LE(body.length);
  return Buffer.concat([Buffer.from('CLZ2'), declared, deflateRawSync(body, { level: 9 })]);
}

/** A sparse file of `bytes` on disk (nothing is written but its length). */
async function sparse(name, bytes) {
  const path = join(tmpdir(), name);
  const f = await open(path, 'w');
  await f.truncate(bytes);
  await f.close();
  return path;
}

/** A PNG header that declares `width` × `height` (no pixel data). */
function pngHeader(width, height) {
  const head = png(1, 1, () => Buffer.alloc(3));
  // IHDR's width and height sit at bytes 16..24; the CRC is not checked by the sniffer.
  head.writeUInt32BE(width, 16);
  head.writeUInt32BE(height, 20);
  return head;
}

const LAB_CNN_TENSORS = [
  'b1.conv.weight', 'b1.norm.gamma', 'b1.norm.beta', 'b1.norm.running_mean', 'b1.norm.running_var',
  'b2.conv.weight', 'b2.norm.gamma', 'b2.norm.beta', 'b2.norm.running_mean', 'b2.norm.running_var',
  'b3.conv.weight', 'b3.norm.gamma', 'b3.norm.beta', 'b3.norm.running_mean', 'b3.norm.running_var', 'b4.conv.weight',
];

test('model files that declare gigabytes, or weigh 200 MB, are refused at once; the engine then classifies', async () => {
  const { page, problems, context } = await openPage(env.browser);
  await page.goto(env.srv.url('train'));
  await waitForApp(page);
  const message = page.locator('#saved-message');
  const bomb = clzBomb(LAB_CNN_TENSORS, 64 << 20);
  assert.ok(bomb.length < 600, `${bomb.length} bytes`);
  let t0 = Date.now();
  await page.getByLabel('Load a weights file').setInputFiles({ name: 'bomb.clz', mimeType: 'application/octet-stream', buffer: bomb });
  await message.filter({ hasText: 'bomb.clz:' }).waitFor({ timeout: 120_000 });
  const said = await message.textContent();
  assert.match(said, /has shape \[67108864\], but this model needs \[32, 3, 3, 3\]: it is for another architecture/, said);
  console.log(`# a ${bomb.length}-byte .clz declaring 4 GiB: "${said}" after ${Date.now() - t0} ms (engine start included)`);
  // Once the engine runs, the same bomb is answered well inside 2 s.
  t0 = Date.now();
  await page.getByLabel('Load a weights file').setInputFiles({ name: 'again.clz', mimeType: 'application/octet-stream', buffer: bomb });
  await message.filter({ hasText: 'again.clz:' }).waitFor({ timeout: 10_000 });
  const again = Date.now() - t0;
  console.log(`# the same bomb with the engine running: ${again} ms`);
  assert.ok(again < 2000, `${again} ms`);

  const big = await sparse('huge-model.safetensors', 200 * 1000 * 1000);
  t0 = Date.now();
  await page.getByLabel('Load a weights file').setInputFiles(big);
  await message.filter({ hasText: 'huge-model.safetensors is 200 MB' }).waitFor({ timeout: 10_000 });
  assert.match(await message.textContent(), /a model file for this site is at most 4 MB, so it was not read\./);
  console.log(`# a 200 MB model file: "${await message.textContent()}" after ${Date.now() - t0} ms`);
  await rm(big);

  // The engine is unharmed: the classify page answers.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Classify' }).click();
  await page.getByRole('button', { name: /^Test sample 1:/ }).click();
  await page.waitForFunction(() => {
    const list = document.querySelector('.top5');
    return list && !list.classList.contains('stale') && list.querySelectorAll('li').length === 5;
  }, null, { timeout: 120_000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a 200 MB labels file is refused by its size, in both languages', async () => {
  const { page, problems, context } = await openPage(env.browser);
  await page.goto(env.srv.url('compress'));
  await waitForApp(page);
  const big = await sparse('huge.cll', 200 * 1000 * 1000);
  const t0 = Date.now();
  await page.locator('#labels-file').setInputFiles(big);
  const decoded = page.locator('#labels-decoded');
  await decoded.filter({ hasText: 'huge.cll is 200 MB; a coded-labels file holds at most 10,000 labels (20.1 kB), so it was not read.' }).waitFor({ timeout: 10_000 });
  console.log(`# a 200 MB labels file: "${await decoded.textContent()}" after ${Date.now() - t0} ms`);
  await page.locator('#lang').selectOption('zh');
  await page.locator('#labels-file').setInputFiles(big);
  await decoded.filter({ hasText: 'huge.cll 有 200 MB；标签编码文件最多存 10,000 个标签（20.1 kB），所以没有读取它。' }).waitFor({ timeout: 10_000 });
  await rm(big);
  assert.deepEqual(problems, []);
  await context.close();
});

test('image headers past 4 Gi pixels are refused with their true size', async () => {
  const { page, problems, context } = await openPage(env.browser);
  await page.goto(env.srv.url('classify'));
  await waitForApp(page);
  const error = page.locator('#classify-error');
  for (const [side, mp] of [[100000, '10000.0'], [65536, '4295.0']]) {
    const t0 = Date.now();
    await page.getByLabel('Choose an image').setInputFiles({ name: `${side}.png`, mimeType: 'image/png', buffer: pngHeader(side, side) });
    await error.filter({ hasText: `${side}.png: This image is ${side} × ${side} = ${mp} megapixels; the limit is 40 megapixels` }).waitFor();
    console.log(`# a PNG header of ${side} × ${side}: "${await error.textContent()}" after ${Date.now() - t0} ms`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('five uploads in a row: the last one is shown and classified', async () => {
  const { page, problems, context } = await openPage(env.browser);
  await page.goto(env.srv.url('classify'));
  await waitForApp(page);
  await page.waitForFunction(() => /Running on/.test(document.querySelector('#engine-state')?.textContent), null, { timeout: 120_000 });
  // Four large pictures (slow to decode), then a small one (fast): without
  // the latest-wins rule the large ones would land after it.
  const large = png(2400, 2400, (y) => Buffer.alloc(7200, y % 256));
  const small = png(32, 32, (y) => Buffer.alloc(96, 200 - y));
  const input = page.getByLabel('Choose an image');
  for (let i = 1; i <= 4; i++) await input.setInputFiles({ name: `large-${i}.png`, mimeType: 'image/png', buffer: large });
  await input.setInputFiles({ name: 'fifth.png', mimeType: 'image/png', buffer: small });
  const caption = page.locator('figure.seen .filename');
  await caption.filter({ hasText: 'fifth.png' }).waitFor({ timeout: 60_000 });
  await page.waitForTimeout(3000); // time for any older decode to land
  assert.equal(await caption.textContent(), 'fifth.png');
  assert.match(await page.locator('figure.seen').textContent(), /PNG 32×32/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an engine file the server no longer has: the page says so in the visitor's language, and the next try starts it", async () => {
  // No service worker: the route below must see the worker's own request.
  const context = await env.browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  let gone = true;
  await context.route(/worker_bg-[0-9a-f]{16}\.wasm$/, (r) => (gone ? r.fulfill({ status: 404, body: 'gone' }) : r.continue()));
  await page.goto(env.srv.url('classify'));
  await waitForApp(page);
  const state = page.locator('#engine-state');
  await state.filter({ hasText: /Could not download \S*worker_bg-[0-9a-f]{16}\.wasm: HTTP 404\. Check the connection/ }).waitFor({ timeout: 60_000 });
  await page.getByLabel('Language · 语言').selectOption('zh');
  await state.filter({ hasText: /无法下载 \S*worker_bg-[0-9a-f]{16}\.wasm：HTTP 404。请检查网络后重试。/ }).waitFor();
  await page.getByLabel('Language · 语言').selectOption('en');
  // The file is back: the visitor's next action starts the engine and classifies.
  gone = false;
  await page.getByRole('button', { name: /^Test sample 1:/ }).click();
  await page.waitForFunction(() => {
    const list = document.querySelector('.top5');
    return list && !list.classList.contains('stale') && list.querySelectorAll('li').length === 5;
  }, null, { timeout: 120_000 });
  assert.match(await state.textContent(), /Running on/);
  assert.deepEqual(problems, []);
  await context.close();
});
