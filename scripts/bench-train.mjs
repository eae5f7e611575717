// Benchmark (not a test): what a visitor waits for, in headless Chromium, through
// the pages themselves, printed as one table:
//   1. training throughput (images/s, batch 32) of both CNNs on WebGPU and on the
//      CPU backend, and the article's CNN in TensorFlow.js (webgpu, wasm, cpu);
//   2. time to 40 % test accuracy (860 images) with the training page's default
//      settings, from pressing Start, and the accuracy reached by 15, 30, 60 and 120 s,
//      on the CPU backend and on WebGPU;
//   3. the engine's download (worker wasm + glue) and the landing page's, raw and gzip.
// Needs a built dist/ (./scripts/test.sh or trunk build) and the CIFAR-10 data.
// TensorFlow.js is not a project dependency (300 MB); install it first with
//   npm install --no-save @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-webgpu@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0
//   node scripts/bench-train.mjs [batches=6] [seconds=240] [parts=throughput,accuracy,tfjs,size]
// BENCH_ONLY='doc-cnn WebGPU,lab-cnn CPU (one core)' limits part 1 to those models and backends
// (CPU: every core the browser reports; "CPU (one core)": the form's "Every core" box cleared);
// BENCH_ACCURACY='CPU,WebGPU' part 2.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startServer, launch, openPage, openTrainPage, startRun, untilStep, waitForApp, download, parseCsv, ROOT, BASE } from '../tests/browser/harness.mjs';

const batches = Number(process.argv[2] ?? 6);
const limit = Number(process.argv[3] ?? 240);
const parts = new Set((process.argv[4] ?? 'throughput,accuracy,tfjs,size').split(','));
const srv = await startServer();
const browser = await launch();
const table = [];
const row = (what, value) => {
  table.push([what, value]);
  console.log(`${what}: ${value}`);
};

// "CPU (one core)": the CPU backend with the form's "Every core" box cleared.
const trainPage = async (backend) => {
  const opened = await openTrainPage(browser, srv, backend.startsWith('CPU') ? 'CPU' : backend);
  if (backend === 'CPU (one core)') await opened.page.getByLabel(/Every core on the CPU/).uncheck();
  return opened;
};

async function stop(page) {
  const button = page.getByRole('button', { name: 'Stop' });
  if (!(await button.isEnabled())) return; // the run has ended
  await button.click();
  await page.locator('#train-outcome', { hasText: /Stopped|Finished/ }).waitFor();
}

// 1. Throughput after `batches` batches of 32, two ways: the page's own figure
// (every step, the first one's shader compilation and buffer set-up included: what a
// visitor sees), and the steady state after the first step (from the per-step
// curves CSV), which is how TF.js is timed below: after one warm-up batch.
const ips = {}; // steps 2…, after the first
const ipsAll = {}; // the first steps, the first one included
if (parts.has('throughput')) {
  for (const arch of ['doc-cnn', 'lab-cnn']) {
    for (const backend of ['WebGPU', 'CPU', 'CPU (one core)']) {
      if (process.env.BENCH_ONLY && !process.env.BENCH_ONLY.split(',').includes(`${arch} ${backend}`)) continue;
      const { page, context } = await trainPage(backend);
      await startRun(page, arch);
      await untilStep(page, batches + 1);
      await stop(page);
      const csv = parseCsv((await download(page, page.getByRole('button', { name: 'training curves (CSV)' }))).toString());
      const [head, ...steps] = csv.filter((r) => r.length > 1);
      // The page's images/s is cumulative: busy seconds to step k = 32 k / ips_k.
      const busy = steps.map((r) => (32 * Number(r[head.indexOf('step')])) / Number(r[head.indexOf('images_per_second')]));
      const all = Number(steps[batches - 1][head.indexOf('images_per_second')]);
      const tail = (32 * batches) / (busy[batches] - busy[0]);
      ips[`${arch} ${backend}`] = tail;
      ipsAll[`${arch} ${backend}`] = all;
      row(`Burn ${backend}, ${arch}, images/s: first ${batches} steps (page) / steps 2–${batches + 1}`,
        `${all.toFixed(1)} / ${tail.toFixed(1)} (first step ${busy[0].toFixed(2)} s)`);
      await context.close();
    }
  }
}

// 2. Time to 40 %: the default settings as the page offers them; the run's own
// clock (from Start, in the per-epoch CSV) says when each test result came.
if (parts.has('accuracy')) {
  for (const backend of ['CPU', 'CPU (one core)', 'WebGPU']) {
    if (process.env.BENCH_ACCURACY && !process.env.BENCH_ACCURACY.split(',').includes(backend)) continue;
    const { page, context } = await trainPage(backend);
    const settings = await page.evaluate(() =>
      ['#train-arch', '#train-subset', '#train-opt', '#train-lr', '#train-epochs', '#train-batch']
        .map((s) => document.querySelector(s)?.value).join(' '));
    await page.getByRole('button', { name: 'Start' }).click();
    const t0 = Date.now();
    // Until 40 % and 120 s have both passed, the run ends, or the time limit.
    await page.waitForFunction(({ limit, t0 }) => {
      const line = document.querySelector('#train-test')?.textContent ?? '';
      const done = /Finished|Stopped|failed/i.test(document.querySelector('#train-outcome')?.textContent ?? '');
      const acc = Number(line.match(/^Test accuracy [^:]*: ([\d.]+) %/)?.[1] ?? 0);
      const elapsed = (Date.now() - t0) / 1000;
      return done || elapsed > limit || (acc >= 40 && elapsed > 125);
    }, { limit, t0: Date.now() }, { polling: 1000, timeout: (limit + 120) * 1000 });
    const wall = (Date.now() - t0) / 1000;
    // Every test result: each epoch's and each look part-way through one.
    const run = JSON.parse((await download(page, page.getByRole('button', { name: 'the whole run (JSON)' }))).toString());
    await stop(page);
    const points = [...run.epochs, ...run.looks]
      .map((r) => ({ s: r.seconds, acc: 100 * r.test_accuracy }))
      .sort((a, b) => a.s - b.s);
    const by = (s) => points.filter((p) => p.s <= s).at(-1);
    const reached = points.find((p) => p.acc >= 40);
    console.log(`# ${backend} default run (${settings}): ${points.map((p) => `${p.s.toFixed(0)} s ${p.acc.toFixed(1)} %`).join(', ')} (${wall.toFixed(0)} s watched)`);
    row(`Burn ${backend}, default settings (${settings}), time to 40 %`, reached ? `${reached.s.toFixed(0)} s` : `not within ${limit} s`);
    for (const s of [15, 30, 60, 120]) {
      const p = by(s);
      row(`Burn ${backend}, test accuracy by ${s} s`, p ? `${p.acc.toFixed(1)} % (at ${p.s.toFixed(0)} s)` : 'no test result yet');
    }
    await context.close();
  }
}

// TensorFlow.js: the article's CNN (its Keras code), Adam, batch 32, same browser.
const TF = join(ROOT, 'node_modules/@tensorflow');
if (parts.has('tfjs') && !existsSync(join(TF, 'tfjs/dist/tf.min.js'))) {
  console.log('TensorFlow.js comparison skipped (install it as the header says).');
} else if (parts.has('tfjs')) {
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
    const r = await page.evaluate(async ({ backend, batches }) => {
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
      // Step 1 is the warm-up (shader compilation); then `batches` steps.
      const t = [performance.now()];
      for (let i = 0; i <= batches; i++) {
        await model.trainOnBatch(x, y);
        t.push(performance.now());
      }
      return { all: (32 * batches) / ((t[batches] - t[0]) / 1000), tail: (32 * batches) / ((t[batches + 1] - t[1]) / 1000), first: (t[1] - t[0]) / 1000 };
     } catch (e) {
      return String(e.message ?? e);
     }
    }, { backend, batches });
    if (typeof r === 'string') {
      row(`TF.js ${backend}, doc-cnn, images/s`, `cannot train it (${r.slice(0, 80)})`);
      continue;
    }
    ips[`tfjs ${backend}`] = r.tail;
    ipsAll[`tfjs ${backend}`] = r.all;
    row(`TF.js ${backend}, doc-cnn, images/s: first ${batches} steps / steps 2–${batches + 1}`,
      `${r.all.toFixed(1)} / ${r.tail.toFixed(1)} (first step ${r.first.toFixed(2)} s)`);
  }
  await context.close();
  tfServer.close();
  const ratio = (a, b, m = ips) => (m[a] && m[b] ? `${(m[a] / m[b]).toFixed(2)}x` : 'n/a');
  row(`Burn WebGPU / TF.js webgpu (doc-cnn, first ${batches} steps)`, ratio('doc-cnn WebGPU', 'tfjs webgpu', ipsAll));
  row(`Burn WebGPU / TF.js webgpu (doc-cnn, steps 2–${batches + 1})`, ratio('doc-cnn WebGPU', 'tfjs webgpu'));
  row(`Burn CPU / TF.js cpu (doc-cnn, steps 2–${batches + 1})`, ratio('doc-cnn CPU', 'tfjs cpu'));
}

// 3. Sizes: every file the landing page fetches (a fresh visit), and the engine.
if (parts.has('size')) {
  const dist = srv.state.dist;
  const size = (files) => files.reduce((a, f) => {
    const buf = readFileSync(join(dist, f));
    return { raw: a.raw + buf.length, gzip: a.gzip + gzipSync(buf, { level: 9 }).length };
  }, { raw: 0, gzip: 0 });
  const kib = ({ raw, gzip }) => `${(raw / 1024).toFixed(1)} KiB raw, ${(gzip / 1024).toFixed(1)} KiB gzip`;
  const { page, context } = await openPage(browser);
  const fetched = new Set();
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.status() !== 200 || !path.startsWith(BASE)) return;
    const rel = path.slice(BASE.length);
    fetched.add(rel === '' ? 'index.html' : rel);
  });
  await page.goto(srv.url(''));
  await waitForApp(page);
  await page.waitForLoadState('networkidle');
  await context.close();
  const landing = [...fetched].filter((f) => existsSync(join(dist, f)));
  row(`Landing page (${landing.length} files)`, kib(size(landing)));
  const assets = JSON.parse(readFileSync(join(dist, 'index.html'), 'utf8').match(/<script type="application\/json" id="assets">(.*?)<\/script>/s)[1]);
  const engine = ['worker_bg.wasm', 'worker.js', 'engine.js'].map((f) => assets[f]);
  row('Engine (worker wasm + glue)', kib(size(engine)));
}

console.log('\n| measurement | value |\n|---|---|');
for (const [what, value] of table) console.log(`| ${what} | ${value} |`);
await browser.close();
srv.server.close();
