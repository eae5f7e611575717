// The post-build hook's helpers (scripts/site-files.mjs), without a build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  VERSIONED, versionedName, withLoader, withoutPreloads, scriptJson, pageHtml, shellHtml, LANGUAGE_SCRIPT, manifest, robots, sitemap, parseIcon, rasterize, png,
} from '../../scripts/site-files.mjs';

const ROOT = join(import.meta.dirname, '../..');

test('versioned names carry a content hash and keep folder and extension', () => {
  const a = versionedName('models/lab-cnn.safetensors', Buffer.from('a'));
  assert.match(a, /^models\/lab-cnn-[0-9a-f]{16}\.safetensors$/);
  assert.equal(versionedName('models/lab-cnn.safetensors', Buffer.from('a')), a, 'same bytes, same name');
  assert.notEqual(versionedName('models/lab-cnn.safetensors', Buffer.from('b')), a, 'other bytes, other name');
  assert.match(versionedName('worker_bg.wasm', Buffer.from('x')), /^worker_bg-[0-9a-f]{16}\.wasm$/);
  for (const f of ['engine.js', 'worker-boot.js', 'worker.js', 'worker_bg.wasm', 'landing.js', 'landing_bg.wasm', 'read.js', 'read_bg.wasm', 'models/doc-cnn.json', 'data/train-00.bin']) assert.ok(VERSIONED.test(f), f);
  for (const f of ['index.html', 'sw.js', 'app-0123.js', 'fonts/x.woff2', 'models/a/b']) assert.ok(!VERSIONED.test(f), f);
});

// What Trunk 0.21 writes for the main app (trimmed), as the hook receives it.
const TRUNK_HTML = `<html><head><base href="/sub/" />
<script type="module">
import init, * as bindings from '/sub/app-0a1b.js';
const wasm = await init({ module_or_path: '/sub/app-0a1b_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));

</script>
<link rel="stylesheet" href="/sub/main-77.css"/>
<link rel="modulepreload" href="/sub/app-0a1b.js" crossorigin="anonymous" integrity="sha384-x"><link rel="preload" href="/sub/app-0a1b_bg.wasm" crossorigin="anonymous" integrity="sha384-y" as="fetch" type="application/wasm"></head><body></body></html>`;
const APPS = { 'landing.js': 'landing-1111.js', 'landing_bg.wasm': 'landing_bg-2222.wasm', 'read.js': 'read-3333.js', 'read_bg.wasm': 'read_bg-4444.wasm' };
const LAB = ['/train', '/compress'];

/**
 * Runs the loader's script (a module) with a stand-in page at `path` under
 * /sub/ and returns which app it starts: 'landing', 'read' or 'app'.
 */
async function loaderRuns(html, path) {
  const body = /<script type="module">([\s\S]*?)<\/script>/.exec(html)[1];
  const started = [];
  const glue = {};
  const page = {
    PerformanceObserver: { supportedEntryTypes: [] },
    requestAnimationFrame: (f) => f(),
    setTimeout: (f) => f(),
    document: {
      baseURI: 'https://example.org/sub/',
      fonts: { load: async () => {} },
      createElement: () => glue,
      head: { append: () => glue.onload() },
    },
    location: { pathname: path },
    wasm_bindgen: async ({ module_or_path }) => started.push(module_or_path),
    importApp: async (url) => ({ default: async ({ module_or_path }) => started.push(url, module_or_path) }),
    dispatchEvent: () => {},
    CustomEvent: class {},
  };
  const run = new Function(...Object.keys(page), `return (async () => { ${body.replace(/\bimport\(/g, 'importApp(')} })();`);
  await run(...Object.values(page));
  assert.equal(glue.src === undefined ? 0 : 1, started.some((s) => /landing|read/.test(s)) ? 1 : 0);
  return started.some((s) => s.includes('landing')) ? 'landing' : started.some((s) => s.includes('read')) ? 'read' : 'app';
}

test("the loader replaces Trunk's script: the landing app at home, the main app at the engine's pages, the reading app elsewhere", async () => {
  const html = withLoader(TRUNK_HTML, APPS, LAB);
  assert.ok(!html.includes('window.wasmBindings'), "Trunk's own script is gone");
  assert.equal(html.match(/<script/g).length, 1, 'one script');
  assert.match(html, /classic\('\/sub\/landing-1111\.js', '\/sub\/landing_bg-2222\.wasm'\)/);
  assert.match(html, /classic\('\/sub\/read-3333\.js', '\/sub\/read_bg-4444\.wasm'\)/);
  assert.match(html, /import\('\/sub\/app-0a1b\.js'\)/);
  assert.match(html, /module_or_path: '\/sub\/app-0a1b_bg\.wasm'/);
  assert.ok(html.includes('<link rel="modulepreload" href="/sub/app-0a1b.js"'), 'other pages keep the preloads');
  for (const [path, app] of [
    ['/sub/', 'landing'], ['/sub', 'landing'], ['/sub/index.html', 'landing'],
    ['/sub/train', 'app'], ['/sub/compress/', 'app'], ['/sub/tour', 'read'], ['/sub/text', 'read'], ['/sub/no/such/page', 'read'],
  ]) assert.equal(await loaderRuns(html, path), app, path);
  assert.throws(() => withLoader('<html></html>', APPS, LAB), /Trunk's script/);
  assert.throws(() => withLoader(TRUNK_HTML, {}, LAB), /landing\.js was not built/);
  assert.throws(() => withLoader(TRUNK_HTML, { 'landing.js': 'l.js', 'landing_bg.wasm': 'l.wasm' }, LAB), /read\.js was not built/);
  assert.throws(() => withLoader(TRUNK_HTML, APPS, []), /no page runs the main app/);
});

test("a route's page preloads no app: the loader fetches the one its address needs after the first paint", () => {
  const html = withoutPreloads(withLoader(TRUNK_HTML, APPS, LAB));
  assert.ok(!/<link[^>]*(app-0a1b|landing|read)/.test(html), 'no preload of any app');
  assert.ok(html.includes('/sub/main-77.css'), 'the style sheet stays');
  assert.ok(html.includes('landing_bg-2222.wasm'), 'the loader names the landing app');
  assert.throws(() => withoutPreloads('<html><head></head></html>'), /preload links/);
});

test('JSON inside <script> cannot close the element', () => {
  assert.equal(scriptJson({ a: '</script><!--' }), '{"a":"\\u003c/script>\\u003c!--"}');
  assert.deepEqual(JSON.parse(scriptJson({ a: '</script>' })), { a: '</script>' });
});

test("a route's page gets its title, description and preview tags, escaped", () => {
  const html = '<head>\n<meta name="description" content="old" />\n<title>Compression Lab</title>\n</head><body></body>';
  const page = { path: '/losses', title: 'Loss "calculators" · Compression Lab', description: 'A & B <c>' };
  const out = pageHtml(html, page, { base: '/sub/', origin: 'https://example.org' });
  assert.match(out, /<title>Loss &quot;calculators&quot; · Compression Lab<\/title>/);
  assert.match(out, /<meta name="description" content="A &amp; B &lt;c&gt;" \/>/);
  assert.match(out, /<link rel="canonical" href="https:\/\/example.org\/sub\/losses" \/>/);
  assert.match(out, /<meta property="og:image" content="https:\/\/example.org\/sub\/og.png" \/>/);
  assert.doesNotMatch(out, /noindex/);
  const missing = pageHtml(html, page, { base: '/', origin: '', noindex: true });
  assert.match(missing, /<meta name="robots" content="noindex" \/>/);
  assert.doesNotMatch(missing, /canonical/, 'no canonical without an origin');
});

test("a route's HTML carries its frame and first words in both languages, the current section marked", () => {
  const site = {
    brand: ['Compression Lab', '压缩实验室'], skip: ['Skip to content', '跳到正文'], sections: ['Sections', '栏目'],
    nav: [['/tour', ['Tour', '导读']], ['/losses', ['Losses', '损失函数']]],
  };
  const page = {
    path: '/losses', title: 'Losses · Compression Lab', title_zh: '损失 · 压缩实验室', description: 'd',
    head: [['同一句', '同一句'], ['How <wrong>?', '错了多少？'], ['A & B', '甲和乙']],
  };
  const html = '<html lang="en">\n<head><title>x</title>\n</head><body>\n<div id="boot" class="boot"><p>loading</p></div>\n</body></html>';
  const out = pageHtml(html, page, { base: '/sub/', origin: '', site });
  assert.doesNotMatch(out, /loading/);
  assert.match(out, /<html lang="en" data-title-zh="损失 · 压缩实验室">/);
  assert.match(out, /<h1><span data-l="en">How &lt;wrong&gt;\?<\/span><span data-l="zh" lang="zh-Hans">错了多少？<\/span><\/h1>/);
  assert.match(out, /<p class="eyebrow"><cite>同一句<\/cite><\/p>/, 'one text, quoted, when both languages say the same');
  assert.match(out, /<p class="lede"><span data-l="en">A &amp; B<\/span>/);
  assert.match(out, /<a href="\/sub\/losses" aria-current="page"><span data-l="en">Losses<\/span>/);
  assert.match(out, /<a href="\/sub\/tour"><span data-l="en">Tour/);
  assert.match(out, /<article class="page"><header class="page-head" data-path="\/losses">/);
  const home = shellHtml(site, { ...page, path: '/' }, '/');
  assert.match(home, /<main id="main" tabindex="-1"><section class="hero"><p class="eyebrow">/);
  assert.match(home, /<a href="\/" aria-current="page">/);
  // Without a site list (404.html) the page keeps its loading message.
  assert.match(pageHtml(html, page, { base: '/', origin: '' }), /loading/);
  assert.match(LANGUAGE_SCRIPT, /^<script>[\s\S]*compression-lab\.lang[\s\S]*<\/script>$/);
});

test('manifest, robots.txt and sitemap.xml', () => {
  const m = manifest({ description: 'd' });
  assert.equal(m.start_url, './');
  assert.deepEqual(m.icons.map((i) => i.sizes), ['192x192', '512x512', '512x512']);
  assert.equal(robots({ base: '/', origin: '' }), 'User-agent: *\nAllow: /\n');
  assert.match(robots({ base: '/s/', origin: 'https://e.org' }), /Sitemap: https:\/\/e.org\/s\/sitemap.xml\n$/);
  const xml = sitemap([{ path: '/' }, { path: '/tour' }], { base: '/s/', origin: 'https://e.org' });
  assert.match(xml, /<loc>https:\/\/e.org\/s\/<\/loc>/);
  assert.match(xml, /<loc>https:\/\/e.org\/s\/tour<\/loc>/);
});

test('the favicon renders: its shapes, anti-aliased edges, and a valid PNG', () => {
  const icon = parseIcon(readFileSync(join(ROOT, 'public/favicon.svg'), 'utf8'));
  assert.equal(icon.shapes.length, 3);
  const px = rasterize(icon, 64);
  const at = (x, y) => [...px.subarray((y * 64 + x) * 4, (y * 64 + x) * 4 + 4)];
  assert.deepEqual(at(0, 0), [0, 0, 0, 0], 'rounded corner: transparent');
  assert.deepEqual(at(32, 6), [29, 78, 216, 255], 'blue ground');
  assert.deepEqual(at(20, 18), [255, 255, 255, 255], 'the white mark');
  assert.deepEqual(at(44, 32), [251, 191, 36, 255], 'the yellow dot');
  // The rounded corner's arc crosses the top-left 8×8 pixels: some are partly covered.
  const corner = [];
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) corner.push(px[(y * 64 + x) * 4 + 3]);
  assert.ok(corner.some((a) => a > 0 && a < 255), `anti-aliased corner: ${corner}`);
  const masked = rasterize(icon, 64, { maskable: true });
  assert.equal(masked[3], 255, 'a maskable icon fills its corners');
  const file = png(px, 64, 64);
  assert.deepEqual([...file.subarray(1, 4)], [...Buffer.from('PNG')]);
  assert.equal(file.readUInt32BE(16), 64);
  const idat = file.indexOf('IDAT');
  const raw = inflateSync(file.subarray(idat + 4, idat + 4 + file.readUInt32BE(idat - 4)));
  assert.equal(raw.length, 64 * (64 * 4 + 1));
  assert.throws(() => parseIcon('<svg viewBox="0 0 8 8"><path d="M0 0C1 1 2 2 3 3z" fill="#000"/></svg>'), /unsupported path command C/);
});
