//! The official CIFAR-10 binary format: records of 1 label byte (0–9) followed by
//! 3072 pixel bytes, the 32×32 R plane, then G, then B, each row-major.

use std::fmt;

pub const SIDE: usize = 32;
pub const PIXELS: usize = SIDE * SIDE * 3;
pub const RECORD: usize = PIXELS + 1;
pub const CLASSES: usize = 10;
pub const CLASS_NAMES: [&str; CLASSES] = [
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
];

/// The class names in Chinese, in the same order.
pub const CLASS_NAMES_ZH: [&str; CLASSES] = [
    "飞机", "汽车", "鸟", "猫", "鹿", "狗", "青蛙", "马", "船", "卡车",
];

/// A class's name in `lang`.
pub fn class_name(c: usize, lang: crate::lang::Lang) -> &'static str {
    lang.pick(CLASS_NAMES, CLASS_NAMES_ZH)[c]
}

/// A parsed set of images, pixels kept as bytes (3 KiB per image).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cifar {
    /// Planar RGB bytes, `PIXELS` per image.
    pub pixels: Vec<u8>,
    pub labels: Vec<u8>,
}

/// A file that is not valid CIFAR-10 binary data.
#[derive(Clone, Debug, PartialEq)]
pub enum CifarError {
    /// The size is not a whole number of 3073-byte records.
    Size {
        file: String,
        len: usize,
    },
    /// A label byte above 9 at this byte offset.
    Label {
        file: String,
        offset: usize,
        label: u8,
    },
    Empty {
        file: String,
    },
}

impl fmt::Display for CifarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CifarError::Size { file, len } => write!(
                f,
                "{file}: {len} bytes is not a whole number of {RECORD}-byte CIFAR-10 records ({} full records and {} bytes left over)",
                len / RECORD,
                len % RECORD
            ),
            CifarError::Label { file, offset, label } => write!(
                f,
                "{file}: byte offset {offset} (record {}) has label {label}; CIFAR-10 labels are 0\u{2013}9",
                offset / RECORD
            ),
            CifarError::Empty { file } => write!(f, "{file}: no records"),
        }
    }
}

impl std::error::Error for CifarError {}

impl Cifar {
    /// Parses whole records; `file` names the source in error messages.
    pub fn parse(bytes: &[u8], file: &str) -> Result<Self, CifarError> {
        if bytes.is_empty() {
            return Err(CifarError::Empty { file: file.into() });
        }
        if !bytes.len().is_multiple_of(RECORD) {
            return Err(CifarError::Size {
                file: file.into(),
                len: bytes.len(),
            });
        }
        let n = bytes.len() / RECORD;
        let mut out = Cifar {
            pixels: Vec::with_capacity(n * PIXELS),
            labels: Vec::with_capacity(n),
        };
        for (i, rec) in bytes.chunks_exact(RECORD).enumerate() {
            if rec[0] as usize >= CLASSES {
                return Err(CifarError::Label {
                    file: file.into(),
                    offset: i * RECORD,
                    label: rec[0],
                });
            }
            out.labels.push(rec[0]);
            out.pixels.extend_from_slice(&rec[1..]);
        }
        Ok(out)
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The planar pixels of image `i`.
    pub fn image(&self, i: usize) -> &[u8] {
        &self.pixels[i * PIXELS..(i + 1) * PIXELS]
    }

    /// Appends another set.
    pub fn extend(&mut self, other: &Cifar) {
        self.pixels.extend_from_slice(&other.pixels);
        self.labels.extend_from_slice(&other.labels);
    }

    /// Serializes back to the binary format.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len() * RECORD);
        for i in 0..self.len() {
            out.push(self.labels[i]);
            out.extend_from_slice(self.image(i));
        }
        out
    }

    /// The records `range` as a new set.
    pub fn slice(&self, range: std::ops::Range<usize>) -> Cifar {
        Cifar {
            pixels: self.pixels[range.start * PIXELS..range.end * PIXELS].to_vec(),
            labels: self.labels[range].to_vec(),
        }
    }

    /// Keeps, for each class, the first `per_class` records in file order
    /// (how this project's subset was drawn from the official batches).
    pub fn first_per_class(&self, per_class: usize) -> Cifar {
        let mut counts = [0usize; CLASSES];
        let mut out = Cifar::default();
        for i in 0..self.len() {
            let c = self.labels[i] as usize;
            if counts[c] < per_class {
                counts[c] += 1;
                out.labels.push(self.labels[i]);
                out.pixels.extend_from_slice(self.image(i));
            }
        }
        out
    }

    /// Images per class.
    pub fn class_counts(&self) -> [usize; CLASSES] {
        let mut counts = [0usize; CLASSES];
        for &l in &self.labels {
            counts[l as usize] += 1;
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(label: u8, fill: u8) -> Vec<u8> {
        let mut r = vec![label];
        r.extend(std::iter::repeat_n(fill, PIXELS));
        r
    }

    #[test]
    fn parses_records_and_round_trips() {
        let mut bytes = record(3, 7);
        bytes.extend(record(9, 1));
        let c = Cifar::parse(&bytes, "t.bin").unwrap();
        assert_eq!(c.labels, vec![3, 9]);
        assert_eq!(c.image(1)[0], 1);
        assert_eq!(c.to_bytes(), bytes);
        assert_eq!(c.slice(1..2).labels, vec![9]);
    }

    #[test]
    fn rejects_partial_records_and_bad_labels_naming_file_and_offset() {
        let mut bytes = record(3, 0);
        bytes.push(0);
        let e = Cifar::parse(&bytes, "train.bin").unwrap_err();
        assert_eq!(
            e,
            CifarError::Size {
                file: "train.bin".into(),
                len: RECORD + 1
            }
        );
        assert!(e.to_string().contains("train.bin: 3074 bytes"));
        let mut bytes = record(3, 0);
        bytes.extend(record(10, 0));
        let e = Cifar::parse(&bytes, "x.bin").unwrap_err();
        assert_eq!(
            e,
            CifarError::Label {
                file: "x.bin".into(),
                offset: RECORD,
                label: 10
            }
        );
        assert!(e
            .to_string()
            .contains("byte offset 3073 (record 1) has label 10"));
        assert!(matches!(
            Cifar::parse(&[], "e.bin"),
            Err(CifarError::Empty { .. })
        ));
    }

    #[test]
    fn selects_first_per_class_in_order() {
        let mut bytes = Vec::new();
        for (i, l) in [0u8, 1, 0, 0, 1, 2].iter().enumerate() {
            bytes.extend(record(*l, i as u8));
        }
        let c = Cifar::parse(&bytes, "b").unwrap().first_per_class(2);
        assert_eq!(c.labels, vec![0, 1, 0, 1, 2]);
        assert_eq!(c.image(2)[0], 2);
        assert_eq!(c.class_counts()[..3], [2, 2, 1]);
    }
}
