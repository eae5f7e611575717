// Starts the engine worker. `worker.js` (versioned: `worker-<hash>.js`) is wasm-bindgen's glue for the engine's
// wasm (built by Trunk from src/bin/worker.rs). The page sends the wasm's
// address as the first message; this loader downloads it, reports progress,
// compiles it as it arrives, and from then on the Rust code answers every
// message (see src/worker.rs).

// Every WebGPU device the engine opens is watched: when the browser loses it
// (a driver reset, a crashed GPU process), the page is told at once and
// restarts the engine on the CPU instead of waiting on a dead device. A device
// destroyed on purpose (reason "destroyed") is not a loss, unless a test sets
// `__simulateLoss` to drive this path.
if (self.GPUAdapter) {
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const device = await requestDevice.apply(this, args);
    (self.__engineDevices ??= []).push(device);
    device.lost.then((info) => {
      if (info.reason !== "destroyed" || self.__simulateLoss) {
        self.postMessage({ DeviceLost: info.message || String(info.reason) });
      }
    });
    return device;
  };
}
// The versioned names of this build's files (scripts/post-build.mjs writes
// them here): the glue below, the models and the data shards. The worker reads
// `self.__ASSETS` so it never fetches another build's file.
self.__ASSETS = /* post-build */ {};
importScripts("./" + (self.__ASSETS["worker.js"] ?? "worker.js"));
self.onmessage = async (event) => {
  self.onmessage = null;
  // The page sends the wasm's address; the worker downloads it (off the
  // page's main thread, where 10 MB streamed through would hold a phone's
  // page for a tenth of a second), reports its progress and compiles it as
  // it arrives.
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
    await wasm_bindgen({ module_or_path: wasm });
  } catch (err) {
    self.postMessage({ BootFailed: String((err && err.message) || err) });
  }
};
