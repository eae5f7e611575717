//! The engine's other cores in a browser: helper Web Workers running this same
//! wasm module (compiled once, by the engine worker, and handed over), each a
//! [`PartTrainer`] computing one part of a batch's gradient, or of the test
//! set's log-probabilities ([`crate::engine::parallel`]). No shared memory: weights, images and
//! gradients travel as copied `Float32Array`s, so no cross-origin isolation is
//! needed: every browser that starts a worker from a worker gets them (where
//! none starts, the run trains alone).
//!
//! A helper's messages: the engine sends `{arch, params, images, labels, work}`
//! (`work`: `"gradient"` or `"log-probs"`) and the helper answers
//! `{loss, logits, grads}`, or `{error}` with the engine's
//! words for why the part failed. Before its first part the helper says
//! `"ready"`.

use super::{now_ms, scope, sleep};
use crate::domain::Arch;
use crate::engine::parallel::{room, HelperProblem, Helpers, Part, PartGrad, PartTrainer, Work};
use crate::engine::Error;
use js_sys::{Float32Array, Object, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker, WorkerGlobalScope};

/// Most helpers started, whatever the browser reports: a batch of 16 is cut in
/// parts of at least [`crate::engine::parallel::MIN_PART`] images anyway.
pub const MAX_HELPERS: usize = 7;

/// How long a helper may take to start before the run goes on without it.
const READY_MS: f64 = 10_000.0;

/// Where a helper is in its start.
#[derive(Clone, Copy, PartialEq)]
enum Boot {
    Starting,
    Ready,
    Failed,
}

/// Whether this worker was started as a helper (the boot marks it).
pub fn is_helper() -> bool {
    Reflect::get(&scope(), &"__HELPER".into()).is_ok_and(|v| v.is_truthy())
}

/// The cores the browser reports (`navigator.hardwareConcurrency`), at least 1.
pub fn reported() -> usize {
    let n = scope()
        .unchecked_into::<WorkerGlobalScope>()
        .navigator()
        .hardware_concurrency();
    (n as usize).max(1)
}

/// How long the engine waits for a part before it counts the helper as lost.
const PART_MS: i32 = 60_000;

/// A helper's side: answers each part with its gradient (a panic is answered
/// as the part's error, in the engine's words).
pub fn serve() {
    std::panic::set_hook(Box::new(|info| {
        let msg = Object::new();
        set(&msg, "error", &info.to_string().into());
        let _ = scope().post_message(&msg);
    }));
    let trainer = Rc::new(RefCell::new(PartTrainer::default()));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let trainer = trainer.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let answer = match job(&ev.data()) {
                Ok((arch, params, part)) => {
                    // Parts come one at a time; taken out, the trainer is not
                    // borrowed across the wait.
                    let mut t = std::mem::take(&mut *trainer.borrow_mut());
                    let r = t.answer(arch, &params, &part).await;
                    *trainer.borrow_mut() = t;
                    r.map_err(|e| e.to_string())
                }
                Err(e) => Err(e),
            };
            let msg = Object::new();
            match answer {
                Ok(g) => {
                    set(&msg, "loss", &g.loss.into());
                    set(&msg, "logits", &Float32Array::from(&g.logits[..]));
                    set(&msg, "grads", &Float32Array::from(&g.grads[..]));
                }
                Err(e) => set(&msg, "error", &e.into()),
            }
            let _ = scope().post_message(&msg);
        });
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope().post_message(&"ready".into());
}

fn set(o: &Object, key: &str, v: &JsValue) {
    let _ = Reflect::set(o, &key.into(), v);
}

fn get(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &key.into()).unwrap_or_default()
}

/// A part as the helper receives it.
fn job(v: &JsValue) -> Result<(Arch, Vec<f32>, Part), String> {
    let arch = get(v, "arch")
        .as_string()
        .and_then(|a| a.parse::<Arch>().ok())
        .ok_or("no architecture")?;
    let floats = |key| {
        get(v, key)
            .dyn_into::<Float32Array>()
            .map(|a| a.to_vec())
            .map_err(|_| format!("no {key}"))
    };
    let labels = get(v, "labels")
        .dyn_into::<Uint8Array>()
        .map_err(|_| "no labels")?
        .to_vec();
    let work = match get(v, "work").as_string().as_deref() {
        Some("gradient") => Work::Gradient,
        Some("log-probs") => Work::LogProbs,
        _ => return Err("no work".into()),
    };
    Ok((
        arch,
        floats("params")?,
        Part {
            images: floats("images")?,
            labels,
            work,
        },
    ))
}

/// One helper as the engine sees it.
struct Helper {
    worker: Worker,
    /// Resolves the promise of the part it computes, or says it is ready.
    resolve: Rc<RefCell<Option<js_sys::Function>>>,
    boot: Rc<std::cell::Cell<Boot>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl Drop for Helper {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// The engine's helpers (none on the GPU, or where the browser reports one core).
#[derive(Default)]
pub struct Cores {
    helpers: Vec<Helper>,
    waiting: Vec<Promise>,
}

impl Cores {
    /// No helpers: the run trains on the engine worker's core alone.
    pub fn alone() -> Self {
        Cores::default()
    }

    /// Starts `count` helpers from this worker's compiled module and waits
    /// until they are ready (those not ready in time are left out).
    pub async fn start(count: usize) -> Cores {
        let module = get(&scope(), "__WASM_MODULE");
        let href = scope()
            .unchecked_into::<WorkerGlobalScope>()
            .location()
            .href();
        if count == 0 || !module.is_object() {
            return Cores::alone();
        }
        let mut helpers = Vec::new();
        for _ in 0..count {
            let Ok(worker) = Worker::new(&href) else {
                break;
            };
            let resolve: Rc<RefCell<Option<js_sys::Function>>> = Rc::default();
            let boot = Rc::new(std::cell::Cell::new(Boot::Starting));
            // A message answers the part waiting, or tells how the start went.
            let answer = {
                let (resolve, boot) = (resolve.clone(), boot.clone());
                move |data: JsValue| {
                    if data.as_string().as_deref() == Some("ready") {
                        boot.set(Boot::Ready);
                    } else if let Some(f) = resolve.borrow_mut().take() {
                        let _ = f.call1(&JsValue::NULL, &data);
                    } else {
                        boot.set(Boot::Failed);
                    }
                }
            };
            let on_message = {
                let answer = answer.clone();
                Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| answer(ev.data()))
            };
            let on_error =
                Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
                    ev.prevent_default();
                    let msg = Object::new();
                    set(&msg, "error", &ev.message().into());
                    answer(msg.into());
                });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            if worker.post_message(&module).is_err() {
                worker.terminate();
                break;
            }
            helpers.push(Helper {
                worker,
                resolve,
                boot,
                _on_message: on_message,
                _on_error: on_error,
            });
        }
        let t0 = now_ms();
        while helpers.iter().any(|h| h.boot.get() == Boot::Starting) && now_ms() - t0 < READY_MS {
            sleep(20).await;
        }
        helpers.retain(|h| h.boot.get() == Boot::Ready);
        Cores {
            helpers,
            waiting: Vec::new(),
        }
    }
}

impl Helpers for Cores {
    fn count(&self) -> usize {
        self.helpers.len()
    }

    fn send(&mut self, arch: Arch, params: &[f32], parts: Vec<Part>) -> Result<(), Error> {
        room(parts.len(), self.helpers.len())?;
        let params = Float32Array::from(params);
        self.waiting.clear();
        for (h, part) in self.helpers.iter().zip(parts) {
            let msg = Object::new();
            set(&msg, "arch", &arch.name().into());
            set(&msg, "params", &params);
            set(&msg, "images", &Float32Array::from(&part.images[..]));
            set(&msg, "labels", &Uint8Array::from(&part.labels[..]));
            let work = match part.work {
                Work::Gradient => "gradient",
                Work::LogProbs => "log-probs",
            };
            set(&msg, "work", &work.into());
            let slot = h.resolve.clone();
            self.waiting.push(Promise::new(&mut |resolve, _| {
                *slot.borrow_mut() = Some(resolve);
            }));
            h.worker
                .post_message(&msg)
                .map_err(|e| Error::Helper(HelperProblem::Lost(format!("{e:?}"))))?;
        }
        Ok(())
    }

    async fn receive(&mut self) -> Result<Vec<PartGrad>, Error> {
        let mut out = Vec::new();
        for p in std::mem::take(&mut self.waiting) {
            // A helper that never answers (killed without an error event)
            // does not hold the run: after PART_MS it counts as lost.
            let late = Promise::new(&mut |resolve, _| {
                let msg = Object::new();
                set(&msg, "error", &"no answer within a minute".into());
                let answer = js_sys::Function::from(Closure::once_into_js(move || {
                    let _ = resolve.call1(&JsValue::NULL, &msg);
                }));
                let _ =
                    scope().set_timeout_with_callback_and_timeout_and_arguments_0(&answer, PART_MS);
            });
            let p = Promise::race(&js_sys::Array::of2(&p, &late));
            let v = JsFuture::from(p)
                .await
                .map_err(|e| Error::Helper(HelperProblem::Lost(format!("{e:?}"))))?;
            if let Some(e) = get(&v, "error").as_string() {
                return Err(Error::Helper(HelperProblem::Lost(e)));
            }
            let floats = |key| {
                get(&v, key)
                    .dyn_into::<Float32Array>()
                    .map(|a| a.to_vec())
                    .map_err(|_| Error::Helper(HelperProblem::Lost(format!("no {key}"))))
            };
            out.push(PartGrad {
                loss: get(&v, "loss").as_f64().unwrap_or(f64::NAN),
                logits: floats("logits")?,
                grads: floats("grads")?,
            });
        }
        Ok(out)
    }
}
