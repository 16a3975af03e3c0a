use entity::curriculum;
use leptos::html::Form;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::curricula::{curriculum_path, list_curricula, CopyCurriculum, CreateCurriculum};
use crate::components::curriculum_form::{scoped_error, ActionAlert, CurriculumFields};
use crate::components::form::{FormAlert, Submit};
use crate::components::layout::{Layout, RequireUser};
use crate::components::toast::use_toasts;
use crate::form_state::kept;
use crate::i18n::{use_i18n, I18n};

/// The company's curricula, for everyone in it; whoever may add curricula also creates and copies
/// them here.
#[component]
pub fn CurriculaPage() -> impl IntoView {
    let i = use_i18n();
    let query = use_query_map();
    let templates_only = Memo::new(move |_| {
        query
            .get()
            .get("templates")
            .is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
    });
    let create = ServerAction::<CreateCurriculum>::new();
    let copy = ServerAction::<CopyCurriculum>::new();
    let error = scoped_error(create.value(), "new", || true);
    let copy_error = Signal::derive(move || copy.value().get().and_then(Result::err));
    // The list (and the form beside it, which lives in the list's Suspend because only the list
    // says whether the caller may create) reloads after a curriculum was added, not after a
    // refused attempt: that would redraw the form and lose what was typed.
    let added = RwSignal::new(0_u32);
    let curricula = Resource::new_blocking(
        move || (templates_only.get(), added.get()),
        |(templates, _)| list_curricula(templates),
    );
    let toasts = use_toasts();
    let form_ref = NodeRef::<Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            toasts.push(i.t("curricula.created"));
            // Untracked: the form is redrawn with the list, which must not announce it again.
            if let Some(form) = form_ref.get_untracked() {
                form.reset();
            }
            added.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = copy.value().get() {
            toasts.push(i.t("curricula.copied"));
            added.update(|n| *n += 1);
        }
    });
    view! {
        <Title text=i.t("curricula.title") />
        <RequireUser let:user>
            <Layout user=user.clone()>
                <h1>{i.t("curricula.title")}</h1>
                {match kept("done").as_str() {
                    "created" => Some(i.t("curricula.created")),
                    "deleted" => Some(i.t("curricula.deleted")),
                    _ => None,
                }
                    .map(|m| view! { <p class="alert success" role="status">{m}</p> })}
                <Transition fallback=move || view! { <p class="loading">{i.t("common.loading")}</p> }>
                    {move || Suspend::new(async move {
                        let page = match curricula.await {
                            Ok(page) => page,
                            Err(e) => return view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                        };
                        // Creating and copying both add a curriculum to the company.
                        let can_create = page.can_create;
                        view! {
                            <div class:split=can_create>
                                <section class="card" aria-labelledby="curricula-list">
                                    <h2 id="curricula-list" class="visually-hidden">{i.t("curricula.title")}</h2>
                                    <TemplateFilter templates_only />
                                    <ActionAlert error=copy_error />
                                    {if page.items.is_empty() {
                                        view! { <p>{i.t("curricula.empty")}</p> }.into_any()
                                    } else {
                                        view! {
                                            <table class="table">
                                                <thead>
                                                    <tr>
                                                        <th scope="col">{i.t("field.title")}</th>
                                                        <th scope="col">{i.t("curricula.updated_at")}</th>
                                                        {can_create.then(|| view! { <th scope="col">{i.t("common.actions")}</th> })}
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {page.items.into_iter().map(|c| row(i, c, can_create, copy)).collect_view()}
                                                </tbody>
                                            </table>
                                        }
                                            .into_any()
                                    }}
                                </section>
                                {can_create.then(|| view! {
                                    <section class="card">
                                        <h2>{i.t("curricula.create")}</h2>
                                        <FormAlert error />
                                        <ActionForm action=create node_ref=form_ref attr:class="stack" attr:novalidate=true>
                                            <CurriculumFields scope="new" error />
                                            <Submit label=i.t("curricula.create_submit") pending_label=i.t("common.saving") pending=create.pending().into() />
                                        </ActionForm>
                                    </section>
                                })}
                            </div>
                        }
                            .into_any()
                    })}
                </Transition>
            </Layout>
        </RequireUser>
    }
}

fn row(
    i: I18n,
    c: curriculum::Model,
    can_copy: bool,
    copy: ServerAction<CopyCurriculum>,
) -> impl IntoView {
    let copy_label = format!("{} — {}", i.t("curricula.copy"), c.title);
    view! {
        <tr>
            <td>
                <a href=curriculum_path(c.id)>{c.title.clone()}</a>
                {c.is_template.then(|| view! { " " <span class="badge">{i.t("curricula.template")}</span> })}
            </td>
            <td>
                <time datetime=c.updated_at.to_rfc3339()>{c.updated_at.format("%Y-%m-%d").to_string()}</time>
            </td>
            {can_copy.then(|| view! {
                <td>
                    <ActionForm action=copy attr:class="inline">
                        <input type="hidden" name="id" value=c.id />
                        <button type="submit" class="btn ghost small" aria-label=copy_label>{i.t("curricula.copy")}</button>
                    </ActionForm>
                </td>
            })}
        </tr>
    }
}

/// "Templates only": a plain GET form, so the filtered list has its own address.
#[component]
fn TemplateFilter(templates_only: Memo<bool>) -> impl IntoView {
    let i = use_i18n();
    view! {
        <form method="get" action="/curricula" class="filters" role="search">
            <div class="field checkbox">
                <input id="filter-templates" type="checkbox" name="templates" value="1" checked=templates_only.get_untracked() />
                <label for="filter-templates">{i.t("curricula.templates_only")}</label>
            </div>
            <button type="submit" class="btn ghost small">{i.t("curricula.filter")}</button>
        </form>
    }
}
