// Counts the English words a visitor reads on a page shown in Chinese: visible
// text and the texts that assistive technology reads (aria-label, alt, title,
// placeholder, <option>), outside code, formulas, quotations, titles of works
// (<cite>), elements marked lang="en" and the visitor's own content marked
// translate="no" (file names, model names typed by the visitor). Identifiers
// (words with digits, underscores or dots: conv1, tf.keras) are code. Words on
// the allow-list — technical terms, units and names
// that Chinese technical writing keeps in Latin script — are counted apart.

/**
 * Kept in Latin script in Chinese text (compared lower-case). Everything else
 * in English is a missing translation.
 */
export const ALLOWED = [
  // Optimizers, losses, layers and the like, as Chinese ML writing spells them.
  'adam', 'adamw', 'sgd', 'momentum', 'rmsprop', 'mse', 'softmax', 'relu', 'cnn', 'mlp', 'kl', 'mdl',
  'batchnorm', 'dropout', 'logits', 'logit', 'top', 'lr', 'prequential', 'k-means', 'binaryconnect', 'ce',
  'nan', 'inf', 'ln', 'log', 'exp', 'sigmoid', 'transformer', 'bert', 'gan', 'rnn', 'keras', 'matplotlib', 'jax',
  'theano', 'one-hot', 'gd', 'nesterov',
  // Platforms, formats and software.
  'webgpu', 'gpu', 'cpu', 'wasm', 'webassembly', 'simd', 'cifar', 'burn', 'rust', 'leptos', 'ndarray', 'wgpu',
  'swiftshader', 'vulkan', 'chrome', 'chromium', 'firefox', 'safari', 'safetensors', 'clz', 'deflate', 'png',
  'jpeg', 'jpg', 'gif', 'webp', 'bmp', 'svg', 'csv', 'json', 'url', 'github', 'gpt', 'imagenet', 'mnist', 'pytorch',
  'tensorflow', 'tf', 'js', 'ai', 'llm', 'fp', 'int', 'id', 'api', 'ok', 'ms', 'ps', 'rgb', 'indexeddb', 'huffman',
  'lz', 'zip', 'gzip', 'ans', 'hz', 'worker', 'avif', 'ctrl', 'kbit', 'arxiv',
  'xz', 'brotli', 'zstd', 'lmz', 'crc', 'utf', 'markdown', 'miniz_oxide', 'structured-zstd', 'lzma-rust2', 'rfc',
  // Units.
  'kb', 'mb', 'gb', 'kib', 'mib', 'b', 's', 'px', 'tb',
  // People (cited by name; Chinese writing keeps the Latin spelling) and the
  // planets of Kepler's law.
  'kingma', 'ba', 'blier', 'ollivier', 'rissanen', 'shannon', 'kolmogorov', 'solomonoff', 'hinton', 'vinyals',
  'dean', 'han', 'mao', 'dally', 'krizhevsky', 'kepler', 'barz', 'denzler', 'grünwald', 'hutter', 'deletang',
  'delétang', 'bishop', 'goodfellow', 'et', 'al', 'lecun', 'cover', 'thomas', 'mackay', 'ioffe', 'szegedy',
  'srivastava', 'glorot', 'kaiming', 'vaswani', 'devlin', 'gal', 'ghahramani', 'rosenbrock', 'himmelblau',
  'python', 'distill', 'log-sum-exp', 'witten', 'neal', 'cleary', 'loshchilov', 'zhu', 'gupta',
  'dawid', 'wilson', 'mcnemar', 'rastegari', 'courbariaux', 'simonyan', 'binary-weight-networks',
  // The site's own model identifiers.
  'doc-cnn', 'lab-cnn', 'lab-cnn-s',
];

/**
 * Returns `{ words, unexpected, cjk, samples }` for the page as shown now:
 * `words` English words in all, `unexpected` those not on the allow-list
 * (with the text they were found in), `cjk` the number of Chinese characters.
 */
export async function englishOnPage(page) {
  return page.evaluate((allowed) => {
    const allow = new Set(allowed);
    const SKIP = 'code, pre, math, kbd, samp, script, style, noscript, blockquote, q, cite, [lang^="en"], [translate="no"]';
    const found = [];
    let words = 0;
    let cjk = 0;
    const scan = (text, where) => {
      cjk += (text.match(/[\u3400-\u9fff]/g) ?? []).length;
      // A word: Latin letters (with inner hyphens or apostrophes), two or more
      // letters long; single letters are variables (x, y, p, n) or units.
      for (const m of text.matchAll(/[A-Za-z][A-Za-z0-9_]*(?:[-'’.][A-Za-z0-9_]+)*/g)) {
        const w = m[0];
        if (w.length < 2 || /[\d_.]/.test(w)) continue;
        words += 1;
        const lower = w.toLowerCase();
        if (allow.has(lower) || lower.split('-').every((p) => allow.has(p) || /^\d*$/.test(p))) continue;
        found.push({ word: w, where: where.slice(0, 120) });
      }
    };
    const visible = (el) => el.checkVisibility?.({ visibilityProperty: true, opacityProperty: false }) ?? true;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(SKIP)) continue;
      // Option texts are read in the open menu even though the element is not "visible".
      if (!el.closest('option') && !visible(el)) continue;
      const t = n.textContent.trim();
      if (t) scan(t, t);
    }
    for (const el of document.body.querySelectorAll('[aria-label], [alt], [title], [placeholder], [aria-roledescription]')) {
      if (el.closest(SKIP)) continue;
      for (const a of ['aria-label', 'alt', 'title', 'placeholder', 'aria-roledescription']) {
        const v = el.getAttribute(a);
        if (v) scan(v, `@${a}: ${v}`);
      }
    }
    scan(document.title, `<title>: ${document.title}`);
    const desc = document.querySelector('meta[name="description"]')?.getAttribute('content');
    if (desc) scan(desc, `<meta description>: ${desc}`);
    return { words, cjk, unexpected: found };
  }, ALLOWED);
}

/** One line for the log: the share of English words and the unexpected ones. */
export function describe(name, r) {
  const share = r.words + r.cjk === 0 ? 0 : (100 * r.words) / (r.words + r.cjk);
  const list = [...new Set(r.unexpected.map((u) => u.word))].slice(0, 30).join(' ');
  return `${name}: ${r.words} English words (${r.unexpected.length} unexpected) beside ${r.cjk} Chinese characters = ${share.toFixed(1)}% English${list ? ` — ${list}` : ''}`;
}
