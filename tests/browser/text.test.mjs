// The text page: the article coded in the browser by the language model into a
// .lmz file shorter than every standard compressor run beside it; the file
// downloads and decodes back byte for byte; damaged, truncated, foreign and
// oversized files are refused with a message; a typed text is coded too; the
// pretrained model's two-part reading; the page in Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { useBrowser, openPage, waitForApp, screenshot, ROOT } from './harness.mjs';
import { englishOnPage } from './english.mjs';

const env = useBrowser();
const num = (s) => Number(s.replace(/[^\d.]/g, ''));
const ARTICLE = `${ROOT}/../shared/seed/essence-of-large-models.md`;

/** The sizes table as { label: bytes }. */
async function sizes(page) {
  const rows = await page.locator('#text-sizes tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.cells[0].firstChild.textContent.trim(), tr.cells[1].textContent]));
  return Object.fromEntries(rows.map(([k, v]) => [k, num(v)]));
}

test('the article, coded in the browser, is shorter than every standard compressor and decodes back', async () => {
  assert.ok(existsSync(ARTICLE), 'the article is needed (../shared/seed; see the README)');
  const article = await readFile(ARTICLE);
  const { page, problems } = await openPage(env.browser);
  page.setDefaultTimeout(180_000);
  await page.goto(env.srv.url('text'));
  await waitForApp(page);
  await page.getByRole('button', { name: 'Code it' }).click();
  await page.locator('#text-verdict').waitFor();
  const s = await sizes(page);
  assert.equal(s['original text'], article.length);
  const ours = s['language model: the .lmz file'];
  for (const c of ['gzip -9', 'zstd -19', 'xz -9e', 'bzip2 -9', 'brotli -q 11']) {
    assert.ok(s[c] > 0, `${c} ran in the page`);
    assert.ok(ours < s[c], `the .lmz file (${ours} B) beats ${c} (${s[c]} B)`);
  }
  assert.ok(ours < s['context statistics alone (ideal)'] + 24, 'mixing in the network does not cost more than the header');
  assert.match(await page.locator('#text-verdict').textContent(), /shorter than brotli -q 11/);
  // The Chinese and the English parts, apart.
  const parts = await page.locator('#text-parts tbody').textContent();
  assert.match(parts, /Chinese characters and punctuation/);
  assert.match(parts, /English letters/);
  // Pointing at a character says what it cost.
  await page.locator('#text-coloured span[data-i="200"]').hover();
  await page.locator('#text-char', { hasText: 'bits per byte' }).waitFor();
  await screenshot(page, 'text-coded');

  // The file: its header, its size as shown, and decoded back here.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the .lmz file' }).click()]);
  assert.equal(dl.suggestedFilename(), 'essence-of-large-models.lmz');
  const file = await readFile(await dl.path());
  assert.equal(file.subarray(0, 4).toString('latin1'), 'CLTX');
  assert.equal(file.length, ours);
  assert.equal(file.readUInt32LE(12), article.length);
  const decode = (name, buffer) => page.locator('#text-file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
  await decode('essence-of-large-models.lmz', file);
  await page.locator('#text-decoded', { hasText: 'byte for byte the text above' }).waitFor();
  assert.equal((await page.locator('#text-decoded-preview').textContent()).slice(0, 40), article.toString('utf8').slice(0, 40));
  // Damaged: one bit flipped in the code. An error, never other text.
  const bad = Buffer.from(file);
  bad[bad.length - 100] ^= 0x08;
  await decode('bad.lmz', bad);
  await page.locator('#text-decoded', { hasText: "bad.lmz: The decoded text does not match the file's checksum" }).waitFor();
  await decode('short.lmz', file.subarray(0, file.length - 50));
  await page.locator('#text-decoded', { hasText: 'short.lmz: The decoded text does not match' }).waitFor();
  await decode('notes.lmz', Buffer.from('hello, not a coded text'));
  await page.locator('#text-decoded', { hasText: 'notes.lmz: This is not a .lmz file' }).waitFor();
  const lying = Buffer.from(file);
  lying.writeUInt32LE(2 ** 31, 12);
  await decode('lying.lmz', lying);
  await page.locator('#text-decoded', { hasText: 'declares a text of 2147483648 bytes, over the limit' }).waitFor();
  await decode('huge.lmz', Buffer.alloc(1_300_000));
  await page.locator('#text-decoded', { hasText: 'so it was not read' }).waitFor();
  assert.deepEqual(problems, []);
});

test('a typed text is coded, and the link keeps the coder', async () => {
  const { page, problems } = await openPage(env.browser);
  page.setDefaultTimeout(120_000);
  await page.goto(env.srv.url('text'));
  await waitForApp(page);
  const typed = 'the quick brown fox jumps over the lazy dog. '.repeat(40);
  await page.getByLabel(/Your text/).fill(typed);
  await page.getByRole('button', { name: 'Code it' }).click();
  await page.locator('#text-verdict').waitFor();
  const s = await sizes(page);
  assert.equal(s['original text'], typed.length);
  assert.ok(s['language model: the .lmz file'] < 200, `a repeated sentence codes short: ${s['language model: the .lmz file']} B`);
  // Too long a file is refused by its size, unread.
  await page.locator('#text-pick').setInputFiles({ name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.alloc((1 << 20) + 1, 97) });
  await page.locator('#text-error', { hasText: 'big.txt is 1.05 MB; the text coders here take at most' }).waitFor();
  await page.getByRole('radio', { name: /The pretrained model/ }).check();
  await page.waitForFunction(() => location.search.includes('coder=pretrained'));
  assert.deepEqual(problems, []);
});

test('the pretrained model codes the article shorter, and says when it pays for itself', async () => {
  const { page, problems } = await openPage(env.browser);
  page.setDefaultTimeout(180_000);
  await page.goto(env.srv.url('text?coder=pretrained'));
  await waitForApp(page);
  assert.ok(await page.getByRole('radio', { name: /The pretrained model/ }).isChecked());
  await page.getByRole('button', { name: 'Code it' }).click();
  await page.locator('#text-verdict').waitFor();
  const s = await sizes(page);
  const two = await page.locator('#text-two-part').textContent();
  const m = two.match(/needs the model too: ([\d,]+) bytes/);
  assert.ok(m, two);
  assert.ok(num(m[1]) > 100_000, 'the model file counts in the two-part reading');
  assert.match(two, /pays for itself after [\d,]+ texts like this one|never pays for it/);
  assert.ok(s['language model: the .lmz file'] < s['brotli -q 11']);
  await screenshot(page, 'text-pretrained');
  assert.deepEqual(problems, []);
});

test('the text page in Chinese', async () => {
  const context = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  page.setDefaultTimeout(180_000);
  await page.goto(env.srv.url('text'));
  await waitForApp(page);
  await page.getByRole('button', { name: '编码' }).click();
  await page.locator('#text-verdict', { hasText: '语言模型的文件是' }).waitFor();
  assert.match(await page.locator('#text-parts').textContent(), /汉字和中文标点/);
  // Every word of the page's own is Chinese (the coded text itself is the article's, marked translate="no").
  const r = await englishOnPage(page);
  assert.deepEqual(r.unexpected.map((u) => `${u.word} — in ${u.where}`), []);
  // Nothing wider than the phone (a wide table scrolls inside its own box).
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone screen`);
  await screenshot(page, 'text-zh-390');
  await context.close();
});
