//! The upload check that runs before an image is decoded (format sniffing,
//! declared size limits), and the pixel conversion behind it.
#![no_main]
use compression_lab::data::image::{inspect, rgba_to_cifar};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = inspect(data);
    if data.len() >= 2 {
        let (w, h) = (data[0] as usize % 40 + 1, data[1] as usize % 40 + 1);
        let _ = rgba_to_cifar(&data[2..], w, h);
    }
});
