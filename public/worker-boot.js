// The boot of both workers (the engine, public/engine.js, and the text coder,
// public/text-worker.js), imported by each loader after its wasm's glue
// (which defines `wasm_bindgen`). The page sends the wasm's address as the
// first message; the worker downloads it (off the page's main thread, where
// 10 MB streamed through would hold a phone's page for a tenth of a second),
// reports its progress, and compiles it as it arrives. From then on the Rust
// code answers every message. Every message here is a `FromWorker` variant
// (src/protocol.rs tests that each decodes).
//
// The engine keeps its compiled module (`self.__WASM_MODULE`) and starts its
// helper cores (src/worker/cores.rs) by sending it as their first message: a
// helper instantiates it without a download or a compilation of its own, and
// the Rust code, seeing `self.__HELPER`, serves parts of batches.
self.onmessage = async (event) => {
  self.onmessage = null;
  if (event.data instanceof WebAssembly.Module) {
    self.__HELPER = true;
    try {
      await wasm_bindgen({ module_or_path: event.data });
    } catch (err) {
      self.postMessage({ BootFailed: String((err && err.message) || err) });
    }
    return;
  }
  const url = event.data;
  let response;
  try {
    response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (err) {
    self.postMessage({ FetchFailed: { url, detail: String((err && err.message) || err) } });
    return;
  }
  // A compressed response's length is not the length of what is read.
  const encoded = (response.headers.get("content-encoding") ?? "identity") !== "identity";
  const total = encoded ? null : Number(response.headers.get("content-length")) || null;
  let received = 0;
  let shown = 0;
  const counted = response.body.pipeThrough(
    new TransformStream({
      transform(chunk, out) {
        received += chunk.byteLength;
        if (performance.now() - shown >= 100) {
          shown = performance.now();
          self.postMessage({ Downloading: { received, total } });
        }
        out.enqueue(chunk);
      },
      flush() {
        self.postMessage({ Downloading: { received, total } });
        self.postMessage("Compiling");
      },
    }),
  );
  try {
    const wasm = new Response(counted, { headers: { "content-type": "application/wasm" } });
    self.__WASM_MODULE = await WebAssembly.compileStreaming(wasm);
    await wasm_bindgen({ module_or_path: self.__WASM_MODULE });
  } catch (err) {
    self.postMessage({ BootFailed: String((err && err.message) || err) });
  }
};
