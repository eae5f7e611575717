//! Hostile files: a few hundred bytes whose headers declare gigabytes. Each
//! decoder checks what a file declares against its architecture (or a test
//! set's size) before it allocates, so each bomb is refused having allocated
//! almost nothing. A counting allocator measures the most this thread held
//! at once while decoding; the tests in this binary run one thread each.

#![cfg(all(feature = "codec", not(target_arch = "wasm32")))]

use compression_lab::codec::{arch, clz, labels, weights::Weights, FileProblem};
use compression_lab::domain::{Arch, LabelsProblem};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let _ = LIVE.try_with(|l| {
                l.set(l.get() + layout.size());
                let _ = PEAK.try_with(|p| p.set(p.get().max(l.get())));
            });
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let _ = LIVE.try_with(|l| l.set(l.get().saturating_sub(layout.size())));
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The most bytes this thread held at once while `f` ran, above what it held before.
fn peak_while<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let out = f();
    (out, PEAK.with(Cell::get) - base)
}

/// A `.clz` (version 2) whose header declares `tensors` as one-entry
/// codebooks over `values` values each (4 · `values` bytes apiece decoded).
fn clz_bomb(arch: &str, tensors: &[&str], values: usize) -> Vec<u8> {
    let entries: Vec<String> = tensors
        .iter()
        .map(|name| {
            format!(
                r#"{{"name":"{name}","shape":[{values}],"kind":"share","masked":false,"bits":0,"side":1,"groups":1,"value_bytes":2}}"#
            )
        })
        .collect();
    let header = format!(
        r#"{{"metadata":{{"arch":"{arch}"}},"tensors":[{}]}}"#,
        entries.join(",")
    );
    let mut payload = (header.len() as u32).to_le_bytes().to_vec();
    payload.extend_from_slice(header.as_bytes());
    for _ in tensors {
        payload.extend(1.0f32.to_le_bytes());
        payload.extend([0, 0]);
    }
    let mut file = clz::MAGIC.to_vec();
    file.extend((payload.len() as u32).to_le_bytes());
    file.extend(miniz_oxide::deflate::compress_to_vec(&payload, 9));
    file
}

const LITTLE: usize = 256 << 10;

#[test]
fn a_clz_bomb_is_refused_before_its_tensors_are_allocated() {
    // The 16 tensors of lab-cnn's first blocks, 64 Mi values each: 4 GiB declared.
    let spec = arch::tensors(Arch::LabCnn);
    let names: Vec<&str> = spec.iter().take(16).map(|(n, _)| n.as_str()).collect();
    let bomb = clz_bomb("lab-cnn", &names, 64 << 20);
    assert!(bomb.len() < 600, "{} bytes", bomb.len());
    let (result, peak) = peak_while(|| clz::read_weights(&bomb));
    let e = result.unwrap_err();
    assert_eq!(e.problem, FileProblem::OtherArchitecture, "{e}");
    assert!(peak < LITTLE, "{peak} bytes held while refusing it");
    // One tensor of another name (the 151-byte case): refused as early.
    let one = clz_bomb("lab-cnn", &["x"], 144 << 20);
    let (result, peak) = peak_while(|| clz::read_weights(&one));
    assert!(result
        .unwrap_err()
        .detail
        .contains("tensor x that lab-cnn does not have"));
    assert!(peak < LITTLE, "{peak}");
}

#[test]
fn a_safetensors_header_bomb_is_refused_from_its_length() {
    let mut bomb = 99_000_000u64.to_le_bytes().to_vec();
    bomb.extend(std::iter::repeat_n(b' ', 4096));
    let (result, peak) = peak_while(|| Weights::from_bytes(&bomb));
    assert_eq!(result.unwrap_err().problem, FileProblem::NotAModel);
    assert!(peak < LITTLE, "{peak}");
}

#[test]
fn a_labels_count_bomb_is_refused_from_its_header() {
    // 2^34 labels in five LEB128 bytes.
    let mut bomb = labels::MAGIC.to_vec();
    bomb.extend([0x80, 0x80, 0x80, 0x80, 0x40, 1, 2, 3, 4, 5]);
    let (result, peak) = peak_while(|| labels::Reader::new(&bomb, 10).map(|r| r.len()));
    assert_eq!(
        result.unwrap_err(),
        LabelsProblem::TooMany { declared: 1 << 34 }
    );
    assert!(peak < LITTLE, "{peak}");
}
