//! The CIFAR-10 binary record parser (data directory, shards the page fetches).
#![no_main]
use compression_lab::data::cifar::Cifar;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = Cifar::parse(data, "fuzz") {
        // Whatever parses re-encodes to the same bytes, record for record.
        assert_eq!(c.to_bytes(), data);
        assert_eq!(c.class_counts().iter().sum::<usize>(), c.len());
    }
});
