// Lighthouse (npm `lighthouse`, Debian's Chromium) over every route of the
// release build in dist/, served gzip'd on 127.0.0.1 under the test base path
// as GitHub Pages serves it; mobile (the default preset: a mid-range phone's
// CPU, slow 4G) and desktop. Prints one table per preset: the four category
// scores, LCP, TBT, CLS and the bytes transferred.
//
//   trunk build --release --public-url /compression-lab/   (or scripts/test.sh)
//   node scripts/bench-lighthouse.mjs [--runs N] [--only mobile|desktop] [--dist DIR] [/route ...]
//   (LIGHTHOUSE_SAVE=dir also writes each report as JSON)
//
// Lighthouse is installed on first use into .tools/lighthouse (npm registry,
// pinned), outside the project's own dependencies: the test command never
// needs it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ROOT, startServer } from '../tests/browser/harness.mjs';

const VERSION = '12.8.2';
const tools = process.env.LIGHTHOUSE_DIR ?? join(ROOT, '.tools/lighthouse');
if (!existsSync(join(tools, 'node_modules/lighthouse/package.json'))) {
  mkdirSync(tools, { recursive: true });
  writeFileSync(join(tools, 'package.json'), '{"private":true}');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', `lighthouse@${VERSION}`], { cwd: tools, stdio: 'inherit' });
}
const require = createRequire(join(tools, 'package.json'));
const { default: lighthouse, desktopConfig } = await import(require.resolve('lighthouse'));
const chromeLauncher = await import(require.resolve('chrome-launcher'));

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 1) || 1;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const dist = args.includes('--dist') ? args[args.indexOf('--dist') + 1] : null;
const routes = args.filter((a) => a.startsWith('/') && a !== dist);
const ROUTES = routes.length ? routes : ['/', '/tour', '/losses', '/optimizers', '/train', '/compress', '/theorem', '/classify', '/text'];

const srv = await startServer({ pages: true, gzip: true });
if (dist) srv.state.dist = dist;
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  for (const preset of ['mobile', 'desktop'].filter((p) => !only || p === only)) {
    const rows = [];
    for (const route of ROUTES) {
      const results = [];
      for (let i = 0; i < runs; i++) {
        const config = preset === 'desktop' ? desktopConfig : undefined;
        const { lhr } = await lighthouse(srv.url(route), { port: chrome.port, output: 'json', logLevel: 'error' }, config);
        if (process.env.LIGHTHOUSE_SAVE) {
          mkdirSync(process.env.LIGHTHOUSE_SAVE, { recursive: true });
          writeFileSync(join(process.env.LIGHTHOUSE_SAVE, `${preset}${route.replace(/\//g, '-') || '-home'}.json`), JSON.stringify(lhr));
        }
        const a = lhr.audits;
        const score = (c) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
        results.push({
          perf: score('performance'),
          a11y: score('accessibility'),
          bp: score('best-practices'),
          seo: score('seo'),
          fcp: a['first-contentful-paint'].numericValue,
          lcp: a['largest-contentful-paint'].numericValue,
          tbt: a['total-blocking-time'].numericValue,
          cls: a['cumulative-layout-shift'].numericValue,
          kib: a['total-byte-weight'].numericValue / 1024,
          lcpElement: a['largest-contentful-paint-element']?.details?.items?.[0]?.items?.[0]?.node?.selector ?? '',
        });
      }
      const m = (k) => median(results.map((r) => r[k]));
      rows.push({ route, perf: m('perf'), a11y: m('a11y'), bp: m('bp'), seo: m('seo'), fcp: m('fcp'), lcp: m('lcp'), tbt: m('tbt'), cls: m('cls'), kib: m('kib'), el: results[0].lcpElement });
    }
    console.log(`\nLighthouse ${VERSION}, ${preset} preset, ${runs} run(s) per route (median), ${new Date().toISOString().slice(0, 10)}`);
    console.log('| route | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | KiB |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(`| ${r.route} | ${r.perf} | ${r.a11y} | ${r.bp} | ${r.seo} | ${(r.fcp / 1000).toFixed(1)} s | ${(r.lcp / 1000).toFixed(1)} s | ${Math.round(r.tbt)} ms | ${r.cls.toFixed(3)} | ${Math.round(r.kib)} |`);
    }
    for (const r of rows) console.log(`  LCP element ${r.route}: ${r.el}`);
  }
} finally {
  await chrome.kill();
  srv.server.close();
}
