// Test images for the browser tests, made from the real CIFAR-10 test set
// (read at test time from the data directory, never committed).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { ROOT } from './harness.mjs';

export const CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const DATA = process.env.CIFAR10_DIR ?? join(ROOT, '../shared/cifar10');

/** Record `i` of test.bin as { label, rgb } (rgb interleaved, 32×32), or null without data. */
export function testImage(i) {
  const file = join(DATA, 'test.bin');
  if (!existsSync(file)) return null;
  const rec = readFileSync(file).subarray(i * 3073, (i + 1) * 3073);
  const rgb = Buffer.alloc(3072);
  for (let p = 0; p < 1024; p++) {
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = rec[1 + c * 1024 + p];
  }
  return { label: rec[0], rgb };
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

function ihdr(width, height) {
  const h = Buffer.alloc(13);
  h.writeUInt32BE(width, 0);
  h.writeUInt32BE(height, 4);
  h[8] = 8; // bit depth
  h[9] = 2; // RGB
  return h;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An RGB PNG; `rowOf(y)` returns row y's width×3 bytes. */
export function png(width, height, rowOf) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = rowOf(y);
    if (row) row.copy(raw, y * (width * 3 + 1) + 1);
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr(width, height)),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 32×32 PNG of interleaved RGB. */
export function pngOf(rgb) {
  return png(32, 32, (y) => rgb.subarray(y * 96, (y + 1) * 96));
}

/** A PNG whose header is fine but whose pixel data is not zlib at all. */
export function corruptPng() {
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr(32, 32)),
    chunk('IDAT', Buffer.from('this is not compressed image data'.repeat(4))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real, valid 7072×7072 PNG (50.0 megapixels) of one grey. */
export function fiftyMegapixelPng() {
  const side = 7072;
  const row = Buffer.alloc(side * 3, 0x80);
  return png(side, side, () => row);
}
