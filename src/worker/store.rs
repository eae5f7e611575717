//! Models saved in this browser: IndexedDB database `compression-lab`, store
//! `models`, one record per model: `{ meta: SavedModel, bytes: Uint8Array }`
//! (the safetensors file).

use crate::protocol::{EngineError, SavedModel};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode, WorkerGlobalScope};

const DB: &str = "compression-lab";
const STORE: &str = "models";

fn err(e: JsValue) -> EngineError {
    EngineError::Storage(super::js_error(&e))
}

fn refused(why: &str) -> EngineError {
    EngineError::Storage(why.to_string())
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
    db.dyn_into()
        .map_err(|_| refused("IndexedDB gave no database"))
}

fn store(
    db: &IdbDatabase,
    mode: IdbTransactionMode,
) -> Result<web_sys::IdbObjectStore, EngineError> {
    db.transaction_with_str_and_mode(STORE, mode)
        .map_err(err)?
        .object_store(STORE)
        .map_err(err)
}

pub async fn put(meta: &SavedModel, bytes: &[u8]) -> Result<(), EngineError> {
    let db = open().await?;
    let record = js_sys::Object::new();
    let meta_js = serde_wasm_bindgen::to_value(meta).map_err(|e| refused(&e.to_string()))?;
    js_sys::Reflect::set(&record, &"meta".into(), &meta_js).map_err(err)?;
    js_sys::Reflect::set(&record, &"bytes".into(), &js_sys::Uint8Array::from(bytes))
        .map_err(err)?;
    let req = store(&db, IdbTransactionMode::Readwrite)?
        .put_with_key(&record, &meta.key.as_str().into())
        .map_err(err)?;
    done(&req).await.map(|_| ())
}

pub async fn list() -> Result<Vec<SavedModel>, EngineError> {
    let db = open().await?;
    let req = store(&db, IdbTransactionMode::Readonly)?
        .get_all()
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
    let req = store(&db, IdbTransactionMode::Readonly)?
        .get(&key.into())
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
    let req = store(&db, IdbTransactionMode::Readwrite)?
        .delete(&key.into())
        .map_err(err)?;
    done(&req).await.map(|_| ())
}
