//! "Decode a .lmz file" and "load a text model": a coded text decoded with
//! the coder that starts from nothing (the header is checked before anything
//! is allocated; whatever decodes must pass its CRC and code back to the same
//! file), and the same bytes read as a network file (checked sizes, no panic).
#![no_main]
use compression_lab::text::{code, decode, file::Header, nn::ByteModel, Coder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ByteModel::from_bytes(data);
    // Decoding costs a network step a byte (slow under the sanitizer): texts
    // of up to 4 kB here; the decoder's early stop on a header that declares
    // more than its code holds is a unit test (`text::code`).
    if Header::read(data, 0).is_ok_and(|h| h.len > 4096) {
        return;
    }
    if let Ok((coder, text)) = decode(data, None, &mut |_, _| {}) {
        assert_eq!(coder, Coder::Learn);
        let again = code(&text, Coder::Learn, None, &mut |_, _| {});
        assert_eq!(again.file, data, "a decoded text codes back to its file");
    }
});
