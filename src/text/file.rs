//! The `.lmz` file: a text coded by one of the site's language-model coders.
//!
//! ```text
//! offset  size  field
//!      0     4  magic "CLTX"
//!      4     1  format version (1)
//!      5     1  coder (1 = learn as you go, 2 = pretrained model)
//!      6     2  zero
//!      8     4  model id: the CRC-32 of the shipped model's file (0 for a
//!               coder that starts from nothing), little-endian
//!     12     4  the text's length in bytes, little-endian (≤ MAX_TEXT)
//!     16     4  CRC-32 (IEEE) of the text, little-endian
//!     20     …  the arithmetic code
//! ```
//!
//! The decoder checks every declared field against its limits before it
//! allocates, and the text it decodes against the CRC: a damaged or truncated
//! file, or one made with another model, is an error, never wrong text.

use super::Coder;

pub const MAGIC: [u8; 4] = *b"CLTX";
pub const VERSION: u8 = 1;
pub const HEADER: usize = 20;
/// The longest text the site codes (1 MiB): a coded file is refused by its
/// declared length above this, and the page refuses a longer text.
pub const MAX_TEXT: usize = 1 << 20;
/// The largest file the decoder reads: a coded text never needs more than
/// 8 bits a byte plus the header, so anything larger is not ours.
pub const MAX_FILE: usize = HEADER + MAX_TEXT + MAX_TEXT / 8 + 64;

/// What the header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub coder: Coder,
    pub model: u32,
    pub len: usize,
    pub crc: u32,
}

/// Why a file cannot be decoded (the page words each in both languages).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    any(feature = "ui", feature = "codec"),
    derive(serde::Serialize, serde::Deserialize)
)]
pub enum FileError {
    /// Larger than any file the coder writes ([`MAX_FILE`]); refused unread.
    TooLarge { bytes: usize, limit: usize },
    /// Shorter than the header, or not starting with the magic bytes.
    NotOurs,
    /// A format version this build does not read.
    Version(u8),
    /// A coder number this build does not know.
    UnknownCoder(u8),
    /// Coded with another model than the one this page ships.
    OtherModel { file: u32, ours: u32 },
    /// Declares a text longer than [`MAX_TEXT`].
    TooLong { declared: usize, limit: usize },
    /// The decoded text fails its checksum: the file is damaged or truncated.
    Damaged,
}

/// The CRC-32 (IEEE 802.3, as in gzip and PNG) of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(bytes);
    h.finalize()
}

impl Header {
    pub fn for_text(coder: Coder, model: u32, text: &[u8]) -> Header {
        Header {
            coder,
            model,
            len: text.len(),
            crc: crc32(text),
        }
    }

    pub fn to_bytes(self) -> [u8; HEADER] {
        let mut h = [0u8; HEADER];
        h[..4].copy_from_slice(&MAGIC);
        h[4] = VERSION;
        h[5] = self.coder.id();
        h[8..12].copy_from_slice(&self.model.to_le_bytes());
        h[12..16].copy_from_slice(&(self.len as u32).to_le_bytes());
        h[16..20].copy_from_slice(&self.crc.to_le_bytes());
        h
    }

    /// Reads and checks a file's header; the code follows it at [`HEADER`].
    /// `model` is the id of the pretrained model this page ships.
    pub fn read(file: &[u8], model: u32) -> Result<Header, FileError> {
        if file.len() > MAX_FILE {
            return Err(FileError::TooLarge {
                bytes: file.len(),
                limit: MAX_FILE,
            });
        }
        if file.len() < HEADER || file[..4] != MAGIC {
            return Err(FileError::NotOurs);
        }
        if file[4] != VERSION {
            return Err(FileError::Version(file[4]));
        }
        let coder = Coder::from_id(file[5]).ok_or(FileError::UnknownCoder(file[5]))?;
        let word =
            |at: usize| u32::from_le_bytes([file[at], file[at + 1], file[at + 2], file[at + 3]]);
        let (file_model, len, crc) = (word(8), word(12) as usize, word(16));
        let ours = if coder == Coder::Pretrained { model } else { 0 };
        if file_model != ours {
            return Err(FileError::OtherModel {
                file: file_model,
                ours,
            });
        }
        if len > MAX_TEXT {
            return Err(FileError::TooLong {
                declared: len,
                limit: MAX_TEXT,
            });
        }
        Ok(Header {
            coder,
            model: file_model,
            len,
            crc,
        })
    }

    /// The decoded text, if it is the one the header describes.
    pub fn check(&self, text: Vec<u8>) -> Result<Vec<u8>, FileError> {
        if text.len() == self.len && crc32(&text) == self.crc {
            Ok(text)
        } else {
            Err(FileError::Damaged)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_reads_back_and_every_field_is_checked() {
        let h = Header::for_text(Coder::Pretrained, 0xdead_beef, b"hello");
        let bytes = h.to_bytes();
        assert_eq!(Header::read(&bytes, 0xdead_beef), Ok(h));
        assert_eq!(
            Header::read(&bytes, 7),
            Err(FileError::OtherModel {
                file: 0xdead_beef,
                ours: 7
            })
        );
        let mut b = bytes;
        b[0] = b'X';
        assert_eq!(Header::read(&b, 0xdead_beef), Err(FileError::NotOurs));
        let mut b = bytes;
        b[4] = 9;
        assert_eq!(Header::read(&b, 0xdead_beef), Err(FileError::Version(9)));
        let mut b = bytes;
        b[5] = 77;
        assert_eq!(
            Header::read(&b, 0xdead_beef),
            Err(FileError::UnknownCoder(77))
        );
        let mut b = bytes;
        b[12..16].copy_from_slice(&(MAX_TEXT as u32 + 1).to_le_bytes());
        assert_eq!(
            Header::read(&b, 0xdead_beef),
            Err(FileError::TooLong {
                declared: MAX_TEXT + 1,
                limit: MAX_TEXT
            })
        );
        assert_eq!(
            Header::read(&bytes[..HEADER - 1], 0xdead_beef),
            Err(FileError::NotOurs)
        );
        let big = vec![0u8; MAX_FILE + 1];
        assert_eq!(
            Header::read(&big, 0),
            Err(FileError::TooLarge {
                bytes: MAX_FILE + 1,
                limit: MAX_FILE
            })
        );
    }

    #[test]
    fn a_learned_coder_carries_no_model_id() {
        let h = Header::for_text(Coder::Learn, 0, b"abc");
        assert_eq!(Header::read(&h.to_bytes(), 1234), Ok(h));
        assert_eq!(h.check(b"abc".to_vec()), Ok(b"abc".to_vec()));
        assert_eq!(h.check(b"abd".to_vec()), Err(FileError::Damaged));
        assert_eq!(h.check(b"ab".to_vec()), Err(FileError::Damaged));
    }

    #[test]
    fn crc32_is_the_standard_one() {
        // The check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }
}
