//! The page's side of the engine worker: starts it on demand (downloading its
//! wasm with visible progress), sends requests and awaits their typed replies
//! ([`Engine::call`]), and notices when it dies. One worker per page, shared by
//! every section.

use super::net::{asset_url, js_error};
use crate::protocol::{
    Adapter, Backend, BatchStats, Call, Control, EngineError, EpochStats, FromWorker, Reply,
    Request, RunOutcome, SavedModel, StartReason, StartTraining, TestLook, ToWorker, TrainSettings,
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
        adapter: Adapter,
        why: StartReason,
        webgpu_available: bool,
    },
    Failed(EngineError),
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
    /// Looks at the test set part-way through the first epochs.
    pub looks: Vec<TestLook>,
    /// Something that went wrong while the run goes on (a data shard).
    pub problem: Option<EngineError>,
    pub outcome: Option<RunOutcome>,
    pub saved: Option<SavedModel>,
}

/// Which worker: the ML engine (Burn), or the text coder (no Burn).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Engine,
    Text,
}

impl Kind {
    /// The worker's wasm and its loader, by their plain names.
    fn files(self) -> (&'static str, &'static str) {
        match self {
            Kind::Engine => ("worker_bg.wasm", "engine.js"),
            Kind::Text => ("text_bg.wasm", "text-worker.js"),
        }
    }
}

/// A worker as the page sees it. The ML engine ([`Engine::get`]) and the text
/// coder ([`Engine::text`]) are two workers with one protocol and one client.
#[derive(Clone, Copy)]
pub struct Engine {
    pub kind: Kind,
    pub status: RwSignal<Status>,
    pub train: RwSignal<TrainView>,
    /// Bumped whenever the saved models change.
    pub models_changed: RwSignal<u32>,
    /// Bytes of the text being coded or decoded, of its total.
    pub text_progress: RwSignal<Option<(usize, usize)>>,
}

type Answer = Result<Reply, EngineError>;
type OnMessage = Closure<dyn FnMut(MessageEvent)>;
type OnError = Closure<dyn FnMut(ErrorEvent)>;

#[derive(Default)]
struct Inner {
    worker: Option<Worker>,
    booting: bool,
    next_id: u32,
    prefer: Option<Backend>,
    pending: HashMap<u32, oneshot::Sender<Answer>>,
    waiters: Vec<oneshot::Sender<Result<(), EngineError>>>,
    last_panic: Option<String>,
    on_message: Option<OnMessage>,
    on_error: Option<OnError>,
    /// Handlers of a stopped worker: dropped at the next start, never while
    /// one of them may be running.
    retired: Vec<(Option<OnMessage>, Option<OnError>)>,
}

thread_local! {
    /// One per [`Kind`].
    static INNER: RefCell<[Inner; 2]> = RefCell::new(Default::default());
}

/// The text coder, in the page's context beside the engine.
#[derive(Clone, Copy)]
struct TextCoder(Engine);

impl Engine {
    /// Called once by the app's root.
    pub fn provide() {
        let new = |kind| Engine {
            kind,
            status: RwSignal::new(Status::Idle),
            train: RwSignal::new(TrainView::default()),
            models_changed: RwSignal::new(0),
            text_progress: RwSignal::new(None),
        };
        provide_context(new(Kind::Engine));
        provide_context(TextCoder(new(Kind::Text)));
    }

    /// The ML engine.
    pub fn get() -> Engine {
        expect_context::<Engine>()
    }

    /// The text coder.
    pub fn text() -> Engine {
        expect_context::<TextCoder>().0
    }

    fn inner<R>(self, f: impl FnOnce(&mut Inner) -> R) -> R {
        let k = match self.kind {
            Kind::Engine => 0,
            Kind::Text => 1,
        };
        INNER.with_borrow_mut(|all| f(&mut all[k]))
    }

    /// Starts the worker unless it runs; resolves once a backend is ready.
    pub async fn ready(self) -> Result<(), EngineError> {
        if matches!(self.status.get_untracked(), Status::Ready { .. }) {
            return Ok(());
        }
        let (tx, rx) = oneshot::channel();
        let boot = self.inner(|i| {
            i.waiters.push(tx);
            i.worker.is_none() && !std::mem::replace(&mut i.booting, true)
        });
        if boot {
            spawn_local(self.boot());
        }
        rx.await.unwrap_or(Err(EngineError::Stopped))
    }

    /// Asks for `backend` (the worker falls back to the CPU if WebGPU fails).
    pub fn switch(self, backend: Backend) {
        let worker = self.inner(|i| {
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

    /// Sends `request` and awaits its reply.
    pub async fn call<C: Call>(self, request: C) -> Result<C::Reply, EngineError> {
        self.ready().await?;
        let request: Request = request.into();
        let changes = request.changes_saved_models();
        let (tx, rx) = oneshot::channel();
        let (id, worker) = self.inner(|i| {
            i.next_id += 1;
            i.pending.insert(i.next_id, tx);
            (i.next_id, i.worker.clone())
        });
        let worker = worker.ok_or(EngineError::Stopped)?;
        post(&worker, &ToWorker::Call { id, request });
        let reply = rx.await.unwrap_or(Err(EngineError::Stopped))?;
        if changes {
            self.models_changed.update(|n| *n += 1);
        }
        let name = reply.name();
        C::reply(reply).ok_or_else(|| EngineError::Protocol(format!("a {name} reply")))
    }

    /// Starts a training run; progress arrives in [`Engine::train`].
    pub async fn start_training(self, settings: TrainSettings) -> Result<(), EngineError> {
        let before = self.train.get_untracked();
        self.train.set(TrainView {
            running: true,
            settings: Some(settings.clone()),
            ..TrainView::default()
        });
        let started = self.call(StartTraining { settings }).await;
        if started.is_err() {
            self.train.set(before);
        }
        started
    }

    pub fn pause(self) {
        self.control(Control::Pause);
    }
    pub fn resume(self) {
        self.control(Control::Resume);
    }
    pub fn stop(self) {
        self.control(Control::Stop);
    }

    fn control(self, c: Control) {
        if let Some(w) = self.inner(|i| i.worker.clone()) {
            post(&w, &ToWorker::Control(c));
        }
    }

    async fn boot(self) {
        // The page's own files and first render come first: the engine's
        // download (2.6 MB) starts once the page has loaded and is idle.
        page_idle().await;
        self.status.set(Status::Downloading {
            received: 0.0,
            total: None,
        });
        let (wasm_file, loader) = self.kind.files();
        let worker = match Worker::new(&asset_url(loader)) {
            Ok(w) => w,
            Err(e) => {
                return self.fail(EngineError::Unavailable(format!(
                    "no Web Worker ({})",
                    js_error(&e)
                )))
            }
        };
        let on_message =
            OnMessage::new(move |ev: MessageEvent| {
                match serde_wasm_bindgen::from_value::<FromWorker>(ev.data()) {
                    Ok(msg) => self.on_message(msg),
                    Err(e) => self.problem(EngineError::Protocol(e.to_string())),
                }
            });
        let on_error = OnError::new(move |ev: ErrorEvent| {
            ev.prevent_default();
            self.on_crash(ev.message());
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The worker downloads its own wasm (its loader reports the progress).
        if let Err(e) = worker.post_message(&JsValue::from_str(&asset_url(wasm_file))) {
            worker.terminate();
            return self.fail(EngineError::Unavailable(js_error(&e)));
        }
        self.inner(|i| {
            i.retired.clear();
            i.worker = Some(worker);
            i.on_message = Some(on_message);
            i.on_error = Some(on_error);
        });
    }

    fn on_message(self, msg: FromWorker) {
        match msg {
            FromWorker::Booted => {
                let (worker, prefer) = self.inner(|i| (i.worker.clone(), i.prefer));
                if let Some(w) = worker {
                    post(&w, &ToWorker::Start { prefer });
                }
            }
            FromWorker::BootFailed(e) => {
                self.stop_worker();
                self.fail(EngineError::Unavailable(e));
            }
            FromWorker::Downloading { received, total } => {
                self.status.set(Status::Downloading { received, total })
            }
            FromWorker::Compiling => self.status.set(Status::Starting),
            FromWorker::FetchFailed { url, detail } => {
                self.stop_worker();
                self.fail(EngineError::Fetch { url, detail });
            }
            FromWorker::DeviceLost(why) => {
                let l = crate::ui::i18n::lang_now();
                self.on_crash(l.pick(
                    format!("the GPU device was lost ({why})"),
                    format!("GPU 设备丢失（{why}）"),
                ));
            }
            FromWorker::Started {
                backend,
                adapter,
                why,
                webgpu_available,
            } => {
                let waiters = self.inner(|i| {
                    i.booting = false;
                    std::mem::take(&mut i.waiters)
                });
                self.status.set(Status::Ready {
                    backend,
                    adapter,
                    why,
                    webgpu_available,
                });
                for w in waiters {
                    let _ = w.send(Ok(()));
                }
            }
            FromWorker::Reply { id, reply } => {
                if let Some(tx) = self.inner(|i| i.pending.remove(&id)) {
                    let _ = tx.send(reply);
                }
            }
            FromWorker::Problem(e) => self.problem(e),
            FromWorker::Data { loaded, total } => {
                self.train.update(|t| t.data = Some((loaded, total)));
            }
            FromWorker::Batches(b) => self.train.update(|t| t.batches.extend(b)),
            FromWorker::Epoch(e) => self.train.update(|t| t.epochs.push(e)),
            FromWorker::Look(l) => self.train.update(|t| t.looks.push(l)),
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
            FromWorker::TextProgress { done, total } => self.text_progress.set(Some((done, total))),
            FromWorker::Panicked(why) => {
                self.inner(|i| i.last_panic = Some(why));
            }
        }
    }

    /// A problem outside any request: shown with the training run when one
    /// is going, else logged.
    fn problem(self, e: EngineError) {
        if self.train.with_untracked(|t| t.running) {
            self.train.update(|t| t.problem = Some(e));
        } else {
            leptos::logging::warn!("engine: {e}");
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
        let why = self.inner(|i| i.last_panic.take()).unwrap_or(message);
        self.stop_worker();
        if was_gpu {
            self.inner(|i| i.prefer = Some(Backend::Cpu));
        }
        let e = EngineError::Crashed {
            why,
            on_gpu: was_gpu,
        };
        if self.train.with_untracked(|t| t.running) {
            self.train.update(|t| {
                t.running = false;
                t.outcome = Some(RunOutcome::Failed(e.clone()));
            });
        }
        self.fail(e);
    }

    fn stop_worker(self) {
        let pending = self.inner(|i| {
            if let Some(w) = i.worker.take() {
                w.terminate();
            }
            let handlers = (i.on_message.take(), i.on_error.take());
            i.retired.push(handlers);
            std::mem::take(&mut i.pending)
        });
        for (_, tx) in pending {
            let _ = tx.send(Err(EngineError::Stopped));
        }
    }

    fn fail(self, e: EngineError) {
        let waiters = self.inner(|i| {
            i.booting = false;
            std::mem::take(&mut i.waiters)
        });
        self.status.set(Status::Failed(e.clone()));
        for w in waiters {
            let _ = w.send(Err(e.clone()));
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

/// Resolves once the page has loaded (its `load` event) and the browser is
/// idle after it (`requestIdleCallback`, at most 2 s later; 50 ms where the
/// browser has none).
async fn page_idle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let idle = Closure::once_into_js(move || {
            let w = window();
            let ric = js_sys::Reflect::get(&w, &"requestIdleCallback".into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
            let options = js_sys::Object::new();
            js_sys::Reflect::set(&options, &"timeout".into(), &2000.into()).ok();
            let called = match ric {
                Some(f) => f.call2(&w, &resolve, &options).is_ok(),
                None => false,
            };
            if !called {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50);
            }
        });
        if document().ready_state() == "complete" {
            let _ = idle
                .unchecked_ref::<js_sys::Function>()
                .call0(&JsValue::NULL);
        } else {
            let once = web_sys::AddEventListenerOptions::new();
            once.set_once(true);
            let _ = window().add_event_listener_with_callback_and_add_event_listener_options(
                "load",
                idle.unchecked_ref(),
                &once,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
