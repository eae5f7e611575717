//! The engine's Web Worker: receives [`ToWorker`] messages from the page, runs
//! the Burn engine on WebGPU or the CPU, answers with [`FromWorker`]. It is its
//! own wasm module (`src/bin/worker.rs`), fetched only by pages that need it.
//!
//! Requests are handled one at a time, in order (a queue), so a model is loaded
//! once even when several images arrive together. Training runs as its own
//! task beside the queue; pause / resume / stop act at once.

mod compress;
mod store;
mod train;

use crate::data::cifar::PIXELS;
use crate::engine::compress::read_weights;
use crate::engine::eval::log_probs_async;
use crate::engine::meta::ModelMeta;
use crate::engine::model::{AnyModel, Classifier};
use crate::engine::weights::Weights;
use crate::engine::{batch, cpu, Device};
use crate::protocol::{Backend, FromWorker, ModelInfo, ModelRef, ToWorker};
use burn::module::Module;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, WorkerGlobalScope};

#[derive(Default)]
struct State {
    /// The backend in use and its device.
    current: Option<(Backend, Device)>,
    /// The WebGPU device, once initialized (Burn initializes it once per worker).
    gpu: Option<Device>,
    models: HashMap<(String, Backend), Rc<Loaded>>,
    /// Weights files as loaded, by model key (the compression lab starts from them).
    weights: HashMap<String, (Rc<Weights>, Option<f64>)>,
    /// The held-out test set, once fetched.
    test: Option<Rc<crate::data::cifar::Cifar>>,
    /// The uncompressed models' scores: (model key, backend, images).
    base_scores: HashMap<(String, Backend, usize), crate::engine::compress::Scored>,
    queue: VecDeque<ToWorker>,
    busy: bool,
    training: bool,
    paused: bool,
    stop: bool,
}

struct Loaded {
    model: AnyModel,
    info: ModelInfo,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(msg: &FromWorker) {
    match serde_wasm_bindgen::to_value(msg) {
        Ok(v) => {
            let _ = scope().post_message(&v);
        }
        Err(e) => web_sys::console::error_1(&format!("engine: cannot send {msg:?}: {e}").into()),
    }
}

/// Installs the message handler and says so. Called once by the worker's `main`.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        // The panic aborts the module right after: tell the page why first.
        post(&FromWorker::Panicked(info.to_string()));
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
        match serde_wasm_bindgen::from_value::<ToWorker>(ev.data()) {
            Ok(ToWorker::Pause) => STATE.with_borrow_mut(|s| s.paused = true),
            Ok(ToWorker::Resume) => STATE.with_borrow_mut(|s| s.paused = false),
            Ok(ToWorker::Stop) => STATE.with_borrow_mut(|s| {
                s.stop = true;
                s.paused = false;
            }),
            Ok(ToWorker::Train(settings)) => {
                let start = STATE.with_borrow_mut(|s| {
                    let start = !s.training;
                    if start {
                        (s.training, s.paused, s.stop) = (true, false, false);
                    }
                    start
                });
                if start {
                    spawn_local(train::run(settings));
                } else {
                    post(&FromWorker::Failed {
                        id: None,
                        message: "A training run is already going: stop it first.".into(),
                    });
                }
            }
            Ok(msg) => enqueue(msg),
            Err(e) => post(&FromWorker::Failed {
                id: None,
                message: format!("The engine could not read a message: {e}"),
            }),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&FromWorker::Booted);
}

fn enqueue(msg: ToWorker) {
    let start = STATE.with_borrow_mut(|s| {
        s.queue.push_back(msg);
        !std::mem::replace(&mut s.busy, true)
    });
    if start {
        spawn_local(async {
            while let Some(msg) = STATE.with_borrow_mut(|s| {
                let next = s.queue.pop_front();
                s.busy = next.is_some();
                next
            }) {
                let reply = handle(msg).await;
                post(&reply);
            }
        });
    }
}

async fn handle(msg: ToWorker) -> FromWorker {
    match msg {
        ToWorker::Start { prefer } => start_backend(prefer).await,
        ToWorker::Classify { id, model, image } => match classify(id, &model, &image).await {
            Ok(reply) => reply,
            Err(message) => FromWorker::Failed {
                id: Some(id),
                message,
            },
        },
        ToWorker::ListModels { id } => match store::list().await {
            Ok(list) => FromWorker::Models { id, list },
            Err(message) => FromWorker::Failed {
                id: Some(id),
                message,
            },
        },
        ToWorker::ExportModel { id, key } => match store::get(&key).await {
            Ok((meta, bytes)) => FromWorker::Exported {
                id,
                name: meta.name,
                bytes,
            },
            Err(message) => FromWorker::Failed {
                id: Some(id),
                message,
            },
        },
        ToWorker::DeleteModel { id, key } => match store::delete(&key).await {
            Ok(()) => FromWorker::Done { id },
            Err(message) => FromWorker::Failed {
                id: Some(id),
                message,
            },
        },
        ToWorker::Compress {
            id,
            model,
            plan,
            images,
        } => match compress::measure(&model, &plan, images).await {
            Ok(report) => FromWorker::Compressed {
                id,
                report: Box::new(report),
            },
            Err(message) => FromWorker::Failed {
                id: Some(id),
                message,
            },
        },
        ToWorker::ExportCompressed { id, model, plan } => {
            match compress::file(&model, &plan).await {
                Ok((name, bytes)) => FromWorker::Exported { id, name, bytes },
                Err(message) => FromWorker::Failed {
                    id: Some(id),
                    message,
                },
            }
        }
        ToWorker::SaveCompressed {
            id,
            model,
            plan,
            name,
            test_accuracy,
        } => match compress::save(&model, &plan, &name, test_accuracy).await {
            Ok(model) => FromWorker::Imported { id, model },
            Err(message) => FromWorker::Failed {
                id: Some(id),
                message,
            },
        },
        ToWorker::ImportModel { id, name, bytes } => match import(&name, &bytes).await {
            Ok(model) => FromWorker::Imported { id, model },
            Err(message) => FromWorker::Failed {
                id: Some(id),
                message: format!("{name}: {message}"),
            },
        },
        // Handled as they arrive, never queued.
        ToWorker::Train(_) | ToWorker::Pause | ToWorker::Resume | ToWorker::Stop => {
            FromWorker::Failed {
                id: None,
                message: "unexpected control message in the queue".into(),
            }
        }
    }
}

/// What the browser offers for WebGPU in this worker: `Ok(adapter description)`
/// or `Err(why not)`.
async fn probe_webgpu() -> Result<String, String> {
    let navigator = js_sys::Reflect::get(&scope(), &"navigator".into()).unwrap_or_default();
    let gpu = js_sys::Reflect::get(&navigator, &"gpu".into()).unwrap_or_default();
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser offers no WebGPU (navigator.gpu is missing)".into());
    }
    let request = js_sys::Reflect::get(&gpu, &"requestAdapter".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or("navigator.gpu.requestAdapter is missing")?;
    let promise = request
        .call0(&gpu)
        .map_err(|e| format!("requestAdapter failed: {e:?}"))?;
    let adapter = JsFuture::from(js_sys::Promise::from(promise))
        .await
        .map_err(|e| format!("requestAdapter failed: {e:?}"))?;
    if adapter.is_null() || adapter.is_undefined() {
        return Err("WebGPU is present but gives no adapter (GPU blocklisted or disabled)".into());
    }
    let info = js_sys::Reflect::get(&adapter, &"info".into()).unwrap_or_default();
    let field = |name: &str| {
        js_sys::Reflect::get(&info, &name.into())
            .ok()
            .and_then(|v| v.as_string())
            .filter(|s| !s.is_empty())
    };
    let fallback = js_sys::Reflect::get(&info, &"isFallbackAdapter".into())
        .ok()
        .and_then(|v| v.as_bool())
        .or_else(|| {
            js_sys::Reflect::get(&adapter, &"isFallbackAdapter".into())
                .ok()
                .and_then(|v| v.as_bool())
        })
        .unwrap_or(false);
    let mut words: Vec<String> = ["vendor", "architecture", "description"]
        .iter()
        .filter_map(|f| field(f))
        .collect();
    words.dedup();
    let mut detail = if words.is_empty() {
        "unnamed adapter".to_string()
    } else {
        words.join(" ")
    };
    if fallback {
        detail += " (software fallback adapter)";
    }
    Ok(detail)
}

async fn start_backend(prefer: Option<Backend>) -> FromWorker {
    let probe = probe_webgpu().await;
    let webgpu_available = probe.is_ok();
    let (backend, device, detail, why) = match (prefer, probe) {
        (Some(Backend::Cpu), probe) => (
            Backend::Cpu,
            cpu(),
            "Burn ndarray".to_string(),
            match probe {
                Ok(_) => "You chose the CPU.".to_string(),
                Err(e) => format!("You chose the CPU ({e})."),
            },
        ),
        (_, Err(e)) => (
            Backend::Cpu,
            cpu(),
            "Burn ndarray".to_string(),
            format!("Running on the CPU: {e}."),
        ),
        (prefer, Ok(adapter)) => match gpu_device().await {
            Ok(device) => (
                Backend::WebGpu,
                device,
                adapter,
                if prefer == Some(Backend::WebGpu) {
                    "You chose WebGPU.".to_string()
                } else {
                    "The browser offers a WebGPU adapter, so the engine runs there.".to_string()
                },
            ),
            Err(e) => (
                Backend::Cpu,
                cpu(),
                "Burn ndarray".to_string(),
                format!("WebGPU failed to start ({e}), so the engine runs on the CPU."),
            ),
        },
    };
    STATE.with_borrow_mut(|s| s.current = Some((backend, device)));
    FromWorker::Started {
        backend,
        detail,
        why,
        webgpu_available,
    }
}

async fn gpu_device() -> Result<Device, String> {
    if let Some(d) = STATE.with_borrow(|s| s.gpu.clone()) {
        return Ok(d);
    }
    let d = Device::wgpu_options()
        .init_async()
        .await
        .map_err(|e| e.to_string())?;
    STATE.with_borrow_mut(|s| s.gpu = Some(d.clone()));
    Ok(d)
}

/// Waits `ms` milliseconds, letting the worker handle its messages meanwhile.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// Checks a weights file a visitor gives (it must load into its architecture)
/// and saves it in this browser.
async fn import(name: &str, bytes: &[u8]) -> Result<crate::protocol::SavedModel, String> {
    let w = read_weights(bytes)?;
    let m = AnyModel::from_weights(&w, &cpu())?;
    let meta = crate::protocol::SavedModel {
        key: format!("file-{}", js_sys::Date::now() as u64),
        name: name.to_string(),
        arch: m.arch().to_string(),
        parameters: m.num_params(),
        test_accuracy: None,
        bytes: bytes.len(),
        created: js_sys::Date::now(),
        compressed: bytes.starts_with(crate::engine::compress::MAGIC),
    };
    store::put(&meta, bytes).await?;
    Ok(meta)
}

fn now_ms() -> f64 {
    scope()
        .unchecked_into::<WorkerGlobalScope>()
        .performance()
        .map_or(0.0, |p| p.now())
}

/// The folder the worker was loaded from (the site's root), ending in `/`.
pub(crate) fn base_url() -> String {
    let href = js_sys::Reflect::get(&scope(), &"location".into())
        .and_then(|l| js_sys::Reflect::get(&l, &"href".into()))
        .ok()
        .and_then(|h| h.as_string())
        .unwrap_or_default();
    match href.rfind('/') {
        Some(i) => href[..=i].to_string(),
        None => href,
    }
}

pub(crate) async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let global: WorkerGlobalScope = scope().unchecked_into();
    let resp = JsFuture::from(global.fetch_with_str(url))
        .await
        .map_err(|e| format!("{url}: {}", js_error(&e)))?;
    let resp: web_sys::Response = resp.unchecked_into();
    if !resp.ok() {
        return Err(format!("{url}: HTTP {}", resp.status()));
    }
    let buf = JsFuture::from(resp.array_buffer().map_err(|e| js_error(&e))?)
        .await
        .map_err(|e| format!("{url}: {}", js_error(&e)))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

pub(crate) fn js_error(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

pub(crate) async fn current() -> (Backend, Device) {
    if let Some(c) = STATE.with_borrow(|s| s.current.clone()) {
        return c;
    }
    start_backend(None).await;
    STATE
        .with_borrow(|s| s.current.clone())
        .unwrap_or((Backend::Cpu, cpu()))
}

/// The model, loaded (and warmed up) on first use: returns it and the
/// milliseconds loading took (0 when it was cached).
async fn model(
    model: &ModelRef,
    backend: Backend,
    device: &Device,
) -> Result<(Rc<Loaded>, f64), String> {
    let key = (model.key(), backend);
    if let Some(m) = STATE.with_borrow(|s| s.models.get(&key).cloned()) {
        return Ok((m, 0.0));
    }
    let t0 = now_ms();
    let (weights, test_accuracy) = weights_of(model).await?;
    let m = AnyModel::from_weights(&weights, device)?;
    // One forward pass now, so shader compilation is not counted as inference.
    log_probs_async(&m, batch::raw_images(&[&[0u8; PIXELS]], device)).await?;
    let info = ModelInfo {
        arch: m.arch().to_string(),
        parameters: m.num_params(),
        test_accuracy,
    };
    let loaded = Rc::new(Loaded { model: m, info });
    STATE.with_borrow_mut(|s| s.models.insert(key, loaded.clone()));
    Ok((loaded, now_ms() - t0))
}

/// A model's weights file, parsed (cached: the compression lab reuses it).
pub(crate) async fn weights_of(model: &ModelRef) -> Result<(Rc<Weights>, Option<f64>), String> {
    let key = model.key();
    if let Some(w) = STATE.with_borrow(|s| s.weights.get(&key).cloned()) {
        return Ok(w);
    }
    let (weights, test_accuracy) = match model {
        ModelRef::Shipped(name) => {
            let base = base_url();
            let bytes = fetch_bytes(&format!("{base}models/{name}.safetensors")).await?;
            let weights =
                Weights::from_bytes(&bytes).map_err(|e| format!("{name}.safetensors: {e}"))?;
            let acc = match fetch_bytes(&format!("{base}models/{name}.json")).await {
                Ok(json) => serde_json::from_slice::<ModelMeta>(&json)
                    .ok()
                    .map(|m| m.test_accuracy),
                Err(_) => None,
            };
            (weights, acc)
        }
        ModelRef::Saved(key) => {
            let (meta, bytes) = store::get(key).await?;
            let weights = read_weights(&bytes).map_err(|e| format!("{}: {e}", meta.name))?;
            (weights, meta.test_accuracy)
        }
    };
    let entry = (Rc::new(weights), test_accuracy);
    STATE.with_borrow_mut(|s| s.weights.insert(key, entry.clone()));
    Ok(entry)
}

async fn classify(id: u32, model_ref: &ModelRef, image: &[u8]) -> Result<FromWorker, String> {
    if image.len() != PIXELS {
        return Err(format!(
            "Expected a 32\u{d7}32 RGB image ({PIXELS} bytes), got {} bytes.",
            image.len()
        ));
    }
    let (backend, device) = current().await;
    let (loaded, load_millis) = model(model_ref, backend, &device).await?;
    let t1 = now_ms();
    let lp = log_probs_async(&loaded.model, batch::raw_images(&[image], &device)).await?;
    let millis = now_ms() - t1;
    Ok(FromWorker::Classified {
        id,
        probs: lp.iter().map(|v| v.exp()).collect(),
        millis,
        load_millis,
        backend,
        model: loaded.info.clone(),
    })
}
