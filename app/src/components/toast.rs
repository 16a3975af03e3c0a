//! Short confirmations ("Password changed") in a polite live region.

use leptos::prelude::*;

use crate::i18n::use_i18n;

#[derive(Clone, Copy)]
pub struct Toasts(RwSignal<Vec<(u64, String)>>);

impl Toasts {
    pub fn provide() -> Toasts {
        let t = Toasts(RwSignal::new(Vec::new()));
        provide_context(t);
        t
    }

    pub fn push(self, message: impl Into<String>) {
        let id = self
            .0
            .with_untracked(|v| v.last().map(|(id, _)| id + 1).unwrap_or(0));
        self.0.update(|v| v.push((id, message.into())));
        #[cfg(feature = "hydrate")]
        set_timeout(move || self.dismiss(id), std::time::Duration::from_secs(6));
    }

    pub fn dismiss(self, id: u64) {
        self.0.update(|v| v.retain(|(i, _)| *i != id));
    }
}

pub fn use_toasts() -> Toasts {
    use_context::<Toasts>().unwrap_or_else(Toasts::provide)
}

#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = use_toasts();
    let i = use_i18n();
    view! {
        <div class="toasts" role="status" aria-live="polite" aria-label=i.t("common.notifications")>
            <For each=move || toasts.0.get() key=|(id, _)| *id let:item>
                <div class="toast">
                    <span>{item.1.clone()}</span>
                    <button type="button" class="btn ghost small" on:click=move |_| toasts.dismiss(item.0)>
                        {i.t("common.dismiss")}
                    </button>
                </div>
            </For>
        </div>
    }
}
