use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::forms::{get_form, SetFormClosed, SubmitAnswers};
use crate::components::layout::{Layout, RequireUser};
use crate::form_state::kept;
use crate::i18n::use_i18n;

use super::answer::AnswerForm;
use super::results::{results_resource, Results};
use crate::pages::forms::tr;

/// One form: its recipients answer it here; its author and the company's admins read the results.
#[component]
pub fn FormPage() -> impl IntoView {
    let i = use_i18n();
    let route = crate::form_state::route_id();
    let id = move || route.get();
    let submit = ServerAction::<SubmitAnswers>::new();
    let close = ServerAction::<SetFormClosed>::new();
    let form = Resource::new_blocking(
        move || (id(), submit.version().get(), close.version().get()),
        |(id, _, _)| get_form(id),
    );
    let results = results_resource(id, close);
    // After a no-JS post the redirect's `done` says what happened; with JavaScript, the action.
    let done_after_load = kept("done");
    let done = Signal::derive(move || {
        if let Some(Ok(())) = submit.value().get() {
            return "answered".to_owned();
        }
        match close.value().get() {
            Some(Ok(f)) if f.closed => "closed".to_owned(),
            Some(Ok(_)) => "reopened".to_owned(),
            _ => done_after_load.clone(),
        }
    });
    view! {
        <Title text=tr(i, "forms.title") />
        <RequireUser let:user>
            <Layout user=user>
                <p><a href="/forms">{tr(i, "forms.back")}</a></p>
                {move || match done.get().as_str() {
                    "created" => Some(tr(i, "forms.created")),
                    "answered" => Some(tr(i, "forms.thanks")),
                    "closed" => Some(tr(i, "forms.closed_now")),
                    "reopened" => Some(tr(i, "forms.reopened_now")),
                    _ => None,
                }
                    .map(|m| view! { <p class="alert success" role="status">{m}</p> })}
                <Suspense fallback=move || view! { <p class="loading">{tr(i, "common.loading")}</p> }>
                    {move || Suspend::new(async move {
                        match form.await {
                            Ok(f) => {
                                let answer = f.is_recipient.then(|| view! { <AnswerForm form=f.clone() action=submit /> });
                                let results = f.can_manage.then(|| view! { <Results results close /> });
                                view! {
                                    <h1>{f.form.title.clone()}</h1>
                                    {(!f.form.description.is_empty()).then(|| view! { <p class="lead">{f.form.description.clone()}</p> })}
                                    <p>
                                        <span class={if f.closed { "badge" } else { "badge ok" }}>
                                            {tr(i, if f.closed { "forms.closed" } else { "forms.open" })}
                                        </span>
                                    </p>
                                    {answer}
                                    {results}
                                }.into_any()
                            }
                            Err(e) => view! {
                                <h1>{tr(i, "forms.title")}</h1>
                                <p class="alert error" role="alert">{i.error(&e)}</p>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </Layout>
        </RequireUser>
    }
}
