use entity::form_view::{FormResults, QuestionChart};
use leptos::prelude::*;

use crate::api::forms::{results_of_form, DeleteForm, SetFormClosed};
use crate::components::form::FormAlert;
use crate::form_state::form_error;
use crate::i18n::use_i18n;

use super::answer_text;
use crate::pages::forms::tr;

/// The results of form `id`, reloaded when it is closed or reopened. Created with the page (not
/// inside its suspense), so the server and the hydrating client agree on the resource.
pub fn results_resource(
    id: impl Fn() -> i32 + Send + Sync + 'static,
    close: ServerAction<SetFormClosed>,
) -> Resource<Result<FormResults, crate::AppError>> {
    Resource::new_blocking(
        move || (id(), close.version().get()),
        |(id, _)| results_of_form(id),
    )
}

/// For the form's author and admins: close/reopen, CSV download, who answered, charts and a
/// table of every response.
#[component]
pub fn Results(
    results: Resource<Result<FormResults, crate::AppError>>,
    close: ServerAction<SetFormClosed>,
) -> impl IntoView {
    let i = use_i18n();
    let error = form_error(close.value());
    view! {
        <Suspense fallback=move || view! { <p class="loading">{tr(i, "common.loading")}</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(r) => view! { <ResultsView r close error /> }.into_any(),
                    Err(e) => view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ResultsView(
    r: FormResults,
    close: ServerAction<SetFormClosed>,
    error: Signal<Option<crate::AppError>>,
) -> impl IntoView {
    let i = use_i18n();
    let delete = ServerAction::<DeleteForm>::new();
    let id = r.form.form.id;
    let closed = r.form.closed;
    let csv = format!("/api/v1/forms/{id}/responses.csv");
    let (answered, waiting): (Vec<_>, Vec<_>) = r.recipients.into_iter().partition(|p| p.answered);
    let summary = format!(
        "{} / {} {}",
        answered.len(),
        answered.len() + waiting.len(),
        tr(i, "forms.answered_count")
    );
    let labels: Vec<String> = r.form.questions.iter().map(|q| q.label.clone()).collect();
    view! {
        <section class="card stack">
            <h2>{tr(i, "forms.results")}</h2>
            <FormAlert error />
            <div class="row-actions">
                <a class="btn" href=csv download="">{tr(i, "forms.download_csv")}</a>
                <ActionForm action=close attr:class="inline">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="closed" value={(!closed).to_string()} />
                    <button type="submit" class="btn ghost">
                        {tr(i, if closed { "forms.reopen" } else { "forms.close" })}
                    </button>
                </ActionForm>
                <ActionForm action=delete attr:class="inline">
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit" class="btn danger">{tr(i, "common.delete")}</button>
                </ActionForm>
            </div>
            <p data-testid="answered-count">{summary}</p>
            <div class="split">
                <div>
                    <h3>{tr(i, "forms.answered")}</h3>
                    <ul class="people-list">
                        {answered.into_iter().map(|p| view! { <li>{p.name}</li> }).collect_view()}
                    </ul>
                </div>
                <div>
                    <h3>{tr(i, "forms.not_yet")}</h3>
                    <ul class="people-list">
                        {waiting.into_iter().map(|p| view! { <li>{p.name}</li> }).collect_view()}
                    </ul>
                </div>
            </div>
        </section>
        {(!r.charts.is_empty()).then(|| view! {
            <section class="card stack">
                <h2>{tr(i, "forms.charts")}</h2>
                {r.charts.into_iter().map(|c| view! { <Chart c /> }).collect_view()}
            </section>
        })}
        <section class="card stack">
            <h2>{tr(i, "forms.responses")}</h2>
            {if r.responses.is_empty() {
                view! { <p class="muted">{tr(i, "forms.no_responses")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{tr(i, "field.name")}</th>
                                    <th scope="col">{tr(i, "forms.submitted_at")}</th>
                                    {labels.into_iter().map(|l| view! { <th scope="col">{l}</th> }).collect_view()}
                                </tr>
                            </thead>
                            <tbody>
                                {r.responses.into_iter().map(|resp| view! {
                                    <tr>
                                        <th scope="row">{resp.name}</th>
                                        <td>{resp.updated_at.format("%Y-%m-%d %H:%M").to_string()}</td>
                                        {resp.answers.iter().map(|a| view! { <td>{answer_text(a)}</td> }).collect_view()}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// Counts per option as bars (`<progress>`: no inline styles, which the CSP forbids).
#[component]
fn Chart(c: QuestionChart) -> impl IntoView {
    let max = c.counts.iter().map(|o| o.count).max().unwrap_or(0).max(1);
    view! {
        <figure class="bar-chart">
            <figcaption>{c.label}</figcaption>
            <dl>
                {c.counts.into_iter().map(|o| view! {
                    <div class="bar-row">
                        <dt>{o.option}</dt>
                        <dd>
                            <progress class="progress wide" max={max.to_string()} value={o.count.to_string()}>{o.count}</progress>
                            <span class="bar-count">{o.count}</span>
                        </dd>
                    </div>
                }).collect_view()}
            </dl>
        </figure>
    }
}
