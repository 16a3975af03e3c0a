//! The WASM entry point: hydrates the server-rendered page and registers the service worker that
//! makes nuri installable.
#![recursion_limit = "256"]

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The page may be a lazy route whose chunk has to arrive before hydration can walk its DOM
    // (which `hydrate_body` cannot wait for), and `data-hydrated` must wait for that too.
    wasm_bindgen_futures::spawn_local(async {
        leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app::App)
            .await
            .forget();
        mark_hydrated();
    });
    register_service_worker();
}

/// `<html data-hydrated>`: tells tests (and anyone debugging a page) that the client started.
fn mark_hydrated() {
    if let Some(html) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = html.set_attribute("data-hydrated", "");
    }
}

/// Browsers expose service workers only in secure contexts (HTTPS or localhost); elsewhere
/// `navigator.serviceWorker` is missing and the app simply is not installable.
fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return;
    }
    // The promise's outcome only matters to the browser; a failure just means no offline page.
    let _ = navigator.service_worker().register("/sw.js");
}
