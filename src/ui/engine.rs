//! The page's side of the engine worker: starts it on demand (downloading its
//! wasm with visible progress), sends [`ToWorker`] requests, awaits replies, and
//! notices when it dies. One worker per page, shared by every section.

use super::net::{fetch_with_progress, js_error, site_url};
use crate::protocol::{
    Backend, BatchStats, CompressReport, EpochStats, FromWorker, ModelInfo, ModelRef, Plan,
    SavedModel, ToWorker, TrainSettings,
};
use futures_channel::oneshot;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// Where the engine is, for the page to show.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Not needed yet: nothing downloaded.
    Idle,
    Downloading {
        received: f64,
        total: Option<f64>,
    },
    /// Compiling the wasm and choosing a backend.
    Starting,
    Ready {
        backend: Backend,
        detail: String,
        why: String,
        webgpu_available: bool,
    },
    Failed(String),
}

/// One classification, as the worker measured it.
#[derive(Clone, Debug, PartialEq)]
pub struct Classification {
    pub probs: Vec<f32>,
    pub millis: f64,
    pub load_millis: f64,
    pub backend: Backend,
    pub model: ModelInfo,
}

/// The training run, as the page shows it (kept while the visitor browses).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrainView {
    pub running: bool,
    pub paused: bool,
    pub settings: Option<TrainSettings>,
    /// Training records received, of the run's total.
    pub data: Option<(usize, usize)>,
    pub batches: Vec<BatchStats>,
    pub epochs: Vec<EpochStats>,
    pub outcome: Option<String>,
    pub saved: Option<SavedModel>,
}

#[derive(Clone, Copy)]
pub struct Engine {
    pub status: RwSignal<Status>,
    pub train: RwSignal<TrainView>,
    /// Bumped whenever the saved models change.
    pub models_changed: RwSignal<u32>,
}

type Reply = Result<FromWorker, String>;
type OnMessage = Closure<dyn FnMut(MessageEvent)>;
type OnError = Closure<dyn FnMut(ErrorEvent)>;

#[derive(Default)]
struct Inner {
    worker: Option<Worker>,
    booting: bool,
    next_id: u32,
    prefer: Option<Backend>,
    pending: HashMap<u32, oneshot::Sender<Reply>>,
    waiters: Vec<oneshot::Sender<Result<(), String>>>,
    last_panic: Option<String>,
    on_message: Option<OnMessage>,
    on_error: Option<OnError>,
    /// Handlers of a stopped worker: dropped at the next start, never while
    /// one of them may be running.
    retired: Vec<(Option<OnMessage>, Option<OnError>)>,
}

thread_local! {
    static INNER: RefCell<Inner> = RefCell::new(Inner::default());
}

impl Engine {
    /// Called once by the app's root.
    pub fn provide() {
        provide_context(Engine {
            status: RwSignal::new(Status::Idle),
            train: RwSignal::new(TrainView::default()),
            models_changed: RwSignal::new(0),
        });
    }

    pub fn get() -> Engine {
        expect_context::<Engine>()
    }

    /// Starts the worker unless it runs; resolves once a backend is ready.
    pub async fn ready(self) -> Result<(), String> {
        if matches!(self.status.get_untracked(), Status::Ready { .. }) {
            return Ok(());
        }
        let (tx, rx) = oneshot::channel();
        let boot = INNER.with_borrow_mut(|i| {
            i.waiters.push(tx);
            i.worker.is_none() && !std::mem::replace(&mut i.booting, true)
        });
        if boot {
            spawn_local(self.boot());
        }
        rx.await
            .unwrap_or_else(|_| Err("The engine stopped while starting.".into()))
    }

    /// Asks for `backend` (the worker falls back to the CPU if WebGPU fails).
    pub fn switch(self, backend: Backend) {
        let worker = INNER.with_borrow_mut(|i| {
            i.prefer = Some(backend);
            i.worker.clone()
        });
        if let Some(w) = worker {
            if matches!(self.status.get_untracked(), Status::Ready { .. }) {
                self.status.set(Status::Starting);
            }
            post(
                &w,
                &ToWorker::Start {
                    prefer: Some(backend),
                },
            );
        }
    }

    /// Sends the request `make(id)` and awaits the reply with that id.
    async fn request(self, make: impl FnOnce(u32) -> ToWorker) -> Result<FromWorker, String> {
        self.ready().await?;
        let (tx, rx) = oneshot::channel();
        let (id, worker) = INNER.with_borrow_mut(|i| {
            i.next_id += 1;
            i.pending.insert(i.next_id, tx);
            (i.next_id, i.worker.clone())
        });
        let worker = worker.ok_or("The engine is not running.")?;
        post(&worker, &make(id));
        match rx.await {
            Ok(Ok(FromWorker::Failed { message, .. })) => Err(message),
            Ok(reply) => reply,
            Err(_) => Err("The engine stopped before answering.".into()),
        }
    }

    pub async fn models(self) -> Result<Vec<SavedModel>, String> {
        match self.request(|id| ToWorker::ListModels { id }).await? {
            FromWorker::Models { list, .. } => Ok(list),
            other => Err(format!("Unexpected reply from the engine: {other:?}")),
        }
    }

    /// The weights file of a saved model: (name, bytes).
    pub async fn export(self, key: String) -> Result<(String, Vec<u8>), String> {
        match self.request(|id| ToWorker::ExportModel { id, key }).await? {
            FromWorker::Exported { name, bytes, .. } => Ok((name, bytes)),
            other => Err(format!("Unexpected reply from the engine: {other:?}")),
        }
    }

    pub async fn delete(self, key: String) -> Result<(), String> {
        self.request(|id| ToWorker::DeleteModel { id, key }).await?;
        self.models_changed.update(|n| *n += 1);
        Ok(())
    }

    pub async fn import(self, name: String, bytes: Vec<u8>) -> Result<SavedModel, String> {
        match self
            .request(|id| ToWorker::ImportModel { id, name, bytes })
            .await?
        {
            FromWorker::Imported { model, .. } => {
                self.models_changed.update(|n| *n += 1);
                Ok(model)
            }
            other => Err(format!("Unexpected reply from the engine: {other:?}")),
        }
    }

    /// Compresses `model` with `plan` and measures it on `images` test images.
    pub async fn compress(
        self,
        model: ModelRef,
        plan: Plan,
        images: usize,
    ) -> Result<CompressReport, String> {
        match self
            .request(|id| ToWorker::Compress {
                id,
                model,
                plan,
                images,
            })
            .await?
        {
            FromWorker::Compressed { report, .. } => Ok(*report),
            other => Err(format!("Unexpected reply from the engine: {other:?}")),
        }
    }

    /// The `.clz` file of a compressed model: (file name, bytes).
    pub async fn export_compressed(
        self,
        model: ModelRef,
        plan: Plan,
    ) -> Result<(String, Vec<u8>), String> {
        match self
            .request(|id| ToWorker::ExportCompressed { id, model, plan })
            .await?
        {
            FromWorker::Exported { name, bytes, .. } => Ok((name, bytes)),
            other => Err(format!("Unexpected reply from the engine: {other:?}")),
        }
    }

    /// Saves a compressed model in this browser.
    pub async fn save_compressed(
        self,
        model: ModelRef,
        plan: Plan,
        name: String,
        test_accuracy: Option<f64>,
    ) -> Result<SavedModel, String> {
        match self
            .request(|id| ToWorker::SaveCompressed {
                id,
                model,
                plan,
                name,
                test_accuracy,
            })
            .await?
        {
            FromWorker::Imported { model, .. } => {
                self.models_changed.update(|n| *n += 1);
                Ok(model)
            }
            other => Err(format!("Unexpected reply from the engine: {other:?}")),
        }
    }

    /// Starts a training run; progress arrives in [`Engine::train`].
    pub async fn start_training(self, settings: TrainSettings) -> Result<(), String> {
        self.ready().await?;
        self.train.set(TrainView {
            running: true,
            settings: Some(settings.clone()),
            ..TrainView::default()
        });
        let worker = INNER
            .with_borrow(|i| i.worker.clone())
            .ok_or("The engine is not running.")?;
        post(&worker, &ToWorker::Train(settings));
        Ok(())
    }

    /// Pause, Resume or Stop.
    pub fn control(self, msg: ToWorker) {
        if let Some(w) = INNER.with_borrow(|i| i.worker.clone()) {
            post(&w, &msg);
        }
    }

    pub async fn classify(self, model: ModelRef, image: Vec<u8>) -> Result<Classification, String> {
        match self
            .request(|id| ToWorker::Classify { id, model, image })
            .await
        {
            Ok(FromWorker::Classified {
                probs,
                millis,
                load_millis,
                backend,
                model,
                ..
            }) => Ok(Classification {
                probs,
                millis,
                load_millis,
                backend,
                model,
            }),
            Ok(other) => Err(format!("Unexpected reply from the engine: {other:?}")),
            Err(e) => Err(e),
        }
    }

    async fn boot(self) {
        self.status.set(Status::Downloading {
            received: 0.0,
            total: None,
        });
        let status = self.status;
        let wasm = fetch_with_progress(&site_url("worker_bg.wasm"), move |received, total| {
            status.set(Status::Downloading { received, total })
        })
        .await;
        let wasm = match wasm {
            Ok(w) => w,
            Err(e) => {
                return self.fail(format!(
                    "Could not download the engine ({e}). Check the connection and try again."
                ))
            }
        };
        self.status.set(Status::Starting);
        let worker = match Worker::new(&site_url("engine.js")) {
            Ok(w) => w,
            Err(e) => {
                return self.fail(format!(
                    "This browser could not start a Web Worker: {}",
                    js_error(&e)
                ))
            }
        };
        let on_message =
            OnMessage::new(move |ev: MessageEvent| {
                match serde_wasm_bindgen::from_value::<FromWorker>(ev.data()) {
                    Ok(msg) => self.on_message(msg),
                    Err(e) => leptos::logging::error!("engine: unreadable message: {e}"),
                }
            });
        let on_error = OnError::new(move |ev: ErrorEvent| {
            ev.prevent_default();
            self.on_crash(ev.message());
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let transfer = js_sys::Array::of1(&wasm);
        if let Err(e) = worker.post_message_with_transfer(&wasm, &transfer) {
            worker.terminate();
            return self.fail(format!(
                "Could not hand the engine to its worker: {}",
                js_error(&e)
            ));
        }
        INNER.with_borrow_mut(|i| {
            i.retired.clear();
            i.worker = Some(worker);
            i.on_message = Some(on_message);
            i.on_error = Some(on_error);
        });
    }

    fn on_message(self, msg: FromWorker) {
        match msg {
            FromWorker::Booted => {
                let (worker, prefer) = INNER.with_borrow(|i| (i.worker.clone(), i.prefer));
                if let Some(w) = worker {
                    post(&w, &ToWorker::Start { prefer });
                }
            }
            FromWorker::BootFailed(e) => {
                self.stop_worker();
                self.fail(format!("The engine could not start: {e}"));
            }
            FromWorker::DeviceLost(why) => {
                self.on_crash(format!("the GPU device was lost ({why})"));
            }
            FromWorker::Started {
                backend,
                detail,
                why,
                webgpu_available,
            } => {
                let waiters = INNER.with_borrow_mut(|i| {
                    i.booting = false;
                    std::mem::take(&mut i.waiters)
                });
                self.status.set(Status::Ready {
                    backend,
                    detail,
                    why,
                    webgpu_available,
                });
                for w in waiters {
                    let _ = w.send(Ok(()));
                }
            }
            FromWorker::Classified { id, .. }
            | FromWorker::Models { id, .. }
            | FromWorker::Exported { id, .. }
            | FromWorker::Imported { id, .. }
            | FromWorker::Done { id }
            | FromWorker::Compressed { id, .. }
            | FromWorker::Failed { id: Some(id), .. } => {
                if let Some(tx) = INNER.with_borrow_mut(|i| i.pending.remove(&id)) {
                    let _ = tx.send(Ok(msg));
                }
            }
            FromWorker::Failed { id: None, message } => {
                if self.train.with_untracked(|t| t.running) {
                    self.train.update(|t| t.outcome = Some(message));
                } else {
                    leptos::logging::warn!("engine: {message}");
                }
            }
            FromWorker::Data { loaded, total } => {
                self.train.update(|t| t.data = Some((loaded, total)));
            }
            FromWorker::Batch(b) => self.train.update(|t| t.batches.push(b)),
            FromWorker::Epoch(e) => self.train.update(|t| t.epochs.push(e)),
            FromWorker::Paused(p) => self.train.update(|t| t.paused = p),
            FromWorker::Saved(m) => {
                self.train.update(|t| t.saved = Some(m));
                self.models_changed.update(|n| *n += 1);
            }
            FromWorker::TrainEnded { outcome, saved } => {
                self.train.update(|t| {
                    t.running = false;
                    t.paused = false;
                    t.outcome = Some(outcome);
                    if saved.is_some() {
                        t.saved = saved;
                    }
                });
                self.models_changed.update(|n| *n += 1);
            }
            FromWorker::Panicked(why) => {
                INNER.with_borrow_mut(|i| i.last_panic = Some(why));
            }
        }
    }

    /// The worker died (a panic aborts it; so does a lost GPU device).
    fn on_crash(self, message: String) {
        let was_gpu = matches!(
            self.status.get_untracked(),
            Status::Ready {
                backend: Backend::WebGpu,
                ..
            }
        );
        let why = INNER
            .with_borrow_mut(|i| i.last_panic.take())
            .unwrap_or(message);
        self.stop_worker();
        if self.train.with_untracked(|t| t.running) {
            self.train.update(|t| {
                t.running = false;
                t.outcome = Some(format!(
                    "The engine stopped during training: {why}. The last finished epoch is saved \
                     in this browser."
                ));
            });
        }
        let next = if was_gpu {
            INNER.with_borrow_mut(|i| i.prefer = Some(Backend::Cpu));
            "It restarts on the CPU when you next use it."
        } else {
            "It restarts when you next use it."
        };
        self.fail(format!("The engine stopped: {why}. {next}"));
    }

    fn stop_worker(self) {
        let pending = INNER.with_borrow_mut(|i| {
            if let Some(w) = i.worker.take() {
                w.terminate();
            }
            let handlers = (i.on_message.take(), i.on_error.take());
            i.retired.push(handlers);
            std::mem::take(&mut i.pending)
        });
        for (_, tx) in pending {
            let _ = tx.send(Err("The engine stopped before answering.".into()));
        }
    }

    fn fail(self, message: String) {
        let waiters = INNER.with_borrow_mut(|i| {
            i.booting = false;
            std::mem::take(&mut i.waiters)
        });
        self.status.set(Status::Failed(message.clone()));
        for w in waiters {
            let _ = w.send(Err(message.clone()));
        }
    }
}

fn post(worker: &Worker, msg: &ToWorker) {
    match serde_wasm_bindgen::to_value(msg) {
        Ok(v) => {
            if let Err(e) = worker.post_message(&v) {
                leptos::logging::error!("engine: cannot send: {}", js_error(&e));
            }
        }
        Err(e) => leptos::logging::error!("engine: cannot encode: {e}"),
    }
}
