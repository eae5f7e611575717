//! The standard compressors, each at its strongest setting, on the same bytes
//! as the language model: what the text page compares against. All are pure
//! Rust, so they run in the browser's worker as they do natively.
//!
//! | compressor | crate, setting | as |
//! |---|---|---|
//! | gzip | `miniz_oxide` DEFLATE level 10 + the 18-byte gzip wrapper | `gzip -9` (no file name) |
//! | zstd | `structured-zstd` level 19 | `zstd -19` |
//! | xz | `lzma-rust2` preset 9, nice length 273, depth 512 | `xz -9e` |
//! | bzip2 | `bzip2` (pure-Rust `libbz2-rs-sys`) block 900 kB | `bzip2 -9` |
//! | brotli | `brotli` quality 11, text mode, window fitted to the text | `brotli -q 11` |
//!
//! Windows and dictionaries are sized to the text (never more than the
//! preset's): the output is the same bytes, and the worker does not reserve
//! hundreds of megabytes for a 36 kB article. brotli keeps its built-in
//! dictionary (RFC 7932, 122,784 bytes): it is part of what brotli is.

use super::{Baseline, Compressor};
use std::io::Write;

/// gzip: DEFLATE at miniz_oxide's best level, in gzip's wrapper (10-byte
/// header, no file name; CRC-32 and length after).
pub fn gzip(text: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff];
    out.extend(miniz_oxide::deflate::compress_to_vec(text, 10));
    out.extend(super::file::crc32(text).to_le_bytes());
    out.extend((text.len() as u32).to_le_bytes());
    out
}

pub fn zstd(text: &[u8]) -> Vec<u8> {
    use structured_zstd::encoding::{compress_to_vec, CompressionLevel};
    compress_to_vec(text, CompressionLevel::from_level(19))
}

pub fn xz(text: &[u8]) -> Vec<u8> {
    let mut opt = lzma_rust2::XzOptions::with_preset(9);
    opt.lzma_options.nice_len = 273;
    opt.lzma_options.depth_limit = 512;
    opt.lzma_options.dict_size = (text.len() as u32)
        .max(4096)
        .min(opt.lzma_options.dict_size);
    let write = || -> std::io::Result<Vec<u8>> {
        let mut w = lzma_rust2::XzWriter::new(Vec::new(), opt.clone())?;
        w.write_all(text)?;
        w.finish()
    };
    write().expect("xz writes to memory")
}

pub fn bzip2(text: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::best());
    e.write_all(text).expect("bzip2 writes to memory");
    e.finish().expect("bzip2 writes to memory")
}

pub fn brotli(text: &[u8]) -> Vec<u8> {
    let mut lgwin = 10;
    while (1usize << lgwin) - 16 < text.len() && lgwin < 24 {
        lgwin += 1;
    }
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin,
        size_hint: text.len(),
        mode: brotli::enc::backward_references::BrotliEncoderMode::BROTLI_MODE_TEXT,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &text[..], &mut out, &params).expect("brotli writes to memory");
    out
}

/// How each was made, as the page notes it.
fn how(c: Compressor) -> &'static str {
    match c {
        Compressor::Gzip => "miniz_oxide 0.8, DEFLATE level 10, gzip wrapper",
        Compressor::Zstd => "structured-zstd 0.2, level 19",
        Compressor::Xz => "lzma-rust2 0.25, preset 9 + extreme settings",
        Compressor::Bzip2 => "bzip2 0.6 (pure Rust), 900 kB blocks",
        Compressor::Brotli => "brotli 9, quality 11, built-in dictionary",
    }
}

pub fn compress(c: Compressor, text: &[u8]) -> Vec<u8> {
    match c {
        Compressor::Gzip => gzip(text),
        Compressor::Zstd => zstd(text),
        Compressor::Xz => xz(text),
        Compressor::Bzip2 => bzip2(text),
        Compressor::Brotli => brotli(text),
    }
}

/// Every compressor's size for `text`, timed with `now` (milliseconds).
pub fn all(text: &[u8], now: impl Fn() -> f64) -> Vec<Baseline> {
    Compressor::ALL
        .into_iter()
        .map(|c| {
            let t0 = now();
            let bytes = compress(c, text).len();
            Baseline {
                compressor: c,
                how: how(c).into(),
                bytes,
                millis: now() - t0,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn decompress(c: Compressor, z: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        match c {
            Compressor::Gzip => {
                assert_eq!(&z[..3], &[0x1f, 0x8b, 8]);
                out = miniz_oxide::inflate::decompress_to_vec(&z[10..z.len() - 8]).unwrap();
                assert_eq!(
                    u32::from_le_bytes(z[z.len() - 8..z.len() - 4].try_into().unwrap()),
                    super::super::file::crc32(&out)
                );
            }
            Compressor::Zstd => {
                structured_zstd::decoding::StreamingDecoder::new(z)
                    .read_to_end(&mut out)
                    .unwrap();
            }
            Compressor::Xz => {
                lzma_rust2::XzReader::new(z, false)
                    .read_to_end(&mut out)
                    .unwrap();
            }
            Compressor::Bzip2 => {
                bzip2::read::BzDecoder::new(z)
                    .read_to_end(&mut out)
                    .unwrap();
            }
            Compressor::Brotli => {
                brotli::BrotliDecompress(&mut &z[..], &mut out).unwrap();
            }
        }
        out
    }

    #[test]
    fn every_compressor_round_trips_and_compresses_text() {
        let text = "压缩就是预测。A model that predicts well is a short code. ".repeat(200);
        for c in Compressor::ALL {
            let z = compress(c, text.as_bytes());
            assert!(
                z.len() < text.len() / 10,
                "{c:?}: {} of {}",
                z.len(),
                text.len()
            );
            assert_eq!(decompress(c, &z), text.as_bytes(), "{c:?}");
        }
        for c in Compressor::ALL {
            assert_eq!(decompress(c, &compress(c, b"")), b"", "{c:?} on nothing");
        }
    }

    #[test]
    fn the_times_come_from_the_clock_given() {
        let t = std::cell::Cell::new(0.0);
        let b = all(b"abc", || {
            t.set(t.get() + 1.0);
            t.get()
        });
        assert_eq!(b.len(), Compressor::ALL.len());
        assert!(b.iter().all(|b| b.millis == 1.0 && b.bytes > 0));
    }
}
