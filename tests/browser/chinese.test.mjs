// The whole site in Chinese: a first visit from a Chinese browser gets the
// Chinese site; every page, in the states a visitor reaches (before and after a
// result, an error message, a few batches of training, a compression result, a
// classification), shows no English word beyond the allow-list in english.mjs
// (code, formulas, quotations and lang="en" elements excepted). Prints the
// share of English words per page and state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, waitForApp, screenshot, download, parseCsv } from './harness.mjs';
import { englishOnPage, describe, ALLOWED } from './english.mjs';
import { testImage, pngOf } from './images.mjs';

const env = useBrowser();

/** A page in a browser whose language is Chinese (no stored choice: the first visit). */
async function chinesePage(viewport = { width: 1280, height: 900 }) {
  const context = await env.browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  return { context, page, problems };
}

const reported = new Set();

/** Scans the page as shown now; adds the unexpected words found (with where) and prints each place once. */
async function scan(page, name, found) {
  const r = await englishOnPage(page);
  console.log(`# ${describe(name, r)}`);
  for (const u of r.unexpected) {
    found.push(`${name}: ${u.word} — in “${u.where}”`);
    if (!reported.has(u.where)) console.log(`#     untranslated: “${u.where}”`);
    reported.add(u.where);
  }
}

const assertNone = (found) => assert.deepEqual([...new Set(found)], [], 'English words on a Chinese page');

async function engineOn(page, backend) {
  await page.waitForFunction(() => /运行于/.test(document.querySelector('#engine-state')?.textContent), null, { timeout: 120_000 });
  if (backend === 'CPU') {
    await page.getByRole('radio', { name: 'CPU' }).check();
    await page.waitForFunction(() => /运行于 CPU/.test(document.querySelector('#engine-state')?.textContent));
  }
}

test('the allow-list is printed, and the scanner finds an English word', async () => {
  console.log(`# allowed in Latin script: ${ALLOWED.join(', ')}`);
  const { context, page } = await chinesePage();
  await page.goto(env.srv.url(''));
  await waitForApp(page);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hans', 'a Chinese browser gets Chinese');
  await page.evaluate(() => {
    const p = document.createElement('p');
    p.textContent = '这是 untranslated 的文字';
    document.querySelector('main').append(p);
  });
  const r = await englishOnPage(page);
  assert.ok(r.unexpected.some((u) => u.word === 'untranslated'), 'a planted English word is found');
  await context.close();
});

test('static pages in Chinese: home, tour, theorem (run), losses (results and errors), optimizers (steps), 404', async () => {
  const { context, page, problems } = await chinesePage();
  const found = [];
  for (const path of ['', 'tour', 'no-such-page']) {
    await page.goto(env.srv.url(path));
    await waitForApp(page);
    await page.locator('main h1').first().waitFor();
    await scan(page, path || 'home', found);
  }

  await page.goto(env.srv.url('theorem'));
  await waitForApp(page);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await scan(page, 'theorem', found);
  await page.locator('#law-truth').fill('1.5');
  await scan(page, 'theorem: bad input', found);
  await page.locator('#law-truth').fill('3, -2, 1');
  await page.getByRole('button', { name: '用梯度下降拟合' }).click();
  await page.locator('#fit-formula').filter({ hasText: /y = / }).waitFor();
  await page.getByRole('button', { name: '下一处修改' }).click();
  await page.getByRole('button', { name: '全部步骤' }).click();
  await page.locator('#law-stop').filter({ hasText: /./ }).waitFor();
  await scan(page, 'theorem: fitted and simplified', found);

  await page.goto(env.srv.url('losses'));
  await waitForApp(page);
  await scan(page, 'losses', found);
  await page.locator('#mse-y').fill('1, 2, x');
  await page.locator('#ce-p').fill('0.5, 1.7');
  await scan(page, 'losses: bad input', found);
  await page.getByRole('radio', { name: '多分类' }).check();
  await page.getByRole('radio', { name: 'logits' }).check();
  await page.getByRole('radio', { name: '比特（log₂）' }).check();
  await page.locator('#ce-logits').fill('2, 0.5, -1\n-0.5, 0.3, 1.2\n0.1, 1.5, 0.4');
  await scan(page, 'losses: categorical, logits, bits', found);
  await page.getByRole('radio', { name: '独热行' }).check();
  await page.locator('#ce-onehot').fill('1, 0\n0, 1, 0');
  await scan(page, 'losses: categorical, a bad row', found);

  await page.goto(env.srv.url('optimizers'));
  await waitForApp(page);
  await scan(page, 'optimizers', found);
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await page.locator('#hp-lr').fill('50');
  await page.locator('#hp-lr').press('Enter');
  await page.waitForTimeout(500);
  await scan(page, 'optimizers: too large a learning rate', found);
  await page.locator('#hp-lr').fill('1..5');
  await page.locator('#hp-lr-msg').filter({ hasText: /./ }).waitFor();
  await scan(page, 'optimizers: bad input', found);
  await screenshot(page, 'zh-optimizers');
  assertNone(found);
  assert.deepEqual(problems.filter((p) => !/status of 404/.test(p)), []);
  await context.close();
});

test('classify in Chinese: a result, a comparison and a bad file', async (t) => {
  const frog = testImage(5);
  assert.ok(frog, 'the CIFAR-10 test images are needed (set CIFAR10_DIR; see the README)');
  const { context, page, problems } = await chinesePage();
  const found = [];
  await page.goto(env.srv.url('classify'));
  await waitForApp(page);
  await engineOn(page, 'WebGPU');
  await scan(page, 'classify', found);
  await page.locator('#classify-file').setInputFiles({ name: 'frog.png', mimeType: 'image/png', buffer: pngOf(frog.rgb) });
  await page.waitForFunction(() => document.querySelectorAll('.top5:not(.stale) li').length === 5);
  await page.locator('#classify-compare').selectOption('doc-cnn');
  await page.locator('#classify-compared').filter({ hasText: /doc-cnn/ }).waitFor();
  await scan(page, 'classify: a result and a comparison', found);
  await page.locator('#inside-flow').filter({ hasText: '→' }).waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: '第 2 张特征图（共 32 张）：放大查看' }).click();
  await page.locator('#inside-large').waitFor();
  await page.getByRole('radio', { name: '遮挡' }).check();
  await page.locator('#inside-saliency').filter({ hasText: '的概率' }).waitFor({ timeout: 120_000 });
  await scan(page, 'classify: inside the network, a map large, occlusion', found);
  await page.locator('#classify-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
  await page.locator('#classify-error').filter({ hasText: 'notes.txt' }).waitFor();
  await scan(page, 'classify: a bad file', found);
  await screenshot(page, 'zh-classify');
  assertNone(found);
  assert.deepEqual(problems, []);
  await context.close();
});

test('train in Chinese: a bad setting, a few batches on the CPU, the saved model, a divergence', async (t) => {
  assert.ok(testImage(0), 'the CIFAR-10 test images are needed (set CIFAR10_DIR; see the README)');
  const { context, page, problems } = await chinesePage();
  const found = [];
  await page.goto(env.srv.url('train'));
  await waitForApp(page);
  await engineOn(page, 'CPU');
  await scan(page, 'train', found);
  await page.locator('#train-epochs').fill('0');
  await scan(page, 'train: a bad setting', found);
  await page.locator('#model-file').setInputFiles({ name: 'broken.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('not a weights file at all') });
  await page.locator('#saved-message').filter({ hasText: 'broken.safetensors' }).waitFor();
  await scan(page, 'train: a broken weights file', found);
  await page.locator('#train-arch').selectOption('doc-cnn');
  await page.locator('#train-subset').selectOption('1000');
  await page.locator('#train-epochs').fill('1');
  await page.locator('#train-batch').selectOption('16');
  await page.getByRole('button', { name: '开始' }).click();
  await page.waitForFunction(() => /\d+\/63/.test(document.querySelector('#train-progress')?.textContent ?? ''), null, { timeout: 240_000 });
  await page.waitForFunction(() => document.querySelectorAll('svg path.series.s0').length > 0, null, { timeout: 240_000 });
  await scan(page, 'train: running', found);
  await page.getByRole('button', { name: '停止' }).click();
  await page.locator('ul.saved li').first().waitFor({ timeout: 240_000 });
  await scan(page, 'train: stopped and saved', found);
  await screenshot(page, 'zh-train');

  // A whole (short) epoch: the per-class table, the confusion matrix, the test grid.
  await page.locator('#train-batch').selectOption('64');
  await page.getByRole('button', { name: '开始' }).click();
  await page.locator('#train-outcome').filter({ hasText: '训练完成' }).waitFor({ timeout: 400_000 });
  await scan(page, 'train: an epoch finished', found);
  // The confusion matrix as CSV holds exactly the page's counts.
  const csv = parseCsv((await download(page, page.getByRole('button', { name: '混淆矩阵（CSV）' }))).toString());
  const shown = await page.locator('table.confusion tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 10).map((td) => td.textContent)));
  assert.equal(csv[0][1], 'airplane');
  assert.deepEqual(csv.slice(1).map((r) => r.slice(1)), shown);
  const perEpoch = parseCsv((await download(page, page.getByRole('button', { name: '每个周期的测试结果（CSV）' }))).toString());
  assert.equal(perEpoch.length, 2, 'one epoch');
  const col = (name) => perEpoch[0].indexOf(name);
  const acc = (100 * Number(perEpoch[1][col('test_accuracy')])).toFixed(1);
  assert.match(await page.locator('h3', { hasText: '第 1 个周期后' }).textContent(), new RegExp(`准确率 ${acc}%`));
  // How long the visitor waited for it: the same accuracy, and the export's seconds since Start.
  const waited = Number(perEpoch[1][col('seconds')]);
  assert.ok(waited > 0, `seconds since Start: ${waited}`);
  assert.match(await page.locator('#train-test').textContent(), new RegExp(`^第 1 个周期后的测试准确率：${acc}%（95% 区间 [\\d.]+–[\\d.]+%，n = 860），距开始 (\\d+ 分 )?\\d+ 秒。$`));
  await page.locator('#train-batch').selectOption('16');
  await page.locator('#train-opt').selectOption('sgd');
  await page.locator('#train-lr').fill('10');
  await page.getByRole('button', { name: '开始' }).click();
  await page.locator('#train-outcome').filter({ hasText: /发散/ }).waitFor({ timeout: 240_000 });
  await scan(page, 'train: diverged', found);
  assertNone(found);
  assert.deepEqual(problems, []);
  await context.close();
});

test('compress in Chinese: a measured plan, its tables and charts, a sweep', async (t) => {
  assert.ok(testImage(0), 'the CIFAR-10 test images are needed (set CIFAR10_DIR; see the README)');
  const { context, page, problems } = await chinesePage();
  const found = [];
  await page.goto(env.srv.url('compress'));
  await waitForApp(page);
  await engineOn(page, 'CPU');
  await page.locator('#compress-model').selectOption('doc-cnn');
  await page.locator('#compress-images').selectOption('100');
  await page.waitForFunction(() => document.querySelector('#compress-report')?.dataset.plan
    && document.querySelector('[aria-busy]')?.getAttribute('aria-busy') === 'false', null, { timeout: 240_000 });
  await scan(page, 'compress: 8-bit measured', found);
  await page.locator('#sparsity').fill('90');
  await page.locator('#qbits').fill('3');
  await page.waitForFunction(() => /90/.test(document.querySelector('#compress-report')?.dataset.plan ?? '')
    && document.querySelector('[aria-busy]')?.getAttribute('aria-busy') === 'false', null, { timeout: 240_000 });
  await scan(page, 'compress: pruned and quantized', found);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载压缩文件（.clz）' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.clz$/);
  await page.getByRole('button', { name: '保存在本浏览器中（供分类页面使用）' }).click();
  await page.getByText(/已把“doc-cnn · .+”保存在本浏览器中/).waitFor();
  await scan(page, 'compress: downloaded and saved', found);
  await page.locator('#sparsity').fill('120');
  await scan(page, 'compress: a bad setting', found);
  await page.locator('#sparsity').fill('50');
  await page.locator('#sweep-kind').selectOption({ index: 1 });
  await page.getByRole('button', { name: '运行扫描' }).click();
  await page.getByText(/扫描结束：已测量 \d+\/\d+ 个设置。/).waitFor({ timeout: 600_000 });
  await scan(page, 'compress: a sweep', found);
  await page.getByRole('button', { name: '编码测试标签' }).click();
  await page.locator('#labels-line', { hasText: '用模型自己的概率编码了 100 个标签' }).waitFor({ timeout: 240_000 });
  await page.locator('#labels-file').setInputFiles({ name: 'x.cll', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await page.locator('#labels-decoded', { hasText: 'x.cll：这不是本站生成的标签编码文件。' }).waitFor();
  await scan(page, 'compress: labels coded, a file refused', found);
  await screenshot(page, 'zh-compress');
  assertNone(found);
  assert.deepEqual(problems, []);
  await context.close();
});
