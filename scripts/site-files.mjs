// What the post-build hook (scripts/post-build.mjs) writes besides the app,
// as plain functions (tested by tests/scripts/site-files.test.mjs):
//  - versioned names for every file the page or the engine fetches by name;
//  - each route's own index.html (title, description, link-preview tags);
//  - the web app manifest and its icons, rendered from the favicon;
//  - robots.txt and sitemap.xml.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/** Files fetched by a fixed name: Trunk does not hash them, we do. */
export const VERSIONED = /^(engine\.js|text-worker\.js|worker-boot\.js|worker\.js|worker_bg\.wasm|text\.js|text_bg\.wasm|landing\.js|landing_bg\.wasm|read\.js|read_bg\.wasm|models\/[^/]+|data\/[^/]+)$/;

/** `dir/name.ext` → `dir/name-<first 16 hex of SHA-256>.ext`, like Trunk's own names. */
export function versionedName(path, bytes) {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  return dot > slash ? `${path.slice(0, dot)}-${hash}${path.slice(dot)}` : `${path}-${hash}`;
}

/** JSON that is safe inside a `<script>` element (no `</script>`, no `<!--`). */
export function scriptJson(value) {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Trunk's script for the main app: import the glue, instantiate the wasm, announce it. */
const TRUNK_MAIN =
  /<script type="module">\s*import init, \* as bindings from '([^']+)';\s*const wasm = await init\(\{ module_or_path: '([^']+)' \}\);[\s\S]*?<\/script>/;

/**
 * `html` with Trunk's start script for the main app replaced by a loader that
 * picks one of the site's apps by the address: at the home page (the base path,
 * or its index.html) the small landing app (bin `landing`); at a page that runs
 * the ML engine (`labPaths`, from the site's pages: `"app": "app"`) the main app
 * (bin `app`, Trunk's ES module); anywhere else the reading pages' app (bin
 * `read`). The landing and reading apps use wasm-bindgen's classic "no-modules"
 * glue, as Trunk builds a worker; `assets` maps their files to versioned names.
 */
export function withLoader(html, assets, labPaths) {
  const m = TRUNK_MAIN.exec(html);
  if (!m) throw new Error("post-build: Trunk's script for the app is not in index.html");
  const base = /<base href="([^"]*)"/.exec(html)?.[1] ?? '/';
  const [landingJs, landingWasm, readJs, readWasm] = ['landing.js', 'landing_bg.wasm', 'read.js', 'read_bg.wasm'].map((f) => {
    if (!assets[f]) throw new Error(`post-build: ${f} was not built (index.html's rel="rust" data-bin="${f.split(/[._]/)[0]}")`);
    return base + assets[f];
  });
  if (!labPaths.length) throw new Error('post-build: no page runs the main app');
  // The page's own HTML paints first (its words, in the visitor's language):
  // the app, whose files download meanwhile, starts once the browser has
  // reported that paint of the opening paragraph (the page's largest), so the
  // app's copy of it, which takes its place, is not a later "largest paint";
  // where the browser reports no such paints, after the next frame; at most
  // half a second either way.
  const loader = `<script type="module">
await new Promise((painted) => {
  let started = false;
  const go = () => started || ((started = true), setTimeout(painted));
  setTimeout(go, 500);
  if (!(PerformanceObserver.supportedEntryTypes ?? []).includes('largest-contentful-paint')) return requestAnimationFrame(() => setTimeout(go));
  new PerformanceObserver((list) => list.getEntries().some((e) => e.element?.classList.contains('lede')) && go())
    .observe({ type: 'largest-contentful-paint', buffered: true });
});
const base = new URL(document.baseURI).pathname;
const path = '/' + location.pathname.slice(base.length).replace(/\\/+$/, '');
const classic = (js, wasm) => new Promise((loaded, failed) => {
  const glue = document.createElement('script');
  glue.src = js;
  glue.onload = loaded;
  glue.onerror = () => failed(new Error('could not load ' + glue.src));
  document.head.append(glue);
}).then(() => wasm_bindgen({ module_or_path: wasm }));
if ([base, base + 'index.html', base.replace(/\\/$/, '')].includes(location.pathname)) {
  await classic('${landingJs}', '${landingWasm}');
} else {
  // The math font (29 kB) alongside the app, so a formula never swaps fonts under the reader.
  document.fonts?.load('1em "Latin Modern Math"').catch(() => {});
  if (${JSON.stringify(labPaths)}.includes(path)) {
    const { default: init } = await import('${m[1]}');
    await init({ module_or_path: '${m[2]}' });
  } else {
    await classic('${readJs}', '${readWasm}');
  }
}
dispatchEvent(new CustomEvent('TrunkApplicationStarted'));
</script>`;
  return html.replace(m[0], loader);
}

/**
 * A route's HTML without Trunk's preload links for the app: the page's own
 * words and style sheet get the connection first (on a slow phone link the
 * 570 kB app wasm would compete with them), and the loader fetches the app
 * that the address needs (the landing app at home) once the page has painted.
 * Measured with Lighthouse's mobile preset: the preloads tied the simulated
 * largest paint to the app's download (4.1 s instead of 0.9 s) on some runs.
 */
export function withoutPreloads(html) {
  const app = /<link rel="(?:modulepreload|preload)" href="[^"]*\/app-[0-9a-f]+(?:_bg\.wasm|\.js)"[^>]*>\s*/g;
  if (!app.test(html)) throw new Error("post-build: Trunk's preload links for the app are not in index.html");
  return html.replace(app, '');
}

const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The script that runs before the first paint: the visitor's language (the
 * one the app would choose: remembered, else the browser's) on `<html lang>`,
 * which shows the static HTML's words in that language (style/main.css), and
 * the tab's title in Chinese. The header's language menu works before the app
 * has loaded. The same text on every page, so the CSP holds one hash for it.
 */
export const LANGUAGE_SCRIPT = `<script>(function () {
  var d = document.documentElement, stored = null;
  try { stored = localStorage.getItem('compression-lab.lang'); } catch (e) {}
  var en = d.getAttribute('data-title') || document.title;
  function set(zh) {
    d.lang = zh ? 'zh-Hans' : 'en';
    document.title = zh && d.dataset.titleZh ? d.dataset.titleZh : en;
    var menu = document.getElementById('lang');
    if (menu) menu.value = zh ? 'zh' : 'en';
  }
  var zh = stored ? stored === 'zh' : /^zh/i.test(navigator.language || '');
  set(zh);
  document.addEventListener('DOMContentLoaded', function () { set(zh); });
  document.addEventListener('change', function (e) {
    if (!e.target || e.target.id !== 'lang' || !document.getElementById('boot')) return;
    try { localStorage.setItem('compression-lab.lang', e.target.value); } catch (x) {}
    set(zh = e.target.value === 'zh');
  });
})();</script>`;

/** A text in both languages; the one not chosen is hidden by style/main.css. */
const both = ([en, zh]) =>
  en === zh ? escapeHtml(en) : `<span data-l="en">${escapeHtml(en)}</span><span data-l="zh" lang="zh-Hans">${escapeHtml(zh)}</span>`;

/**
 * The page as it first paints, before any script: the app's frame (skip link,
 * header with the current section marked) and the page's head (the line above
 * the title, the title, the opening paragraph) in both languages, in the same
 * elements and classes the app renders, so the app replaces it without moving
 * anything. `site` is the `site` binary's JSON, `page` one of its pages.
 */
export function shellHtml(site, page, base) {
  const href = (p) => base + p.replace(/^\//, '');
  const current = (p) => (p === page.path ? ' aria-current="page"' : '');
  const nav = site.nav.map(([p, name]) => `<li><a href="${href(p)}"${current(p)}>${both(name)}</a></li>`).join('');
  const [eyebrow, heading, lede] = page.head.map(both);
  // An eyebrow in one text for both languages quotes the article's own heading.
  const quoted = page.head[0][0] === page.head[0][1] ? `<cite>${eyebrow}</cite>` : eyebrow;
  const head = `<p class="eyebrow">${quoted}</p><h1>${heading}</h1><p class="lede">${lede}</p>`;
  const content =
    page.path === '/' ? `<section class="hero">${head}</section>` : `<article class="page"><header class="page-head" data-path="${escapeHtml(page.path)}">${head}</header></article>`;
  return `<div id="boot" class="shell">
<a class="skip" href="#main">${both(site.skip)}</a>
<header class="site-header"><a href="${href('/')}"${current('/')}><span class="brand"><span class="brand-mark" aria-hidden="true">\u25e7</span>${both(site.brand)}</span></a>
<nav aria-label="${escapeHtml(site.sections[0])}"><ul>${nav}</ul></nav>
<div class="lang-switch"><label for="lang"><span lang="en">Language</span> \u00b7 语言</label><select id="lang"><option value="en" lang="en">English</option><option value="zh" lang="zh-Hans">中文</option></select></div></header>
<main id="main" tabindex="-1">${content}</main>
<noscript><p class="boot">This site runs entirely in your browser and needs JavaScript and WebAssembly. 本站完全在浏览器中运行，需要 JavaScript 和 WebAssembly。</p></noscript>
</div>`;
}

/**
 * The HTML of one page: `html` (the built index.html) with the page's title,
 * description and link-preview tags. `base` is the public URL ("/sub/"),
 * `origin` the site's origin ("https://example.org") or "" when unknown.
 */
export function pageHtml(html, page, { base, origin, noindex = false, site = null }) {
  const title = escapeHtml(page.title);
  const description = escapeHtml(page.description);
  const abs = (p) => `${origin}${base}${p.replace(/^\//, '')}`;
  const tags = [
    `<meta property="og:type" content="website" />`,
    `<meta property="og:site_name" content="Compression Lab" />`,
    `<meta property="og:title" content="${title}" />`,
    `<meta property="og:description" content="${description}" />`,
    `<meta property="og:image" content="${abs('og.png')}" />`,
    `<meta property="og:image:width" content="1200" />`,
    `<meta property="og:image:height" content="630" />`,
    `<meta name="twitter:card" content="summary_large_image" />`,
  ];
  if (origin && !noindex) {
    tags.push(`<link rel="canonical" href="${abs(page.path === '/' ? '' : page.path.slice(1))}" />`);
    tags.push(`<meta property="og:url" content="${abs(page.path === '/' ? '' : page.path.slice(1))}" />`);
  }
  if (noindex) tags.push(`<meta name="robots" content="noindex" />`);
  let out = html;
  if (site && page.head) {
    out = out
      .replace(/<div id="boot"[\s\S]*?<\/div>/, shellHtml(site, page, base))
      .replace(/<html lang="en">/, `<html lang="en" data-title-zh="${escapeHtml(page.title_zh)}">`);
  }
  return out
    .replace(/<title>[^<]*<\/title>/, `<title>${title}</title>`)
    .replace(/<meta name="description" content="[^"]*" \/>/, `<meta name="description" content="${description}" />`)
    .replace('</head>', `    ${tags.join('\n    ')}\n</head>`);
}

/** The web app manifest (paths relative to the manifest, so any base works). */
export function manifest({ description }) {
  return {
    name: 'Compression Lab',
    short_name: 'Compression Lab',
    description,
    id: './',
    start_url: './',
    scope: './',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: THEME,
    lang: 'en',
    icons: [
      { src: 'icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
}

/** The favicon's blue: the browser's title bar and the maskable icon's ground. */
export const THEME = '#1d4ed8';

export function robots({ base, origin }) {
  const lines = ['User-agent: *', 'Allow: /'];
  if (origin) lines.push(`Sitemap: ${origin}${base}sitemap.xml`);
  return lines.join('\n') + '\n';
}

/** sitemap.xml needs absolute URLs: only written when the origin is known. */
export function sitemap(pages, { base, origin }) {
  const urls = pages.map((p) => `  <url><loc>${escapeHtml(`${origin}${base}${p.path.slice(1)}`)}</loc></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

// ---- The favicon, rasterised. It is made of the SVG shapes this renderer
// knows: <rect> (with rx), <circle> and <path> of straight lines (M L H V Z,
// absolute or relative), each with a #rgb or #rrggbb fill. Anything else is an error,
// so a changed favicon cannot silently render wrong.

function parseColor(c) {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c ?? '');
  if (!m) throw new Error(`icon: unsupported fill ${c}`);
  const hex = m[1].length === 3 ? [...m[1]].map((d) => d + d).join('') : m[1];
  const n = parseInt(hex, 16);
  return [n >> 16, (n >> 8) & 255, n & 255];
}

function attrs(s) {
  return Object.fromEntries([...s.matchAll(/([a-zA-Z-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

function pathPolygon(d) {
  const tokens = d.match(/[a-zA-Z]|-?\d*\.?\d+/g) ?? [];
  const points = [];
  let x = 0, y = 0, cmd = '', i = 0;
  const num = () => Number(tokens[i++]);
  while (i < tokens.length) {
    if (/[a-zA-Z]/.test(tokens[i])) cmd = tokens[i++];
    const rel = cmd === cmd.toLowerCase();
    switch (cmd.toUpperCase()) {
      case 'M':
      case 'L': {
        const nx = num(), ny = num();
        [x, y] = rel ? [x + nx, y + ny] : [nx, ny];
        break;
      }
      case 'H': x = rel ? x + num() : num(); break;
      case 'V': y = rel ? y + num() : num(); break;
      case 'Z': continue;
      default: throw new Error(`icon: unsupported path command ${cmd}`);
    }
    points.push([x, y]);
  }
  return points;
}

/** The favicon's shapes as inside-tests in its viewBox units. */
export function parseIcon(svg) {
  const view = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!view) throw new Error('icon: the favicon needs a viewBox "0 0 w h"');
  const shapes = [];
  for (const m of svg.matchAll(/<(rect|circle|path)\b([^>]*)\/?>/g)) {
    const a = attrs(m[2]);
    const color = parseColor(a.fill);
    if (m[1] === 'rect') {
      const [x, y, w, h, r] = [a.x ?? 0, a.y ?? 0, a.width, a.height, a.rx ?? 0].map(Number);
      shapes.push({ color, inside: (px, py) => {
        if (px < x || py < y || px > x + w || py > y + h) return false;
        const cx = Math.min(Math.max(px, x + r), x + w - r);
        const cy = Math.min(Math.max(py, y + r), y + h - r);
        return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
      } });
    } else if (m[1] === 'circle') {
      const [cx, cy, r] = [a.cx, a.cy, a.r].map(Number);
      shapes.push({ color, inside: (px, py) => (px - cx) ** 2 + (py - cy) ** 2 <= r * r });
    } else {
      const poly = pathPolygon(a.d);
      shapes.push({ color, inside: (px, py) => {
        let odd = false;
        for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
          const [xi, yi] = poly[i], [xj, yj] = poly[j];
          if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) odd = !odd;
        }
        return odd;
      } });
    }
  }
  if (!shapes.length) throw new Error('icon: no shapes in the favicon');
  return { width: Number(view[1]), height: Number(view[2]), shapes };
}

/**
 * RGBA pixels of the icon at `size`×`size`, 4×4 samples a pixel. With
 * `maskable`, the icon fills the middle 80 % (the safe zone) on `background`.
 */
export function rasterize(icon, size, { maskable = false, background = THEME } = {}) {
  const rgba = new Uint8Array(size * size * 4);
  const inset = maskable ? 0.1 : 0;
  const scale = icon.width / (size * (1 - 2 * inset));
  const bg = parseColor(background);
  const S = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = (px + (sx + 0.5) / S - size * inset) * scale;
          const y = (py + (sy + 0.5) / S - size * inset) * scale;
          let c = maskable ? bg : null;
          for (const s of icon.shapes) if (s.inside(x, y)) c = s.color;
          if (c) { acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 255; }
        }
      }
      const o = (py * size + px) * 4;
      const n = acc[3] / 255;
      for (let k = 0; k < 3; k++) rgba[o + k] = n ? Math.round(acc[k] / n) : 0;
      rgba[o + 3] = Math.round(acc[3] / (S * S));
    }
  }
  return rgba;
}

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG (8-bit RGBA, no interlace) of `rgba` pixels. */
export function png(rgba, width, height) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
