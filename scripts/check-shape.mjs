// Shape checks rustfmt cannot make: Leptos `view!` markup is skipped by
// rustfmt, so long lines and long components are caught here. Fails on any
// line over 120 characters in the UI and the page models (src/ui, src/page),
// and on any #[component] over 150 lines; prints the largest components.
// Also fails on a bare text literal in the UI's markup (`<p>"Some words"</p>`)
// with English words beyond the allow-list of tests/browser/english.mjs: text
// a visitor reads comes in pairs, `tr("…", "…")`, or is marked lang="en"
// (a quotation, a title) or sits in <code>/<cite>. The browser test
// tests/browser/chinese.test.mjs checks the rendered pages themselves.
// Every other function outside the tests has at most 100 lines.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ALLOWED } from '../tests/browser/english.mjs';

const root = new URL('..', import.meta.url).pathname;
const MAX_LINE = 120;
const MAX_COMPONENT = 120;
const MAX_FUNCTION = 100;

function* rustFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* rustFiles(path);
    else if (name.endsWith('.rs')) yield path;
  }
}

const problems = [];
const components = [];
const functions = [];
for (const path of rustFiles(join(root, 'src'))) {
  const file = relative(root, path);
  const lines = readFileSync(path, 'utf8').split('\n');
  const markup = file.startsWith('src/ui/') || file.startsWith('src/page/');
  if (markup) lines.forEach((line, i) => {
    const n = [...line].length;
    if (n > MAX_LINE) problems.push(`${file}:${i + 1}: ${n} characters (at most ${MAX_LINE})`);
  });
  if (file.startsWith('src/ui/')) lines.forEach((line, i) => {
    const literal = line.match(/^\s*(?:<(\w+)[^>]*>)?"([^"]*)"(?:<\/\w+>)?\s*$/);
    if (!literal) return;
    const [, tag, text] = literal;
    const context = lines.slice(Math.max(0, i - 3), i + 1).join('\n');
    if (/lang="en"|<code|<cite|\b(tr|pick|format!)\(/.test(context) || ['code', 'cite'].includes(tag)) return;
    const english = (text.match(/[A-Za-z][A-Za-z'’-]+/g) ?? []).filter((w) => !ALLOWED.includes(w.toLowerCase()));
    if (english.length) problems.push(`${file}:${i + 1}: untranslated text ${JSON.stringify(text)} (use tr("…", "…") or mark lang="en")`);
  });
  // A component runs from `#[component]` to the first line that closes it at
  // the indentation its `fn` opened at.
  lines.forEach((line, i) => {
    if (line.trim() !== '#[component]') return;
    const indent = line.length - line.trimStart().length;
    const close = ' '.repeat(indent) + '}';
    let end = i + 1;
    while (end < lines.length && lines[end] !== close) end++;
    const name = (lines[i + 1].match(/fn (\w+)/) || [])[1] || '?';
    components.push({ file, name, lines: end - i + 1 });
  });
  // Every other function, to its closing brace at its own indentation; a
  // file's unit tests (from `#[cfg(test)]` before `mod tests`) are not counted.
  const tests = lines.findIndex((l, i) => l.trim() === '#[cfg(test)]' && /^\s*mod tests\b/.test(lines[i + 1] ?? ''));
  const upTo = tests < 0 ? lines.length : tests;
  for (let i = 0; i < upTo; i++) {
    const m = lines[i].match(/^(\s*)(?:pub(?:\([^)]*\))? )?(?:const )?(?:async )?(?:unsafe )?fn (\w+)/);
    if (!m || lines[i].trimEnd().endsWith(';') || (lines[i - 1] ?? '').trim() === '#[component]') continue;
    const close = m[1] + '}';
    let end = i;
    while (end < upTo && lines[end] !== close && !(end === i && lines[i].trimEnd().endsWith('}'))) end++;
    functions.push({ file, name: m[2], lines: end - i + 1 });
  }
}
functions.sort((a, b) => b.lines - a.lines);
console.log('largest other functions (lines):');
for (const f of functions.slice(0, 5)) console.log(`  ${String(f.lines).padStart(4)}  ${f.name}  (${f.file})`);
for (const f of functions) {
  if (f.lines > MAX_FUNCTION) problems.push(`${f.file}: function ${f.name} has ${f.lines} lines (at most ${MAX_FUNCTION})`);
}
components.sort((a, b) => b.lines - a.lines);
console.log('largest components (lines):');
for (const c of components.slice(0, 8)) console.log(`  ${String(c.lines).padStart(4)}  ${c.name}  (${c.file})`);
for (const c of components) {
  if (c.lines > MAX_COMPONENT) problems.push(`${c.file}: component ${c.name} has ${c.lines} lines (at most ${MAX_COMPONENT})`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`${problems.length} shape problem(s)`);
  process.exit(1);
}
console.log(`${components.length} components, every line within ${MAX_LINE} characters`);
