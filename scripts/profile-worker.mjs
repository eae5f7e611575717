// Profiler (not a test): where the engine worker's time goes while the training page
// trains, in headless Chromium. It attaches to the worker over the DevTools protocol,
// samples it from the end of step 2 to the end of step N, and prints the share of the
// time idle (waiting for the GPU or for messages), the functions with the most self
// time, and the most inclusive time. Writes the .cpuprofile to the temporary folder too
// (open it in DevTools). N must fall within the run's first epoch.
//   node scripts/profile-worker.mjs [arch=doc-cnn] [backend=WebGPU|CPU] [steps=8]
// Needs a built dist/ and the CIFAR-10 data, like bench-train.mjs. The shipped worker
// has no function names (wasm-opt removes them): for names, build it once with
// data-wasm-opt="0" on the worker's <link> in index.html (not to be committed).
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, openTrainPage, startRun, untilStep } from '../tests/browser/harness.mjs';

const arch = process.argv[2] ?? 'doc-cnn';
const backend = process.argv[3] ?? 'WebGPU';
const steps = Number(process.argv[4] ?? 8);
if (!['WebGPU', 'CPU'].includes(backend) || !Number.isInteger(steps) || steps < 3) {
  console.error('usage: node scripts/profile-worker.mjs [doc-cnn|lab-cnn] [WebGPU|CPU] [steps ≥ 3]');
  process.exit(2);
}
const srv = await startServer();
const browser = await launch();
const { page } = await openTrainPage(browser, srv, backend);

// The worker's DevTools session, reached through the page's (non-flattened) session;
// auto-attach also attaches to the worker already running.
const cdp = await page.context().newCDPSession(page);
let worker = null;
let nextId = 0;
const replies = new Map();
cdp.on('Target.attachedToTarget', (e) => {
  if (e.targetInfo.type === 'worker' && !worker) worker = e.sessionId;
});
cdp.on('Target.receivedMessageFromTarget', (e) => {
  const m = JSON.parse(e.message);
  replies.get(m.id)?.(m);
  replies.delete(m.id);
});
const send = (method, params = {}) =>
  new Promise((resolve) => {
    const id = ++nextId;
    replies.set(id, resolve);
    cdp.send('Target.sendMessageToTarget', { sessionId: worker, message: JSON.stringify({ id, method, params }) });
  });

await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
for (let i = 0; i < 100 && !worker; i++) await new Promise((r) => setTimeout(r, 100));
if (!worker) throw new Error('the engine worker did not appear');

await startRun(page, arch);
await untilStep(page, 2);
await send('Profiler.enable');
await send('Profiler.setSamplingInterval', { interval: 250 });
await send('Profiler.start');
const t0 = Date.now();
await untilStep(page, steps);
const { result } = await send('Profiler.stop');
const seconds = (Date.now() - t0) / 1000;
await browser.close();
srv.close?.();

const profile = result.profile;
const file = join(tmpdir(), `worker-${arch}-${backend}.cpuprofile`);
writeFileSync(file, JSON.stringify(profile));

// Self time per sampled node, then per function name; inclusive time walks up the tree
// counting each name once per sample.
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const perNode = new Map();
profile.samples.forEach((id, i) => perNode.set(id, (perNode.get(id) ?? 0) + profile.timeDeltas[i] / 1000));
const self = new Map();
const inclusive = new Map();
let total = 0;
for (const [id, ms] of perNode) {
  total += ms;
  const name = (n) => n.callFrame.functionName || '(anonymous)';
  self.set(name(nodes.get(id)), (self.get(name(nodes.get(id))) ?? 0) + ms);
  const seen = new Set();
  for (let x = id; x !== undefined; x = parent.get(x)) {
    const k = name(nodes.get(x));
    if (!seen.has(k)) inclusive.set(k, (inclusive.get(k) ?? 0) + ms);
    seen.add(k);
  }
}
const top = (m, k) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, k)
    .map(([f, ms]) => `${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${f.slice(0, 140)}`)
    .join('\n');
console.log(`${arch} on ${backend}, steps 3–${steps}: ${seconds.toFixed(1)} s, ${((32 * (steps - 2)) / seconds).toFixed(1)} images/s`);
console.log(`worker idle: ${(((self.get('(idle)') ?? 0) * 100) / total).toFixed(1)} % of ${(total / 1000).toFixed(1)} s sampled (${file})`);
console.log(`\nself time\n${top(self, 25)}\n\ninclusive time\n${top(inclusive, 40)}`);
process.exit(0);
