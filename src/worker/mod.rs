//! The engine's Web Worker: receives [`ToWorker`] messages from the page, runs
//! the Burn engine on WebGPU or the CPU, answers with [`FromWorker`]. It is its
//! own wasm module (`src/bin/worker.rs`), fetched only by pages that need it.
//!
//! Requests are handled one at a time, in order (a queue), so a model is loaded
//! once even when several images arrive together. Training runs as its own
//! task beside the queue; pause / resume / stop act at once.

mod compress;
pub mod cores;
mod inspect;
mod labels;
mod store;
mod train;

use crate::data::cifar::PIXELS;
use crate::engine::compress::read_weights;
use crate::engine::conv_gpu::SplitWeightGrad;
use crate::engine::eval::log_probs;
use crate::engine::meta::ModelMeta;
use crate::engine::model::{AnyModel, Classifier};
use crate::engine::weights::Weights;
use crate::engine::{batch, cpu, Device};
use crate::protocol::{
    dispatch, Adapter, Answer, Backend, Call, Classification, Classify, CodeLabels, CodeText,
    Compress, Control, DecodeLabels, DecodeText, DeleteModel, EngineError, ExportCompressed,
    ExportModel, FromWorker, ImportModel, Inspect, ListModels, ModelInfo, ModelRef, NamedFile,
    Reply, Request, Saliency, SaveCompressed, SavedModel, StartReason, StartTraining,
    TextBaselines, ToWorker,
};
use burn::module::Module;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::MessageEvent;

#[derive(Default)]
struct State {
    /// The backend in use and its device.
    current: Option<(Backend, Device)>,
    /// The WebGPU device, once initialized (Burn initializes it once per worker).
    gpu: Option<Device>,
    models: HashMap<(ModelRef, Backend), Rc<Loaded>>,
    /// Weights files as loaded (the compression lab starts from them).
    weights: HashMap<ModelRef, (Rc<Weights>, Known)>,
    /// The held-out test set, once fetched.
    test: Option<Rc<crate::data::cifar::Cifar>>,
    /// The uncompressed models' scores: (model, backend, images).
    base_scores: HashMap<(ModelRef, Backend, usize), crate::engine::compress::Scored>,
    queue: VecDeque<Job>,
    /// The helper cores, kept between runs on the CPU once started.
    cores: Option<cores::Cores>,
    busy: bool,
    training: bool,
    paused: bool,
    stop: bool,
}

/// What waits in the queue.
enum Job {
    Start(Option<Backend>),
    Call(u32, Request),
}

struct Loaded {
    model: AnyModel,
    info: ModelInfo,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// Installs the message handler and says so. Called once by the worker's `main`.
pub fn start() {
    if cores::is_helper() {
        return cores::serve();
    }
    std::panic::set_hook(Box::new(|info| {
        // The panic aborts the module right after: tell the page why first.
        post(&FromWorker::Panicked(info.to_string()));
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
        match serde_wasm_bindgen::from_value::<ToWorker>(ev.data()) {
            Ok(ToWorker::Control(c)) => control(c),
            Ok(ToWorker::Call {
                id,
                request: Request::StartTraining(r),
            }) => post(&FromWorker::Reply {
                id,
                reply: train::start(r.settings).map(Reply::StartTraining),
            }),
            Ok(ToWorker::Call { id, request }) => enqueue(Job::Call(id, request)),
            Ok(ToWorker::Start { prefer }) => enqueue(Job::Start(prefer)),
            Err(e) => post(&FromWorker::Problem(EngineError::Protocol(e.to_string()))),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&FromWorker::Booted);
}

fn control(c: Control) {
    STATE.with_borrow_mut(|s| match c {
        Control::Pause => s.paused = true,
        Control::Resume => s.paused = false,
        Control::Stop => (s.stop, s.paused) = (true, false),
    });
}

fn enqueue(job: Job) {
    let start = STATE.with_borrow_mut(|s| {
        s.queue.push_back(job);
        !std::mem::replace(&mut s.busy, true)
    });
    if start {
        spawn_local(async {
            while let Some(job) = STATE.with_borrow_mut(|s| {
                let next = s.queue.pop_front();
                s.busy = next.is_some();
                next
            }) {
                let msg = match job {
                    Job::Start(prefer) => start_backend(prefer).await,
                    Job::Call(id, request) => FromWorker::Reply {
                        id,
                        reply: dispatch(&Worker, request).await,
                    },
                };
                post(&msg);
            }
        });
    }
}

/// The worker's answers, one per request type: [`dispatch`] pairs each request
/// with its reply, so an answer of the wrong type does not compile.
struct Worker;

/// `impl Answer<$request> for Worker` whose body computes the reply from `r`.
macro_rules! answer {
    ($($request:ident(|$r:ident| $body:expr);)*) => {
        $(
            impl Answer<$request> for Worker {
                async fn answer(&self, $r: $request) -> Result<<$request as Call>::Reply, EngineError> {
                    $body
                }
            }
        )*
    };
}

answer! {
    Classify(|r| classify(&r.model, &r.image).await);
    Inspect(|r| inspect::layers(&r.model, &r.image).await);
    Saliency(|r| inspect::saliency(&r.model, &r.image, r.class).await);
    ListModels(|r| {
        let ListModels {} = r;
        store::list().await
    });
    ExportModel(|r| {
        let (meta, bytes) = store::get(&r.key).await?;
        Ok(NamedFile { name: meta.name, bytes })
    });
    DeleteModel(|r| store::delete(&r.key).await);
    ImportModel(|r| import(&r.name, &r.bytes).await);
    Compress(|r| Ok(Box::new(compress::measure(&r.model, &r.plan, r.images).await?)));
    ExportCompressed(|r| compress::file(&r.model, &r.plan).await);
    SaveCompressed(|r| compress::save(&r.model, &r.plan, r.test_accuracy).await);
    CodeLabels(|r| labels::code(&r.model, r.plan.as_ref(), r.images).await);
    DecodeLabels(|r| labels::decode(&r.model, r.plan.as_ref(), &r.name, &r.bytes).await);
    // Answered as it arrives (see `start`); queued, it would start the same way.
    StartTraining(|r| train::start(r.settings));
    // The text coder's own worker answers these (`crate::text::worker`).
    CodeText(|_r| Err(not_here("CodeText")));
    DecodeText(|_r| Err(not_here("DecodeText")));
    TextBaselines(|_r| Err(not_here("TextBaselines")));
}

/// A request for the text coder's worker, sent to the engine by mistake.
fn not_here(request: &str) -> EngineError {
    EngineError::Unavailable(format!(
        "the engine does not answer {request}: the text coder's worker does"
    ))
}

/// Why WebGPU cannot be used here, in the browser's or the backend's words.
struct NoWebGpu(String);

impl From<&str> for NoWebGpu {
    fn from(why: &str) -> Self {
        NoWebGpu(why.to_string())
    }
}

/// What the browser offers for WebGPU in this worker: the adapter, or why not.
async fn probe_webgpu() -> Result<Adapter, NoWebGpu> {
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
        .map_err(|e| NoWebGpu(format!("requestAdapter failed: {e:?}")))?;
    let adapter = JsFuture::from(js_sys::Promise::from(promise))
        .await
        .map_err(|e| NoWebGpu(format!("requestAdapter failed: {e:?}")))?;
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
    Ok(Adapter {
        name: words.join(" "),
        software: fallback,
    })
}

async fn start_backend(prefer: Option<Backend>) -> FromWorker {
    let probe = probe_webgpu().await;
    let webgpu_available = probe.is_ok();
    let ndarray = || Adapter {
        name: "Burn ndarray".into(),
        software: false,
    };
    let (backend, device, adapter, why) = match (prefer, probe) {
        (Some(Backend::Cpu), probe) => {
            let why = StartReason::ChoseCpu {
                no_webgpu: probe.err().map(|e| e.0),
            };
            (Backend::Cpu, cpu(), ndarray(), why)
        }
        (_, Err(e)) => (Backend::Cpu, cpu(), ndarray(), StartReason::NoWebGpu(e.0)),
        (prefer, Ok(adapter)) => match gpu_device().await {
            Ok(device) => {
                // A CPU-side GPU gains nothing from splitting the weight
                // gradient's batch over more invocations (see `conv_gpu`).
                let name = adapter.name.to_lowercase();
                let cpu_side = adapter.software
                    || ["swiftshader", "llvmpipe", "lavapipe", "basic render driver"]
                        .iter()
                        .any(|n| name.contains(n));
                if cpu_side {
                    SplitWeightGrad::Never.set();
                } else {
                    SplitWeightGrad::Auto.set();
                }
                let why = match prefer {
                    Some(Backend::WebGpu) => StartReason::ChoseWebGpu,
                    _ => StartReason::Offered,
                };
                (Backend::WebGpu, device, adapter, why)
            }
            Err(e) => (
                Backend::Cpu,
                cpu(),
                ndarray(),
                StartReason::WebGpuFailed(e.0),
            ),
        },
    };
    STATE.with_borrow_mut(|s| s.current = Some((backend, device)));
    FromWorker::Started {
        backend,
        adapter,
        why,
        webgpu_available,
    }
}

async fn gpu_device() -> Result<Device, NoWebGpu> {
    if let Some(d) = STATE.with_borrow(|s| s.gpu.clone()) {
        return Ok(d);
    }
    let d = Device::wgpu_options()
        .init_async()
        .await
        .map_err(|e| NoWebGpu(e.to_string()))?;
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

/// A model file that cannot be read, for the page.
pub(crate) fn bad_file(name: impl Into<String>, e: crate::codec::FileError) -> EngineError {
    EngineError::BadFile {
        name: name.into(),
        problem: e.problem,
        detail: e.detail,
    }
}

/// Checks a weights file a visitor gives (it must load into its architecture)
/// and saves it in this browser.
async fn import(name: &str, bytes: &[u8]) -> Result<SavedModel, EngineError> {
    use crate::domain::{FileKind, Oversized};
    Oversized::check(name, FileKind::Model, bytes.len() as u64).map_err(EngineError::Oversized)?;
    let bad = |e| bad_file(name, e);
    let w = read_weights(bytes).map_err(bad)?;
    let m = AnyModel::from_weights(&w, &cpu()).map_err(bad)?;
    let meta = SavedModel {
        key: format!("file-{}", js_sys::Date::now() as u64),
        name: name.to_string(),
        arch: m.arch(),
        parameters: m.num_params(),
        test_accuracy: None,
        test_images: None,
        bytes: bytes.len(),
        created: js_sys::Date::now(),
        compressed: bytes.starts_with(crate::engine::compress::MAGIC),
        origin: None,
    };
    store::put(&meta, bytes).await?;
    Ok(meta)
}

pub(crate) use crate::net::js_error;
pub(crate) use crate::net::worker::{fetch_bytes, now_ms, post, scope, site_file};

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
) -> Result<(Rc<Loaded>, f64), EngineError> {
    let key = (model.clone(), backend);
    if let Some(m) = STATE.with_borrow(|s| s.models.get(&key).cloned()) {
        return Ok((m, 0.0));
    }
    let t0 = now_ms();
    let (weights, known) = weights_of(model).await?;
    let m = AnyModel::from_weights(&weights, device).map_err(|e| bad_file(model.to_string(), e))?;
    // One forward pass now, so shader compilation is not counted as inference.
    log_probs(&m, batch::raw_images(&[&[0u8; PIXELS]], device)).await?;
    let info = ModelInfo {
        arch: m.arch(),
        parameters: m.num_params(),
        test_accuracy: known.test_accuracy,
        test_images: known.test_images,
        file_bytes: known.file_bytes,
        compressed_from: known.compressed_from,
    };
    let loaded = Rc::new(Loaded { model: m, info });
    STATE.with_borrow_mut(|s| s.models.insert(key, loaded.clone()));
    Ok((loaded, now_ms() - t0))
}

/// What is known about a model beside its weights.
#[derive(Clone, Default)]
pub(crate) struct Known {
    test_accuracy: Option<f64>,
    test_images: Option<usize>,
    file_bytes: usize,
    compressed_from: Option<crate::domain::model_ref::CompressedFrom>,
}

/// A model's weights file, parsed (cached: the compression lab reuses it).
pub(crate) async fn weights_of(model: &ModelRef) -> Result<(Rc<Weights>, Known), EngineError> {
    let key = model.clone();
    if let Some(w) = STATE.with_borrow(|s| s.weights.get(&key).cloned()) {
        return Ok(w);
    }
    let (weights, known) = match model {
        ModelRef::Shipped(name) => {
            let file = crate::domain::model_ref::shipped_file(name);
            let bytes = fetch_bytes(&site_file(&format!("models/{file}"))).await?;
            let weights = read_weights(&bytes).map_err(|e| bad_file(file, e))?;
            let meta = match fetch_bytes(&site_file(&format!("models/{name}.json"))).await {
                Ok(json) => serde_json::from_slice::<ModelMeta>(&json).ok(),
                Err(_) => None,
            };
            let known = Known {
                test_accuracy: meta.as_ref().map(|m| m.test_accuracy),
                test_images: meta.as_ref().map(|m| m.test_records),
                file_bytes: bytes.len(),
                compressed_from: meta.and_then(|m| m.compressed_from),
            };
            (weights, known)
        }
        ModelRef::Saved(key) => {
            let (meta, bytes) = store::get(key).await?;
            let weights = read_weights(&bytes).map_err(|e| bad_file(meta.name.clone(), e))?;
            let known = Known {
                test_accuracy: meta.test_accuracy,
                test_images: meta.test_images,
                file_bytes: bytes.len(),
                compressed_from: None,
            };
            (weights, known)
        }
    };
    let entry = (Rc::new(weights), known);
    STATE.with_borrow_mut(|s| s.weights.insert(key, entry.clone()));
    Ok(entry)
}

/// A 32×32 RGB picture, or why not.
fn check_image(image: &[u8]) -> Result<(), EngineError> {
    if image.len() == PIXELS {
        Ok(())
    } else {
        Err(EngineError::BadImage { bytes: image.len() })
    }
}

async fn classify(model_ref: &ModelRef, image: &[u8]) -> Result<Classification, EngineError> {
    check_image(image)?;
    let (backend, device) = current().await;
    let (loaded, load_millis) = model(model_ref, backend, &device).await?;
    let t1 = now_ms();
    let lp = log_probs(&loaded.model, batch::raw_images(&[image], &device)).await?;
    let millis = now_ms() - t1;
    Ok(Classification {
        probs: lp.iter().map(|v| v.exp()).collect(),
        millis,
        load_millis,
        backend,
        model: loaded.info.clone(),
    })
}
