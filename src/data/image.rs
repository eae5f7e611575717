//! Turning any picture into what the model sees: the largest centered square,
//! reduced to 32×32 by area averaging (each output pixel is the exact mean of the
//! source area it covers, so nothing aliases however large the source is).

use super::cifar::{PIXELS, SIDE};
use crate::lang::{Lang, Localized};

/// Why a file is not turned into a picture. Each is a sentence for the
/// visitor, in either language.
#[derive(Clone, Debug, PartialEq)]
pub enum ImageError {
    Empty,
    /// Larger than [`MAX_FILE_BYTES`] (size in MiB).
    TooLarge {
        mib: f64,
    },
    NotAnImage,
    /// An image format browsers do not decode.
    Unsupported(String),
    HeaderDamaged {
        format: &'static str,
    },
    NoPixels,
    TooManyPixels {
        width: usize,
        height: usize,
    },
    /// The header was fine but the browser could not decode the data.
    Undecodable {
        format: &'static str,
    },
    /// RGBA bytes that do not match the size (a bug, not the visitor's file).
    WrongLength {
        expected: usize,
        got: usize,
    },
    /// The browser failed; its own words.
    Browser(String),
}

impl Localized for ImageError {
    fn message(&self, lang: Lang) -> String {
        use ImageError::*;
        let limit_mib = MAX_FILE_BYTES >> 20;
        let limit_mp = MAX_PIXELS / 1_000_000;
        match (self, lang) {
            (Empty, Lang::En) => "The file is empty.".into(),
            (Empty, Lang::Zh) => "文件是空的。".into(),
            (TooLarge { mib }, Lang::En) => format!("The file is {mib:.1} MB; the limit is {limit_mib} MB."),
            (TooLarge { mib }, Lang::Zh) => format!("文件大小为 {mib:.1} MB，上限是 {limit_mib} MB。"),
            (NotAnImage, Lang::En) => "This file is not an image: its first bytes match no image format. \
                 Try a PNG, JPEG, WebP, GIF, BMP or AVIF file."
                .into(),
            (NotAnImage, Lang::Zh) => {
                "这个文件不是图片：它开头的字节不符合任何图片格式。请试试 PNG、JPEG、WebP、GIF、BMP 或 AVIF 文件。".into()
            }
            (Unsupported(name), Lang::En) => format!(
                "This is a {name} image, a format browsers cannot decode. Convert it to PNG or JPEG first."
            ),
            (Unsupported(name), Lang::Zh) => {
                format!("这是 {name} 图片，浏览器无法解码这种格式。请先把它转换为 PNG 或 JPEG。")
            }
            (HeaderDamaged { format }, Lang::En) => {
                format!("The file starts like a {format} image but its header is damaged.")
            }
            (HeaderDamaged { format }, Lang::Zh) => format!("文件开头像 {format} 图片，但它的文件头已损坏。"),
            (NoPixels, Lang::En) => "The image has no pixels.".into(),
            (NoPixels, Lang::Zh) => "这张图片没有像素。".into(),
            (TooManyPixels { width, height }, Lang::En) => format!(
                "This image is {width} \u{d7} {height} = {:.1} megapixels; the limit is {limit_mp} megapixels, \
                 so that decoding it cannot exhaust the browser's memory. Scale it down first: \
                 the model only sees 32 \u{d7} 32 pixels.",
                pixels(*width, *height) / 1e6
            ),
            (TooManyPixels { width, height }, Lang::Zh) => format!(
                "这张图片是 {width} \u{d7} {height} = {:.0} 万像素，上限是 {} 万像素，以免解码耗尽浏览器的内存。\
                 请先缩小它：模型只看 32 \u{d7} 32 个像素。",
                pixels(*width, *height) / 1e4,
                MAX_PIXELS / 10_000
            ),
            (Undecodable { format }, Lang::En) => format!(
                "The file starts like a {format} image but cannot be decoded: it is damaged or truncated."
            ),
            (Undecodable { format }, Lang::Zh) => {
                format!("文件开头像 {format} 图片，但无法解码：它已损坏或不完整。")
            }
            (WrongLength { expected, got }, Lang::En) => {
                format!("Expected {expected} bytes of RGBA pixels, got {got}.")
            }
            (WrongLength { expected, got }, Lang::Zh) => {
                format!("RGBA 像素应有 {expected} 字节，实际为 {got} 字节。")
            }
            (Browser(detail), Lang::En) => format!("The browser could not read the picture: {detail}"),
            (Browser(detail), Lang::Zh) => format!("浏览器无法读取这张图片：{detail}"),
        }
    }
}

/// Pixels of a `width × height` image, in 64 bits (a `usize` product wraps on
/// wasm32: 65536 × 65536 would read as 0).
fn pixels(width: usize, height: usize) -> f64 {
    (width as u64 * height as u64) as f64
}

impl std::fmt::Display for ImageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for ImageError {}

/// Center-crops an RGBA image (`width`×`height`, row-major, 4 bytes a pixel) to a
/// square and area-averages it to 32×32, returning planar RGB bytes (R plane,
/// G plane, B plane) like a CIFAR-10 record. Alpha is composited over white.
pub fn rgba_to_cifar(rgba: &[u8], width: usize, height: usize) -> Result<Vec<u8>, ImageError> {
    if width == 0 || height == 0 {
        return Err(ImageError::NoPixels);
    }
    if rgba.len() != width * height * 4 {
        return Err(ImageError::WrongLength {
            expected: width * height * 4,
            got: rgba.len(),
        });
    }
    let side = width.min(height) as f64;
    let (x0, y0) = ((width as f64 - side) / 2.0, (height as f64 - side) / 2.0);
    let scale = side / SIDE as f64;
    let mut out = vec![0u8; PIXELS];
    for oy in 0..SIDE {
        let (sy0, sy1) = (y0 + oy as f64 * scale, y0 + (oy + 1) as f64 * scale);
        for ox in 0..SIDE {
            let (sx0, sx1) = (x0 + ox as f64 * scale, x0 + (ox + 1) as f64 * scale);
            let mut acc = [0.0f64; 3];
            let mut area = 0.0;
            let mut y = sy0.floor() as usize;
            while (y as f64) < sy1 && y < height {
                let wy = (sy1.min(y as f64 + 1.0) - sy0.max(y as f64)).max(0.0);
                let mut x = sx0.floor() as usize;
                while (x as f64) < sx1 && x < width {
                    let wx = (sx1.min(x as f64 + 1.0) - sx0.max(x as f64)).max(0.0);
                    let w = wx * wy;
                    let p = &rgba[(y * width + x) * 4..(y * width + x) * 4 + 4];
                    let a = p[3] as f64 / 255.0;
                    for c in 0..3 {
                        acc[c] += w * (p[c] as f64 * a + 255.0 * (1.0 - a));
                    }
                    area += w;
                    x += 1;
                }
                y += 1;
            }
            for c in 0..3 {
                out[c * SIDE * SIDE + oy * SIDE + ox] =
                    (acc[c] / area).round().clamp(0.0, 255.0) as u8;
            }
        }
    }
    Ok(out)
}

/// Largest image the site decodes: 40 megapixels (a 40 MP RGBA bitmap is 160 MB).
pub const MAX_PIXELS: usize = 40_000_000;
/// Largest file the site reads.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// An image's format and size, read from its header before any decoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Inspected {
    pub format: &'static str,
    pub width: usize,
    pub height: usize,
}

/// Checks a file before the browser decodes it: is it an image, in a format
/// browsers decode, of a size that is safe to decode? Every refusal is a
/// sentence for the visitor.
pub fn inspect(bytes: &[u8]) -> Result<Inspected, ImageError> {
    use imagesize::ImageType as T;
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImageError::TooLarge {
            mib: bytes.len() as f64 / 1048576.0,
        });
    }
    let kind = imagesize::image_type(bytes).map_err(|_| ImageError::NotAnImage)?;
    let unsupported = |name: &str| Err(ImageError::Unsupported(name.to_string()));
    let format = match kind {
        T::Png => "PNG",
        T::Jpeg => "JPEG",
        T::Gif => "GIF",
        T::Webp => "WebP",
        T::Bmp => "BMP",
        T::Ico => "ICO",
        T::Heif(imagesize::Compression::Av1) => "AVIF",
        T::Heif(_) => return unsupported("HEIC/HEIF"),
        T::Tiff => return unsupported("TIFF"),
        T::Psd => return unsupported("Photoshop (PSD)"),
        T::Jxl => return unsupported("JPEG XL"),
        other => return unsupported(&format!("{other:?}")),
    };
    let size = imagesize::blob_size(bytes).map_err(|_| ImageError::HeaderDamaged { format })?;
    let (width, height) = (size.width, size.height);
    if width == 0 || height == 0 {
        return Err(ImageError::NoPixels);
    }
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(ImageError::TooManyPixels { width, height });
    }
    Ok(Inspected {
        format,
        width,
        height,
    })
}

/// A planar CIFAR-10 record (R, G, B planes) as 32×32 RGBA pixels, for display.
pub fn cifar_to_rgba(planar: &[u8]) -> Vec<u8> {
    let n = SIDE * SIDE;
    let mut out = Vec::with_capacity(n * 4);
    for i in 0..n.min(planar.len() / 3) {
        out.extend_from_slice(&[planar[i], planar[n + i], planar[2 * n + i], 255]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut v = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
        v.extend_from_slice(b"IHDR");
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        v
    }

    #[test]
    fn inspect_reads_format_and_size() {
        let i = inspect(&png_header(640, 480)).unwrap();
        assert_eq!((i.format, i.width, i.height), ("PNG", 640, 480));
    }

    #[test]
    fn inspect_refuses_what_must_not_be_decoded() {
        let en = |b: &[u8]| inspect(b).unwrap_err().to_string();
        let text = en(b"hello, this is a text file\n");
        assert!(text.contains("not an image"), "{text}");
        assert!(en(b"").contains("empty"));
        let big = en(&png_header(7072, 7072));
        assert!(big.contains("50.0 megapixels"), "{big}");
        let big_zh = inspect(&png_header(7072, 7072))
            .unwrap_err()
            .message(Lang::Zh);
        assert!(
            big_zh.contains("= 5001 万像素，上限是 4000 万像素"),
            "{big_zh}"
        );
        assert!(inspect(&png_header(6000, 6000)).is_ok()); // 36 MP
                                                           // Past 4 Gi pixels the figure still reads true (a 32-bit product wraps).
        let huge = en(&png_header(100_000, 100_000));
        assert!(huge.contains("= 10000.0 megapixels"), "{huge}");
        let square = en(&png_header(65_536, 65_536));
        assert!(square.contains("= 4295.0 megapixels"), "{square}");
        let square_zh = inspect(&png_header(65_536, 65_536))
            .unwrap_err()
            .message(Lang::Zh);
        assert!(square_zh.contains("= 429497 万像素"), "{square_zh}");
        let tiff = en(b"II*\0\x08\0\0\0\0\0\0\0\0\0\0\0");
        assert!(tiff.contains("TIFF"), "{tiff}");
        let damaged = en(&png_header(640, 480)[..18]);
        assert!(damaged.contains("damaged"), "{damaged}");
    }

    #[test]
    fn cifar_to_rgba_interleaves_planes() {
        let mut planar = vec![0u8; PIXELS];
        planar[5] = 10;
        planar[1024 + 5] = 20;
        planar[2048 + 5] = 30;
        let rgba = cifar_to_rgba(&planar);
        assert_eq!(rgba.len(), 4096);
        assert_eq!(&rgba[20..24], &[10, 20, 30, 255]);
    }

    #[test]
    fn a_uniform_image_stays_uniform_at_any_size() {
        for (w, h) in [(32, 32), (33, 31), (640, 480), (7, 100)] {
            let rgba: Vec<u8> = (0..w * h).flat_map(|_| [200u8, 100, 50, 255]).collect();
            let out = rgba_to_cifar(&rgba, w, h).unwrap();
            assert!(out[..1024].iter().all(|&v| v == 200), "{w}x{h}");
            assert!(out[1024..2048].iter().all(|&v| v == 100));
            assert!(out[2048..].iter().all(|&v| v == 50));
        }
    }

    #[test]
    fn exact_area_average_and_center_crop() {
        // 64×32: the center square is columns 16..48. Left half of it black, right white:
        // each 2×2 block is uniform, so outputs are exactly 0 or 255.
        let (w, h) = (64, 32);
        let mut rgba = vec![0u8; w * h * 4];
        for y in 0..h {
            for x in 0..w {
                let v = if x >= 32 { 255 } else { 0 };
                rgba[(y * w + x) * 4..][..4].copy_from_slice(&[v, v, v, 255]);
            }
        }
        let out = rgba_to_cifar(&rgba, w, h).unwrap();
        assert_eq!(out[0], 0); // (0,0) → source columns 16..17
        assert_eq!(out[31], 255);
        assert_eq!(out[15], 0);
        assert_eq!(out[16], 255);
        // A 2×2 checkerboard averages to mid-grey when downscaled by 2.
        let (w, h) = (64, 64);
        let rgba: Vec<u8> = (0..w * h)
            .flat_map(|i| {
                let v = if (i % w + i / w) % 2 == 0 { 0 } else { 254 };
                [v, v, v, 255]
            })
            .collect();
        let out = rgba_to_cifar(&rgba, w, h).unwrap();
        assert!(out.iter().all(|&v| v == 127), "{:?}", &out[..4]);
    }

    #[test]
    fn transparency_is_white_and_bad_buffers_are_errors() {
        let out = rgba_to_cifar(&[0, 0, 0, 0], 1, 1).unwrap();
        assert!(out.iter().all(|&v| v == 255));
        assert!(rgba_to_cifar(&[], 0, 5).is_err());
        assert!(rgba_to_cifar(&[1, 2, 3], 1, 1)
            .unwrap_err()
            .to_string()
            .contains("Expected 4 bytes"));
    }
}
