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
// The glue, then the boot that both workers share (public/worker-boot.js).
importScripts(...["worker.js", "worker-boot.js"].map((f) => "./" + (self.__ASSETS[f] ?? f)));

