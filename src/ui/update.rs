//! The service worker (`sw.js`, written by scripts/post-build.mjs) and the
//! "new version" notice. A new build installs in the background and waits:
//! the visitor decides when to switch, never in the middle of a training run.
//! Until then the open page keeps using its own build's files (their names
//! are versioned), so the page and its engine always speak one protocol.

use crate::ui::i18n::tr;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
};

/// A new version has installed and waits for the visitor (`ready`), or has
/// taken over while this page runs an older build whose files are now gone
/// from the server (`stale`: the page must reload to go on).
#[derive(Clone, Copy)]
struct Waiting {
    ready: RwSignal<bool>,
    stale: RwSignal<bool>,
}

/// The build this page runs, as scripts/post-build.mjs wrote it into the page.
fn own_build() -> Option<String> {
    document()
        .query_selector(r#"meta[name="compression-lab-build"]"#)
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
}

/// Tells the service worker which build this page runs, so it keeps that
/// build's files while the page is open (again whenever a new worker takes over).
fn say_running(version: &str) {
    let Some(controller) = container().and_then(|c| c.controller()) else {
        return;
    };
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"running".into());
    let _ = js_sys::Reflect::set(&msg, &"version".into(), &version.into());
    let _ = controller.post_message(&msg);
}

/// Follows the worker's messages: a file of the site is missing on the
/// server, and the worker serves another build than this page's.
fn listen(sw: &ServiceWorkerContainer, version: String, stale: RwSignal<bool>) {
    let on_message = {
        let version = version.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let data = ev.data();
            let field = |k: &str| {
                js_sys::Reflect::get(&data, &k.into())
                    .ok()
                    .and_then(|v| v.as_string())
            };
            if field("type").as_deref() == Some("missing")
                && field("version").is_some_and(|v| v != version)
            {
                stale.set(true);
            }
        })
    };
    sw.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_change = Closure::<dyn FnMut()>::new(move || say_running(&version));
    let _ =
        sw.add_event_listener_with_callback("controllerchange", on_change.as_ref().unchecked_ref());
    on_change.forget();
}

/// How often an open page asks the server for a new `sw.js` (a browser does it
/// on every page load; the single-page app rarely loads one).
const CHECK_EVERY_MS: i32 = 15 * 60 * 1000;

fn container() -> Option<ServiceWorkerContainer> {
    let nav = window().navigator();
    js_sys::Reflect::has(&nav, &"serviceWorker".into())
        .unwrap_or(false)
        .then(|| nav.service_worker())
}

/// Registers `sw.js` so the site works offline after one visit (release
/// builds only), and watches for a new version. A refusal (private mode, an
/// insecure origin) leaves the site working online and says why in the console.
pub fn register(base: &str) {
    let waiting = Waiting {
        ready: RwSignal::new(false),
        stale: RwSignal::new(false),
    };
    provide_context(waiting);
    if cfg!(debug_assertions) {
        return;
    }
    let Some(sw) = container() else { return };
    if let Some(version) = own_build() {
        say_running(&version);
        listen(&sw, version, waiting.stale);
    }
    let opts = web_sys::RegistrationOptions::new();
    opts.set_scope(&format!("{base}/"));
    let promise = sw.register_with_options(&format!("{base}/sw.js"), &opts);
    wasm_bindgen_futures::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            // Only a registration is watched (a browser that blocks service
            // workers may resolve with nothing).
            Ok(reg) => {
                if let Ok(reg) = reg.dyn_into::<ServiceWorkerRegistration>() {
                    watch(reg, waiting.ready);
                }
            }
            Err(e) => web_sys::console::warn_2(
                &"Offline use is unavailable: the service worker was not registered:".into(),
                &e,
            ),
        }
    });
}

/// A worker that finished installing while another controls this page is a
/// new version waiting (the first install has no controller: nothing to ask).
fn watch(reg: ServiceWorkerRegistration, ready: RwSignal<bool>) {
    let controlled = || container().and_then(|c| c.controller()).is_some();
    if reg.waiting().is_some() && controlled() {
        ready.set(true);
    }
    let on_found = {
        let reg = reg.clone();
        Closure::<dyn FnMut()>::new(move || {
            let Some(installing) = reg.installing() else {
                return;
            };
            let worker = installing.clone();
            let on_state = Closure::<dyn FnMut()>::new(move || {
                if worker.state() == ServiceWorkerState::Installed && controlled() {
                    ready.set(true);
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        })
    };
    reg.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
    on_found.forget();
    let check = Closure::<dyn FnMut()>::new(move || {
        let _ = reg.update();
    });
    let _ = window().set_interval_with_callback_and_timeout_and_arguments_0(
        check.as_ref().unchecked_ref(),
        CHECK_EVERY_MS,
    );
    check.forget();
}

/// Lets the waiting version take over, then reloads into it.
fn switch_now() {
    let Some(sw) = container() else { return };
    let reload = Closure::<dyn FnMut()>::new(|| {
        let _ = window().location().reload();
    });
    sw.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    let promise = sw.get_registration();
    wasm_bindgen_futures::spawn_local(async move {
        let reg = wasm_bindgen_futures::JsFuture::from(promise).await.ok();
        let waiting: Option<ServiceWorker> = reg
            .and_then(|r| r.dyn_into::<ServiceWorkerRegistration>().ok())
            .and_then(|r| r.waiting());
        match waiting {
            Some(w) => {
                let msg = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&msg, &"type".into(), &"skip-waiting".into());
                let _ = w.post_message(&msg);
            }
            // Another tab already switched: this one just reloads.
            None => {
                let _ = window().location().reload();
            }
        }
    });
}

/// "A new version is ready": reload now, or later. While `busy` (a training
/// run is going) the reload waits for it (a reload would end the run).
#[component]
pub fn UpdateNotice(busy: Signal<bool>) -> impl IntoView {
    let Waiting { ready, stale } = expect_context::<Waiting>();
    let training = move || busy.get();
    view! {
        <Show when=move || ready.get() || stale.get()>
            <div class="update-notice" role="status">
                <p>
                    <strong>{tr("A new version of this site is ready.", "本站有新版本可用。")}</strong>
                    " "
                    {move || {
                        if stale.get() {
                            tr(
                                "It replaced files this page still needs: reload to go on. Models saved in this \
                                 browser are kept.",
                                "它替换了本页仍需要的文件：请重新加载后继续。保存在本浏览器中的模型都会保留。",
                            )()
                        } else if training() {
                            tr(
                                "Reloading would stop your training run: pause or finish it first.",
                                "重新加载会中断正在进行的训练：请先暂停或等它结束。",
                            )()
                        } else {
                            tr("This page keeps working as it is until you reload.", "重新加载之前，本页照常工作。")()
                        }
                    }}
                </p>
                <button type="button" class="button" on:click=move |_| switch_now() disabled=training>
                    {tr("Reload", "重新加载")}
                </button>
                <button
                    type="button"
                    class="button secondary"
                    on:click=move |_| {
                        ready.set(false);
                        stale.set(false);
                    }
                >
                    {tr("Later", "稍后")}
                </button>
            </div>
        </Show>
    }
}
