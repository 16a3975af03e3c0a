//! A command to copy (`ssh -p …`, `sftp -P …`) with its copy button. The command is always there
//! as selectable text; the button appears once the page runs in the browser (it needs script)
//! and says with a toast whether the copy worked.

use leptos::prelude::*;

use crate::components::icon::{lu, Icon};
use crate::components::toast::use_toasts;
use crate::form_state::running_in_browser;
use crate::i18n::use_i18n;
use crate::pages::hosting::tr;

#[component]
pub fn CopyCommand(
    /// What the command is for ("SSH"), also the button's accessible name.
    label: &'static str,
    command: String,
    testid: &'static str,
) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let in_browser = running_in_browser();
    let text = command.clone();
    let copy = move |_| {
        let ok = tr(i, "hosting.copied");
        let failed = tr(i, "hosting.copy_failed");
        write_text(&text, move || toasts.push(ok), move || toasts.push(failed));
    };
    let button_label = format!("{} — {}", tr(i, "hosting.copy"), label);
    view! {
        <div class="command">
            <code data-testid=testid>{command}</code>
            {move || in_browser.get().then(|| view! {
                <button type="button" class="btn ghost small" aria-label=button_label.clone() title=button_label.clone() on:click=copy.clone()>
                    <Icon icon=lu::LuCopy />
                    <span aria-hidden="true">{tr(i, "hosting.copy")}</span>
                </button>
            })}
        </div>
    }
    .into_any()
}

/// `navigator.clipboard.writeText(text)`, then `done` or `failed`. Called through `Reflect`, so
/// the app needs no extra `web-sys` features; on the server it does nothing.
#[cfg(feature = "hydrate")]
fn write_text(text: &str, done: impl FnOnce() + 'static, failed: impl FnOnce() + Clone + 'static) {
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use web_sys::js_sys::{Function, Reflect};

    let get = |target: &JsValue, name: &str| Reflect::get(target, &JsValue::from_str(name)).ok();
    let clipboard = get(&JsValue::from(window()), "navigator")
        .and_then(|n| get(&n, "clipboard"))
        .filter(|c| !c.is_undefined());
    let Some(clipboard) = clipboard else {
        return failed();
    };
    let promise = get(&clipboard, "writeText")
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call1(&clipboard, &JsValue::from_str(text)).ok());
    let then = promise
        .as_ref()
        .and_then(|p| get(p, "then"))
        .and_then(|f| f.dyn_into::<Function>().ok());
    match (promise, then) {
        (Some(promise), Some(then)) => {
            let on_ok = Closure::once_into_js(move |_: JsValue| done());
            let on_err = Closure::once_into_js({
                let failed = failed.clone();
                move |_: JsValue| failed()
            });
            if then.call2(&promise, &on_ok, &on_err).is_err() {
                failed();
            }
        }
        _ => failed(),
    }
}

#[cfg(not(feature = "hydrate"))]
fn write_text(
    _text: &str,
    _done: impl FnOnce() + 'static,
    _failed: impl FnOnce() + Clone + 'static,
) {
}
