//! The text coder's Web Worker (wasm32, `src/bin/text.rs`): the language-model
//! coders and the standard compressors, without Burn, so the text page never
//! downloads the ML engine. It speaks the engine's protocol
//! ([`crate::protocol`]) and answers the text requests; everything runs on
//! the CPU in this one thread, so the probabilities are the same on every
//! machine. Progress goes to the page as it runs.

use crate::net::worker::{fetch_bytes, now_ms, post, scope, site_file};
use crate::protocol::{
    Adapter, Backend, Baseline, CodedText, Coder, DecodedText, EngineError, FromWorker, Reply,
    Request, StartReason, ToWorker,
};
use crate::text::{self, file::MAX_TEXT, Prior};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::MessageEvent;

thread_local! {
    /// The pretrained model, once fetched.
    static PRIOR: RefCell<Option<Rc<Prior>>> = const { RefCell::new(None) };
}

/// Installs the message handler and says so. Called once by the worker's `main`.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        post(&FromWorker::Panicked(info.to_string()))
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
        match serde_wasm_bindgen::from_value::<ToWorker>(ev.data()) {
            Ok(ToWorker::Start { .. }) => post(&FromWorker::Started {
                backend: Backend::Cpu,
                adapter: Adapter {
                    name: "text coder".into(),
                    software: false,
                },
                why: StartReason::ChoseCpu { no_webgpu: None },
                webgpu_available: false,
            }),
            Ok(ToWorker::Call { id, request }) => {
                wasm_bindgen_futures::spawn_local(async move {
                    post(&FromWorker::Reply {
                        id,
                        reply: answer(request).await,
                    });
                });
            }
            Ok(ToWorker::Control(_)) => {}
            Err(e) => post(&FromWorker::Problem(EngineError::Protocol(e.to_string()))),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&FromWorker::Booted);
}

async fn answer(request: Request) -> Result<Reply, EngineError> {
    Ok(match request {
        Request::CodeText(r) => Reply::CodeText(code(r.coder, &r.text).await?),
        Request::DecodeText(r) => Reply::DecodeText(decode(&r.name, &r.file).await?),
        Request::TextBaselines(r) => Reply::TextBaselines(baselines(&r.text)?),
        other => {
            return Err(EngineError::Unavailable(format!(
                "the text coder does not answer {}",
                other.name()
            )))
        }
    })
}

/// The shipped pretrained model (`models/text-lm.bin`), fetched once.
async fn prior() -> Result<Rc<Prior>, EngineError> {
    if let Some(p) = PRIOR.with_borrow(|p| p.clone()) {
        return Ok(p);
    }
    let bytes = fetch_bytes(&site_file(text::code::PRIOR_FILE)).await?;
    let p = Rc::new(Prior::from_bytes(&bytes).map_err(|e| EngineError::BadFile {
        name: text::code::PRIOR_FILE.into(),
        problem: crate::domain::FileProblem::Damaged,
        detail: format!("{e:?}"),
    })?);
    PRIOR.with_borrow_mut(|slot| *slot = Some(p.clone()));
    Ok(p)
}

fn progress(done: usize, total: usize) {
    post(&FromWorker::TextProgress { done, total });
}

fn check_length(bytes: usize) -> Result<(), EngineError> {
    if bytes > MAX_TEXT {
        return Err(EngineError::TextTooLong {
            bytes,
            limit: MAX_TEXT,
        });
    }
    Ok(())
}

async fn code(coder: Coder, input: &[u8]) -> Result<Box<CodedText>, EngineError> {
    check_length(input.len())?;
    let prior = match coder {
        Coder::Pretrained => Some(prior().await?),
        Coder::Learn => None,
    };
    let t0 = now_ms();
    let mut coded = text::code(input, coder, prior.as_deref(), &mut progress);
    coded.millis = now_ms() - t0;
    Ok(Box::new(coded))
}

async fn decode(name: &str, file: &[u8]) -> Result<DecodedText, EngineError> {
    let prior = match text::code::coder_of(file) {
        Some(Coder::Pretrained) => Some(prior().await?),
        _ => None,
    };
    let t0 = now_ms();
    let (coder, text) = text::decode(file, prior.as_deref(), &mut progress).map_err(|problem| {
        EngineError::TextFile {
            name: name.to_string(),
            problem,
        }
    })?;
    Ok(DecodedText {
        coder,
        text,
        millis: now_ms() - t0,
    })
}

fn baselines(input: &[u8]) -> Result<Vec<Baseline>, EngineError> {
    check_length(input.len())?;
    Ok(text::baselines::all(input, now_ms))
}
