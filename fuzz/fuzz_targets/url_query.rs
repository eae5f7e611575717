//! A shared link's query: percent-decoding, and the optimizer tutorial's setup
//! read from it (every other page binds its keys through the same decoder).
//! Whatever a link holds, the query the page then writes reads back to itself,
//! so a copied link opens what the page showed.
#![no_main]
use compression_lab::page::optimizers::Setup;
use compression_lab::page::url::{query_pairs, to_query};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let pairs = query_pairs(s);
    assert_eq!(query_pairs(&to_query(&pairs)), pairs, "pairs survive encoding");
    let (setup, steps) = Setup::from_query(s);
    let written = setup.query(steps);
    let (again, steps_again) = Setup::from_query(&written);
    assert_eq!(again.query(steps_again), written, "a written link reads back to itself");
});
