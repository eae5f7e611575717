//! Models saved in this browser: IndexedDB database `compression-lab`, store
//! `models`, one record per model: `{ meta: SavedModel, bytes: Uint8Array }`
//! (the safetensors or `.clz` file).
//!
//! Written with `web-sys` directly (about 150 lines) rather than a wrapper
//! crate (`idb`, `rexie`, `indexed_db_futures`): the four operations need one
//! store and no indexes, and a wrapper would add its own futures layer and
//! size to the engine for no behaviour we lack. What matters is done here:
//! - a write resolves only when its **transaction completes** (a request's
//!   `success` is not a commit: a quota abort can still follow it);
//! - a refused write names the model and says whether the quota is full;
//! - one connection is opened, reused, and closed when another version of
//!   the site asks to upgrade the database.

use crate::protocol::{EngineError, SavedModel};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode, WorkerGlobalScope};

const DB: &str = "compression-lab";
const STORE: &str = "models";

thread_local! {
    static CONNECTION: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

fn err(e: JsValue) -> EngineError {
    EngineError::Storage(super::js_error(&e))
}

fn refused(why: &str) -> EngineError {
    EngineError::Storage(why.to_string())
}

/// The error a failed request or transaction carries: (DOMException name, message).
fn dom_error(e: Option<web_sys::DomException>) -> (String, String) {
    e.map_or_else(
        || ("AbortError".into(), "the transaction was aborted".into()),
        |e| (e.name(), e.message()),
    )
}

async fn done(req: &IdbRequest) -> Result<JsValue, EngineError> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    JsFuture::from(promise)
        .await
        .map_err(|_| refused("IndexedDB refused the request"))?;
    req.result().map_err(err)
}

async fn open() -> Result<IdbDatabase, EngineError> {
    if let Some(db) = CONNECTION.with_borrow(|c| c.clone()) {
        return Ok(db);
    }
    let global: WorkerGlobalScope = js_sys::global().unchecked_into();
    let factory = global
        .indexed_db()
        .map_err(err)?
        .ok_or_else(|| refused("this browser offers no IndexedDB storage"))?;
    let req = factory.open_with_u32(DB, 1).map_err(err)?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let db: Option<IdbDatabase> = ev
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into().ok());
        if let Some(db) = db {
            let _ = db.create_object_store(STORE);
        }
    });
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = done(&req).await?;
    drop(upgrade);
    let db: IdbDatabase = db
        .dyn_into()
        .map_err(|_| refused("IndexedDB gave no database"))?;
    // Another version of the site wants to upgrade: step aside (the next
    // operation opens again); the browser closing it does the same.
    let forget = Closure::<dyn FnMut()>::new(|| {
        if let Some(db) = CONNECTION.with_borrow_mut(|c| c.take()) {
            db.close();
        }
    });
    db.set_onversionchange(Some(forget.as_ref().unchecked_ref()));
    db.set_onclose(Some(forget.as_ref().unchecked_ref()));
    forget.forget();
    CONNECTION.with_borrow_mut(|c| *c = Some(db.clone()));
    Ok(db)
}

fn transaction(db: &IdbDatabase, mode: IdbTransactionMode) -> Result<IdbTransaction, EngineError> {
    db.transaction_with_str_and_mode(STORE, mode).map_err(err)
}

/// Resolves when `tx` commits; fails with its error when it aborts.
async fn committed(tx: &IdbTransaction) -> Result<(), (String, String)> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onabort(Some(&reject));
        tx.set_onerror(Some(&reject));
    });
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| dom_error(tx.error()))
}

/// Whether a storage error means "the quota is used up".
fn is_quota(name: &str) -> bool {
    name == "QuotaExceededError"
}

pub async fn put(meta: &SavedModel, bytes: &[u8]) -> Result<(), EngineError> {
    let not_stored = |(name, detail): (String, String)| EngineError::NotStored {
        name: meta.name.clone(),
        full: is_quota(&name),
        detail: format!("{name}: {detail}"),
    };
    let db = open().await?;
    let record = js_sys::Object::new();
    let meta_js = serde_wasm_bindgen::to_value(meta).map_err(|e| refused(&e.to_string()))?;
    js_sys::Reflect::set(&record, &"meta".into(), &meta_js).map_err(err)?;
    js_sys::Reflect::set(&record, &"bytes".into(), &js_sys::Uint8Array::from(bytes))
        .map_err(err)?;
    let tx = transaction(&db, IdbTransactionMode::Readwrite)?;
    let store = tx.object_store(STORE).map_err(err)?;
    if let Err(e) = store.put_with_key(&record, &meta.key.as_str().into()) {
        let e: Option<web_sys::DomException> = e.dyn_into().ok();
        return Err(not_stored(dom_error(e)));
    }
    committed(&tx).await.map_err(not_stored)
}

pub async fn list() -> Result<Vec<SavedModel>, EngineError> {
    let db = open().await?;
    let req = transaction(&db, IdbTransactionMode::Readonly)?
        .object_store(STORE)
        .and_then(|s| s.get_all())
        .map_err(err)?;
    let all: js_sys::Array = done(&req).await?.unchecked_into();
    let mut out: Vec<SavedModel> = all
        .iter()
        .filter_map(|r| js_sys::Reflect::get(&r, &"meta".into()).ok())
        .filter_map(|m| serde_wasm_bindgen::from_value(m).ok())
        .collect();
    out.sort_by(|a, b| b.created.total_cmp(&a.created));
    Ok(out)
}

pub async fn get(key: &str) -> Result<(SavedModel, Vec<u8>), EngineError> {
    let db = open().await?;
    let req = transaction(&db, IdbTransactionMode::Readonly)?
        .object_store(STORE)
        .and_then(|s| s.get(&key.into()))
        .map_err(err)?;
    let record = done(&req).await?;
    if record.is_undefined() || record.is_null() {
        return Err(EngineError::NotSaved {
            key: key.to_string(),
        });
    }
    let meta = js_sys::Reflect::get(&record, &"meta".into()).map_err(err)?;
    let meta: SavedModel =
        serde_wasm_bindgen::from_value(meta).map_err(|e| refused(&e.to_string()))?;
    let bytes = js_sys::Reflect::get(&record, &"bytes".into()).map_err(err)?;
    Ok((meta, js_sys::Uint8Array::new(&bytes).to_vec()))
}

pub async fn delete(key: &str) -> Result<(), EngineError> {
    let db = open().await?;
    let tx = transaction(&db, IdbTransactionMode::Readwrite)?;
    tx.object_store(STORE)
        .and_then(|s| s.delete(&key.into()))
        .map_err(err)?;
    committed(&tx)
        .await
        .map_err(|(name, detail)| refused(&format!("{name}: {detail}")))
}
