// Starts the text coder's worker. `text.js` (versioned: `text-<hash>.js`) is
// wasm-bindgen's glue for the text coder's wasm (built by Trunk from
// src/bin/text.rs). The page downloads the wasm itself, to show progress, and
// hands the bytes over as the first message; from then on the Rust code
// answers every message (see src/text/worker.rs).

// The versioned names of this build's files (scripts/post-build.mjs writes
// them here): the glue below and the pretrained model.
self.__ASSETS = /* post-build */ {};
importScripts("./" + (self.__ASSETS["text.js"] ?? "text.js"));
self.onmessage = async (event) => {
  self.onmessage = null;
  try {
    await wasm_bindgen({ module_or_path: event.data });
  } catch (err) {
    self.postMessage({ BootFailed: String((err && err.message) || err) });
  }
};
