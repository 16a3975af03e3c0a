use entity::form_view::FormSummary;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::forms::list_forms;
use crate::components::layout::{Layout, RequireUser};
use crate::error::AppError;
use crate::form_state::kept;
use crate::i18n::use_i18n;
use crate::pages::forms::tr;
use entity::Page;

/// Everyone: the forms sent to me (answered or not); whoever may build forms also the forms they
/// made.
#[component]
pub fn FormsPage() -> impl IntoView {
    let i = use_i18n();
    let to_answer = Resource::new_blocking(|| (), |_| list_forms("to_answer".into()));
    let mine = Resource::new_blocking(|| (), |_| list_forms("mine".into()));
    view! {
        <Title text=tr(i, "forms.title") />
        <RequireUser let:user>
            <Layout user=user.clone()>
                <div class="page-head">
                    <h1>{tr(i, "forms.title")}</h1>
                    <Suspense>
                        {move || Suspend::new(async move {
                            can_create(mine).await.then(|| view! {
                                <a class="btn primary" href="/forms/new">{tr(i, "forms.new")}</a>
                            })
                        })}
                    </Suspense>
                </div>
                {(kept("done") == "deleted").then(|| view! {
                    <p class="alert success" role="status">{tr(i, "forms.deleted")}</p>
                })}
                <section class="card">
                    <h2>{tr(i, "forms.to_answer")}</h2>
                    <FormTable forms=to_answer inbox=true />
                </section>
                <Suspense>
                    {move || Suspend::new(async move {
                        can_create(mine).await.then(|| view! {
                            <section class="card">
                                <h2>{tr(i, "forms.made")}</h2>
                                <FormTable forms=mine inbox=false />
                            </section>
                        })
                    })}
                </Suspense>
            </Layout>
        </RequireUser>
    }
}

/// Whether the caller may build forms, as the service said with the list of their own.
async fn can_create(forms: Resource<Result<Page<FormSummary>, AppError>>) -> bool {
    forms.await.is_ok_and(|page| page.can_create)
}

/// A list of forms: for the inbox with my status, for my own forms with response counts.
#[component]
fn FormTable(forms: Resource<Result<Page<FormSummary>, AppError>>, inbox: bool) -> impl IntoView {
    let i = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{tr(i, "common.loading")}</p> }>
            {move || Suspend::new(async move {
                match forms.await {
                    Ok(page) if page.items.is_empty() => view! {
                        <p class="muted">{tr(i, if inbox { "forms.none_to_answer" } else { "forms.none_made" })}</p>
                    }.into_any(),
                    Ok(page) => view! {
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{tr(i, "forms.field.title")}</th>
                                    <th scope="col">{tr(i, "forms.status")}</th>
                                    <th scope="col">{tr(i, if inbox { "forms.sent_at" } else { "forms.responses" })}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {page.items.into_iter().map(|f| view! { <FormRow f inbox /> }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FormRow(f: FormSummary, inbox: bool) -> impl IntoView {
    let i = use_i18n();
    let href = format!("/forms/{}", f.form.id);
    let status = if inbox {
        match (f.answered, f.closed) {
            (true, _) => ("badge ok", tr(i, "forms.answered")),
            (false, true) => ("badge", tr(i, "forms.closed")),
            (false, false) => ("badge warn", tr(i, "forms.not_yet")),
        }
    } else if f.closed {
        ("badge", tr(i, "forms.closed"))
    } else {
        ("badge ok", tr(i, "forms.open"))
    };
    let third = if inbox {
        f.form.created_at.format("%Y-%m-%d").to_string()
    } else {
        format!("{} / {}", f.response_count, f.recipient_count)
    };
    view! {
        <tr>
            <td><a href=href>{f.form.title.clone()}</a></td>
            <td><span class={status.0}>{status.1}</span></td>
            <td>{third}</td>
        </tr>
    }
}
