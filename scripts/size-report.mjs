// Prints the size of each built asset, raw and gzip-compressed (level 9), what
// the home page loads (its HTML, the landing app, the style sheet), and where
// each wasm's bytes go: per crate and the largest functions (twiggy, on the
// linked wasm before wasm-bindgen and wasm-opt: the built files keep no names).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.argv[2] ?? 'dist';
const rows = [];
const walk = (d) => {
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else {
      const buf = readFileSync(p);
      rows.push({ file: p.slice(dir.length + 1), raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length });
    }
  }
};
walk(dir);
rows.sort((a, b) => b.raw - a.raw);
const kib = (n) => (n / 1024).toFixed(1).padStart(8) + ' KiB';
console.log('asset'.padEnd(44) + 'raw'.padStart(12) + 'gzip'.padStart(12));
for (const r of rows) console.log(r.file.padEnd(44) + kib(r.raw) + kib(r.gzip));
const total = rows.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip }), { raw: 0, gzip: 0 });
console.log('total'.padEnd(44) + kib(total.raw) + kib(total.gzip));

const home = rows.filter((r) => /^(index\.html|landing(_bg)?-[0-9a-f]+\.(js|wasm)|main-[0-9a-f]+\.css)$/.test(r.file));
const homeTotal = home.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip }), { raw: 0, gzip: 0 });
console.log(`home page (${home.map((r) => r.file).join(', ')})`.padEnd(44) + kib(homeTotal.raw) + kib(homeTotal.gzip));

// Where the bytes go. A function's crate is the first path segment that is not
// the standard library's (generic std code instantiated for a crate counts there).
const STD = new Set('core alloc std ops function impls iter adapters traits iterator fmt ptr option result vec string slice str cell rc sync boxed mem convert clone cmp hash collections any marker pin future task panicking rt FnOnce FnMut Fn call_once call_mut drop_in_place'.split(' '));
function crateOf(name) {
  if (name.startsWith('data segment')) return '(data: strings, tables)';
  for (const m of name.matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::/g)) if (!STD.has(m[1])) return m[1];
  return '(other)';
}
function twiggy(wasm) {
  const csv = execFileSync('twiggy', ['top', '-n', '1000000', '-f', 'csv', wasm], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const items = [];
  for (const line of csv.trim().split('\n').slice(1)) {
    // Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent;
    // a name may hold commas (then it is quoted).
    const m = /^(.*),(\d+),[\d.]*,[\d.]*,[\d.]*$/.exec(line);
    if (!m) continue;
    const name = m[1].replace(/^"|"$/g, '').replace(/""/g, '"');
    // Names, custom sections and wasm-bindgen's descriptors are not shipped.
    if (/names" subsection|custom section|__wbindgen_describe/.test(name)) continue;
    items.push({ name, size: Number(m[2]) });
  }
  return items;
}
let target = null;
try {
  target = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps', '--offline'], { encoding: 'utf8' })).target_directory;
} catch {}
let hasTwiggy = true;
try {
  execFileSync('twiggy', ['--version'], { stdio: 'ignore' });
} catch {
  hasTwiggy = false;
}
const wasms = target
  ? [['app', 'release/app.wasm'], ['landing', 'release/landing.wasm'], ['read', 'release/read.wasm'], ['worker (engine)', 'worker/worker.wasm']].map(([n, p]) => [n, join(target, 'wasm32-unknown-unknown', p)])
  : [];
if (!hasTwiggy) console.log('\n(twiggy is not installed: no per-crate report; scripts/setup.sh installs it)');
for (const [label, wasm] of hasTwiggy ? wasms : []) {
  if (!existsSync(wasm)) continue;
  const items = twiggy(wasm);
  const code = items.reduce((a, i) => a + i.size, 0);
  const crates = new Map();
  for (const i of items) crates.set(crateOf(i.name), (crates.get(crateOf(i.name)) ?? 0) + i.size);
  const pct = (n) => `${((100 * n) / code).toFixed(1).padStart(5)} %`;
  console.log(`\n${label}: ${wasm} (linked, before wasm-bindgen and wasm-opt, without names and descriptors): ${kib(code).trim()}`);
  console.log('  by crate:');
  for (const [c, n] of [...crates].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`    ${kib(n)} ${pct(n)}  ${c}`);
  console.log('  largest functions:');
  for (const i of items.filter((i) => crateOf(i.name)[0] !== '(').sort((a, b) => b.size - a.size).slice(0, 8)) {
    console.log(`    ${kib(i.size)} ${pct(i.size)}  ${i.name.length > 110 ? i.name.slice(0, 107) + '...' : i.name}`);
  }
}
