// Trunk post-build hook (see Trunk.toml), run on the staging directory:
//  1. a Content-Security-Policy <meta> that allows only what the site needs,
//     with the SHA-256 of each inline script Trunk wrote;
//  2. 404.html = index.html, the single-page-app fallback of static hosts such
//     as GitHub Pages (every unknown path loads the app, whose router decides);
//  3. sw.js from public/sw.js, with a version hash of every built file and the
//     app shell to cache at install.
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, relative, resolve } from 'node:path';

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
if (!html.includes('http-equiv="Content-Security-Policy"')) {
  html = html.replace(
    /<meta charset="utf-8" \/>/,
    (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(html)}" />`,
  );
}
await writeFile(join(dir, 'index.html'), html);
await writeFile(join(dir, '404.html'), html);

const all = (await files(dir)).map((p) => relative(dir, p).split('\\').join('/')).filter((f) => f !== 'sw.js').sort();
const hash = createHash('sha256');
for (const f of all) {
  hash.update(f);
  hash.update(await readFile(join(dir, f)));
}
const version = hash.digest('hex').slice(0, 16);
const shell = all.filter((f) => f === 'index.html' || /^(app-[0-9a-f]+(_bg\.wasm|\.js)|main-[0-9a-f]+\.css|favicon-[0-9a-f]+\.svg)$/.test(f));
const sw = (await readFile(join(root, 'public/sw.js'), 'utf8'))
  .replace("'__VERSION__'", JSON.stringify(version))
  .replace('__SHELL__', JSON.stringify(shell));
await writeFile(join(dir, 'sw.js'), sw);
console.log(`post-build: CSP, 404.html, sw.js ${version} (shell: ${shell.length} files, site: ${all.length} files)`);
