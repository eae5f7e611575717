// Trunk post-build hook (see Trunk.toml), run on the staging directory:
//  1. a Content-Security-Policy <meta> that allows only what the site needs,
//     with the SHA-256 of each inline script Trunk wrote;
//  2. versioned names (a content hash) for every file fetched by a fixed name
//     (the engine, models, data), listed in index.html for the page and in
//     engine.js for the worker: an open page only ever fetches the files of
//     its own build, so it never starts an engine that speaks another protocol;
//  3. the loader: the home page runs the small landing app (bin `landing`),
//     the pages that run the ML engine the main app (bin `app`), every other
//     address the reading pages' app (bin `read`);
//  4. a real index.html for every route (its own title, description and
//     link-preview tags, and its first screen's words in both languages with
//     the script that picks one before the first paint), so deep links answer
//     200 and paint at once; 404.html for the rest;
//  5. the web app manifest, its icons rendered from the favicon, robots.txt
//     and, when the site's origin is known ($SITE_ORIGIN), sitemap.xml;
//  6. sw.js from public/sw.js, with a version hash of every built file and the
//     app shell to cache at install.
import { readFile, writeFile, readdir, rename, mkdir, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join, relative, resolve, dirname } from 'node:path';
import {
  VERSIONED, versionedName, withLoader, withoutPreloads, scriptJson, pageHtml, LANGUAGE_SCRIPT, manifest, THEME, robots, sitemap, parseIcon, rasterize, png,
} from './site-files.mjs';
const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run this from Trunk');
const root = resolve(import.meta.dirname, '..');

export function contentSecurityPolicy(html) {
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)];
  const hashes = inline.map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
    // Leptos writes style="" attributes (bar widths, chart colours).
    "style-src 'self' 'unsafe-inline'",
    // Uploaded and downloaded files are blob: URLs, never sent anywhere.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
  ].join('; ');
}

async function files(d) {
  const out = [];
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else out.push(p);
  }
  return out;
}

let html = await readFile(join(dir, 'index.html'), 'utf8');
const base = /<base href="([^"]*)"/.exec(html)?.[1] ?? '/';
const origin = (process.env.SITE_ORIGIN ?? '').replace(/\/+$/, '');

// 2. Versioned names. The workers' glue first, their loaders last.
const listed = () => files(dir).then((all) => all.map((p) => relative(dir, p).split('\\').join('/')));
const assets = {};
const LOADERS = ['engine.js', 'text-worker.js'];
for (const f of (await listed()).filter((f) => VERSIONED.test(f) && !LOADERS.includes(f)).sort()) {
  assets[f] = versionedName(f, await readFile(join(dir, f)));
  await rename(join(dir, f), join(dir, assets[f]));
}
// Each worker's loader carries the map for its worker, so its own hash covers every name.
for (const [loader, glue] of [['engine.js', 'worker.js'], ['text-worker.js', 'text.js']]) {
  const js = (await readFile(join(dir, loader), 'utf8')).replace('/* post-build */ {}', scriptJson(assets));
  if (!js.includes(assets[glue] ?? glue)) throw new Error(`post-build: ${loader} lost its assets map`);
  assets[loader] = versionedName(loader, Buffer.from(js));
  await writeFile(join(dir, assets[loader]), js);
  await rm(join(dir, loader));
}
// The site's pages: each route's words, and which of the site's apps draws it.
const site = JSON.parse(
  execFileSync('cargo', ['run', '--quiet', '--locked', '--offline', '--no-default-features', '--bin', 'site'], {
    cwd: root,
    encoding: 'utf8',
  }),
);
const pages = site.pages;

// The loader (before the CSP, which hashes it): the home page runs its own
// small app, the pages that run the ML engine the main app, the rest the
// reading pages' app.
html = withLoader(html, assets, pages.filter((p) => p.app === 'app').map((p) => p.path)).replace('</head>', `    ${LANGUAGE_SCRIPT}\n</head>`);
if (!html.includes('http-equiv="Content-Security-Policy"')) {
  html = html.replace(
    /<meta charset="utf-8" \/>/,
    (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(html)}" />`,
  );
}
html = html.replace(
  '</head>',
  `    <script type="application/json" id="assets">${scriptJson(assets)}</script>
    <link rel="manifest" href="manifest.webmanifest" />
    <meta name="theme-color" content="${THEME}" />
    <link rel="apple-touch-icon" href="icon-192.png" />
</head>`,
);

// 4. One index.html per route; 404.html for every other path.
for (const page of pages) {
  // `tour.html` answers `/tour` on GitHub Pages and most static hosts (a
  // `tour/index.html` would be redirected to `/tour/`).
  const file = page.path === '/' ? 'index.html' : `${page.path.slice(1)}.html`;
  await mkdir(dirname(join(dir, file)), { recursive: true });
  await writeFile(join(dir, file), pageHtml(withoutPreloads(html), page, { base, origin, site }));
}
const missing = { path: '/404', title: 'Page not found · Compression Lab', description: 'There is no page at this address.' };
await writeFile(join(dir, '404.html'), pageHtml(html, missing, { base, origin, noindex: true }));

// 5. Manifest, icons, robots.txt, sitemap.xml.
const icon = parseIcon(await readFile(join(root, 'public/favicon.svg'), 'utf8'));
for (const [name, size, maskable] of [['icon-192.png', 192, false], ['icon-512.png', 512, false], ['icon-maskable-512.png', 512, true]]) {
  await writeFile(join(dir, name), png(rasterize(icon, size, { maskable }), size, size));
}
await writeFile(join(dir, 'manifest.webmanifest'), JSON.stringify(manifest({ description: pages[0].description }), null, 2));
await writeFile(join(dir, 'robots.txt'), robots({ base, origin }));
if (origin) await writeFile(join(dir, 'sitemap.xml'), sitemap(pages, { base, origin }));

// 6. The service worker.
const all = (await listed()).filter((f) => f !== 'sw.js').sort();
const hash = createHash('sha256');
for (const f of all) {
  hash.update(f);
  hash.update(await readFile(join(dir, f)));
}
const version = hash.digest('hex').slice(0, 16);
// Each page says which build it is, so the service worker keeps this build's
// cache while a tab still runs it (public/sw.js, "running").
for (const f of all.filter((f) => f.endsWith('.html'))) {
  const html = await readFile(join(dir, f), 'utf8');
  await writeFile(join(dir, f), html.replace('</head>', `<meta name="compression-lab-build" content="${version}" />\n</head>`));
}
const shell = all.filter(
  (f) =>
    f === 'index.html' ||
    f === 'manifest.webmanifest' ||
    f === 'icon-192.png' ||
    /^(app-[0-9a-f]+(_bg\.wasm|\.js)|(landing|read)(_bg)?-[0-9a-f]+\.(wasm|js)|main-[0-9a-f]+\.css|favicon-[0-9a-f]+\.svg)$/.test(f),
);
const sw = (await readFile(join(root, 'public/sw.js'), 'utf8'))
  .replace("'__VERSION__'", JSON.stringify(version))
  .replace('__SHELL__', JSON.stringify(shell));
await writeFile(join(dir, 'sw.js'), sw);
console.log(
  `post-build: CSP, ${Object.keys(assets).length} versioned files, ${pages.length} pages + 404.html, manifest and icons, ` +
    `${origin ? 'sitemap.xml' : 'no sitemap.xml ($SITE_ORIGIN unset)'}, sw.js ${version} (shell: ${shell.length} files, site: ${all.length} files)`,
);
