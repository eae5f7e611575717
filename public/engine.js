// Starts the engine worker. `worker.js` is wasm-bindgen's glue for the engine's
// wasm (built by Trunk from src/bin/worker.rs). The page downloads the wasm
// itself, to show progress, and hands the bytes over as the first message;
// from then on the Rust code answers every message (see src/worker.rs).
importScripts("./worker.js");
self.onmessage = async (event) => {
  self.onmessage = null;
  try {
    await wasm_bindgen({ module_or_path: event.data });
  } catch (err) {
    self.postMessage({ BootFailed: String((err && err.message) || err) });
  }
};
