// Benchmark (not a test): training throughput of the site's engine in headless
// Chromium, on WebGPU and on the CPU backend, through the training page; then
// the same CNN (the article's), batch size and browser in TensorFlow.js on its
// webgpu and wasm backends, in the same run.
// Needs a built dist/ (./scripts/test.sh or trunk build) and the CIFAR-10 data.
// TensorFlow.js is not a project dependency (300 MB); install it first with
//   npm install --no-save @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-webgpu@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0
//   node scripts/bench-train.mjs [doc-cnn|lab-cnn] [batches]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, openPage, waitForApp, ROOT } from '../tests/browser/harness.mjs';

const arch = process.argv[2] ?? 'doc-cnn';
const batches = Number(process.argv[3] ?? 6);
const srv = await startServer();
const browser = await launch();
const results = {};
for (const backend of ['WebGPU', 'CPU']) {
  const { page, context } = await openPage(browser);
  page.setDefaultTimeout(600_000);
  await page.goto(srv.url('train'));
  await waitForApp(page);
  await page.waitForFunction(() => /Running on/.test(document.querySelector('#engine-state')?.textContent));
  if (backend === 'CPU') {
    await page.getByRole('radio', { name: 'CPU' }).check();
    await page.waitForFunction(() => /Running on CPU/.test(document.querySelector('#engine-state')?.textContent));
  }
  await page.getByLabel('Model', { exact: true }).selectOption(arch);
  await page.getByLabel('Epochs').fill('1');
  await page.getByLabel('Batch size').selectOption('32');
  await page.getByRole('button', { name: 'Start' }).click();
  await page.waitForFunction((k) => {
    const m = document.querySelector('#train-progress')?.textContent.match(/step (\d+)\//);
    return m && Number(m[1]) >= k;
  }, batches);
  const line = await page.locator('#train-progress').textContent();
  results[backend] = Number(line.match(/([\d.]+) images\/s/)[1]);
  console.log(`${arch} ${backend}: ${results[backend]} images/s (batch 32, ${batches} batches; ${line})`);
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.locator('#train-outcome', { hasText: 'Stopped' }).waitFor();
  await context.close();
}
console.log(`Burn WebGPU / Burn CPU: ${(results.WebGPU / results.CPU).toFixed(2)}x`);

// TensorFlow.js: the article's CNN (its Keras code), Adam, batch 32, same browser.
const TF = join(ROOT, 'node_modules/@tensorflow');
if (arch !== 'doc-cnn' || !existsSync(join(TF, 'tfjs/dist/tf.min.js'))) {
  console.log('TensorFlow.js comparison skipped (doc-cnn only; install it as the header says).');
} else {
  const files = {
    '/tf.js': 'tfjs/dist/tf.min.js',
    '/webgpu.js': 'tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js',
    '/wasm.js': 'tfjs-backend-wasm/dist/tf-backend-wasm.min.js',
  };
  const tfServer = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<!doctype html><script src="/tf.js"></script><script src="/webgpu.js"></script><script src="/wasm.js"></script>');
    }
    const file = files[path] ?? (path.startsWith('/wasm/') ? `tfjs-backend-wasm/dist/${path.slice(6)}` : null);
    if (!file) return res.writeHead(404).end();
    const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    res.writeHead(200, { 'content-type': type });
    res.end(await readFile(join(TF, file)));
  });
  await new Promise((ok) => tfServer.listen(0, '127.0.0.1', ok));
  const { page, context } = await openPage(browser);
  page.setDefaultTimeout(600_000);
  await page.goto(`http://127.0.0.1:${tfServer.address().port}/`);
  // The wasm backend has no training kernels for convolutions (Conv2DBackpropFilter):
  // its failure is reported, and TF.js's plain-JS cpu backend is measured too.
  for (const backend of ['webgpu', 'wasm', 'cpu']) {
    const ips = await page.evaluate(async ({ backend, batches }) => {
     try {
      if (backend === 'wasm') tf.wasm.setWasmPaths('/wasm/');
      await tf.setBackend(backend);
      await tf.ready();
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 32, kernelSize: 3, activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 64, activation: 'relu' }),
          tf.layers.dense({ units: 10 }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(1e-3), loss: (y, p) => tf.losses.softmaxCrossEntropy(y, p) });
      const x = tf.randomNormal([32, 32, 32, 3]);
      const y = tf.oneHot(tf.randomUniform([32], 0, 10, 'int32'), 10);
      await model.trainOnBatch(x, y); // warm-up: shader compilation
      const t0 = performance.now();
      for (let i = 0; i < batches; i++) await model.trainOnBatch(x, y);
      return (32 * batches) / ((performance.now() - t0) / 1000);
     } catch (e) {
      return String(e.message ?? e);
     }
    }, { backend, batches });
    if (typeof ips === 'string') {
      console.log(`TensorFlow.js ${backend}: cannot train this CNN (${ips})`);
      continue;
    }
    results[`tfjs-${backend}`] = ips;
    console.log(`TensorFlow.js ${backend}: ${ips.toFixed(1)} images/s (batch 32, ${batches} batches)`);
  }
  await context.close();
  tfServer.close();
  const ratio = (a, b) => (results[a] && results[b] ? `${(results[a] / results[b]).toFixed(2)}x` : 'n/a');
  console.log(`Burn WebGPU / TF.js webgpu: ${ratio('WebGPU', 'tfjs-webgpu')}; ` +
    `Burn CPU / TF.js wasm: ${ratio('CPU', 'tfjs-wasm')}; Burn CPU / TF.js cpu: ${ratio('CPU', 'tfjs-cpu')}`);
}
await browser.close();
srv.server.close();
