#!/usr/bin/env bash
# Writes public/fonts/math-subset.woff2: Latin Modern Math (from the
# pulldown-latex crate's font/ folder, as cargo fetched it) cut to the
# characters the site's formulas use (src/tex/mathml.rs; the list goes to
# public/fonts/math-subset.txt, and the test
# `tex::tests::the_math_font_covers_every_formula` holds the table to it)
# with every glyph its OpenType MATH table needs for them (large operators,
# stretchy brackets, radicals), renamed as the GUST Font License asks of a
# modified font. Needs Python's fonttools and brotli (pip install fonttools brotli).
set -euo pipefail
source "$(dirname "$0")/env.sh"
# The characters of every formula's MathML (the table the app ships), and the
# mathematical italic of each one-letter <mi> (the browser's math-auto style).
UNICODES="$(python3 - "$ROOT/src/tex/mathml.rs" <<'PY'
import html, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
chars = set(" \u221a")  # the radical sign msqrt draws
for lit in re.findall(r'"((?:[^"\\]|\\.)*)"', text):
    if "<math" not in lit:
        continue
    lit = re.sub(r"\\u\{([0-9a-fA-F]+)\}", lambda m: chr(int(m.group(1), 16)), lit).replace('\\"', '"')
    lit = re.sub(r"<annotation.*?</annotation>", "", lit)
    for mi in re.findall(r"<mi>([^<])</mi>", lit):
        c = html.unescape(mi)
        if "a" <= c <= "z":
            chars.add("\u210e" if c == "h" else chr(0x1D44E + ord(c) - ord("a")))
        elif "A" <= c <= "Z":
            chars.add(chr(0x1D434 + ord(c) - ord("A")))
        elif "\u03b1" <= c <= "\u03c9":
            chars.add(chr(0x1D6FC + ord(c) - 0x3B1))
        elif c in "\u03f5\u03d1\u03d5":
            chars.add(chr({"\u03f5": 0x1D716, "\u03d1": 0x1D717, "\u03d5": 0x1D719}[c]))
    chars |= set(html.unescape(re.sub(r"<[^>]+>", "", lit)))
print(",".join("U+%04X" % ord(c) for c in sorted(chars)))
PY
)"
echo "$UNICODES" | tr ',' '\n' > "$ROOT/public/fonts/math-subset.txt"
src="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/pulldown-latex-0.8.0/font | head -1)/latinmodern-math.woff2"
out="$ROOT/public/fonts/math-subset.woff2"
pyftsubset "$src" --unicodes="$UNICODES" --flavor=woff2 --layout-features='*' --output-file="$out.tmp"
python3 - "$out.tmp" "$out" <<'PY'
import sys
from fontTools.ttLib import TTFont
font = TTFont(sys.argv[1])
name = font["name"]
for rec in list(name.names):
    if rec.nameID in (1, 3, 4, 6, 16, 17):
        value = {1: "Compression Lab Math", 3: "Compression Lab Math subset of Latin Modern Math",
                 4: "Compression Lab Math", 6: "CompressionLabMath", 16: "Compression Lab Math", 17: "Regular"}[rec.nameID]
        rec.string = value
font.save(sys.argv[2])
PY
rm "$out.tmp"
ls -l "$out"
