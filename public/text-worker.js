// Starts the text coder's worker. `text.js` (versioned: `text-<hash>.js`) is
// wasm-bindgen's glue for the text coder's wasm (built by Trunk from
// src/bin/text.rs). The page sends the wasm's address as the first message;
// this loader downloads it, reports progress, compiles it as it arrives, and
// from then on the Rust code answers every message (see src/text/worker.rs).

// The versioned names of this build's files (scripts/post-build.mjs writes
// them here): the glue below and the pretrained model.
self.__ASSETS = /* post-build */ {};
// The glue, then the boot that both workers share (public/worker-boot.js).
importScripts(...["text.js", "worker-boot.js"].map((f) => "./" + (self.__ASSETS[f] ?? f)));

