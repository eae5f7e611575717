// What the site claims carries its conditions: the shipped compressed model's
// accuracy with its 95 % interval and the paired comparison with the original,
// in both languages; the compression meter's caveat when a teacher is set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, waitForApp } from './harness.mjs';
import { testImage } from './images.mjs';

const env = useBrowser();

test("the shipped model's claim reads with its interval and the paired comparison, in both languages", async () => {
  assert.ok(testImage(0), 'the CIFAR-10 test images are needed (set CIFAR10_DIR; see the README)');
  const { page, problems, context } = await openPage(env.browser);
  await page.goto(env.srv.url('classify'));
  await waitForApp(page);
  await page.getByRole('button', { name: /^Test sample 1:/ }).click();
  const note = page.locator('#classify-model-note');
  await note.filter({ hasText: '95 % interval' }).waitFor({ timeout: 120_000 });
  const en = await note.textContent();
  assert.match(en, /On the 860 test images it scores \d+\.\d % \(95 % interval [\d.]+–[\d.]+ %, n = 860\) against the original's/, en);
  assert.match(en, /they disagree \d+ times: \d+ only the original gets right, \d+ only the compressed model \(exact McNemar p = [\d.]+/, en);
  console.log(`# ${en}`);
  await page.locator('#lang').selectOption('zh');
  const zh = await note.filter({ hasText: '95% 区间' }).textContent();
  assert.match(zh, /在 860 张测试图片上，它的准确率为 [\d.]+%（95% 区间 [\d.]+–[\d.]+%，n = 860）/, zh);
  assert.match(zh, /精确 McNemar 检验 p = [\d.]+/, zh);
  assert.deepEqual(problems, []);
  await context.close();
});

test('with a teacher set, the compression meter says its code is one given the teacher', async () => {
  assert.ok(testImage(0), 'the CIFAR-10 test images are needed (set CIFAR10_DIR; see the README)');
  const { page, problems, context } = await openPage(env.browser);
  page.setDefaultTimeout(60_000);
  await page.goto(`${env.srv.url('train')}?model=lab-cnn-s&images=1000&epochs=1&batch=16&teacher=doc-cnn`);
  await waitForApp(page);
  await page.waitForFunction(() => /Running on/.test(document.querySelector('#engine-state')?.textContent), null, { timeout: 120_000 });
  await page.getByRole('radio', { name: 'CPU' }).check();
  await page.waitForFunction(() => /Running on CPU/.test(document.querySelector('#engine-state')?.textContent));
  assert.equal(await page.locator('#train-teacher').inputValue(), 'doc-cnn');
  await page.getByRole('button', { name: 'Start' }).click();
  const caveat = page.locator('#train-meter-teacher');
  await caveat.waitFor({ timeout: 240_000 });
  assert.match(await caveat.textContent(), /this is a code length given the teacher, not of the labels alone/);
  await page.locator('#lang').selectOption('zh');
  assert.match(await caveat.textContent(), /给定教师模型条件下的编码长度/);
  await page.locator('#lang').selectOption('en');
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.locator('#train-outcome', { hasText: 'Stopped' }).waitFor({ timeout: 240_000 });
  assert.deepEqual(problems, []);
  await context.close();
});
