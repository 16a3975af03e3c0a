use entity::import::ImportReport;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::import::{take_import_flash, ImportUsers};
use crate::components::layout::{Layout, Permitted, RequireUser};
use crate::error::AppError;
use crate::i18n::{use_i18n, I18n};

/// Admins: paste a CSV of people, see every row checked, then import all of them or none.
#[component]
pub fn ImportPage() -> impl IntoView {
    let i = use_i18n();
    let action = ServerAction::<ImportUsers>::new();
    let flash = Resource::new_blocking(|| (), |_| take_import_flash());
    view! {
        <Title text=i.t("import.title") />
        <RequireUser let:user>
            <Layout user=user.clone()>
                <Permitted when=user.capabilities.can_manage_company>
                    <h1>{i.t("import.title")}</h1>
                    {crate::pages::users::admin_tabs(i)}
                    <section class="card">
                        <p class="lead">{i.t("import.lead")}</p>
                        <pre class="example">"email,name,role,department,password\nkim@example.com,김민수,mentor,Engineering,\nlee@example.com,이지은,mentee,,"</pre>
                        <Suspense>
                            {move || Suspend::new(async move {
                                let kept = flash.await.ok().flatten();
                                let text = kept.as_ref().map(|(csv, _)| csv.clone()).unwrap_or_default();
                                let result = kept.map(|(_, result)| result);
                                view! {
                                    <ActionForm action=action attr:class="stack">
                                        <div class="field">
                                            <label for="field-csv">{i.t("import.csv")}</label>
                                            <textarea id="field-csv" class="code" name="csv" rows="8" spellcheck="false" required=true>{text}</textarea>
                                        </div>
                                        {commit_buttons(i, "commit")}
                                    </ActionForm>
                                    {result.map(|r| outcome(i, r))}
                                }
                            })}
                        </Suspense>
                        {move || action.value().get().map(|r| outcome(i, r))}
                    </section>
                    <FileImport />
                </Permitted>
            </Layout>
        </RequireUser>
    }
}

/// A file instead of pasted text: chosen, or dropped on the picker (browsers take a dropped file
/// on a file input themselves). A plain multipart post, so it works the same without JavaScript;
/// the result comes back with the file's text in the box above.
#[component]
fn FileImport() -> impl IntoView {
    let i = use_i18n();
    view! {
        <section class="card" aria-labelledby="file-import">
            <h2 id="file-import">{i.t("import.file_title")}</h2>
            <form method="post" action="/api/fn/import_users_file" enctype="multipart/form-data" class="stack">
                <div class="field">
                    <label for="field-csv-file">{i.t("import.file")}</label>
                    <input id="field-csv-file" class="drop-zone" type="file" name="file" accept=".csv,text/csv,text/plain" required=true />
                    <p class="hint">{i.t("import.file_hint")}</p>
                </div>
                {commit_buttons(i, "commit_file")}
            </form>
        </section>
    }
}

/// "Check" (writes nothing) and "Import", posting `name` as false or true.
fn commit_buttons(i: I18n, name: &'static str) -> impl IntoView {
    view! {
        <div class="row-actions">
            <button type="submit" name=name value="false" class="btn ghost">{i.t("import.preview")}</button>
            <button type="submit" name=name value="true" class="btn primary">{i.t("import.import")}</button>
        </div>
    }
}

fn outcome(i: I18n, result: Result<ImportReport, AppError>) -> AnyView {
    match result {
        Ok(report) if !report.created.is_empty() => view! {
            <div class="alert success" role="status">
                {i.count("import.done", report.created.len() as u64)}
            </div>
            <table class="table" data-testid="imported">
                <thead><tr><th scope="col">{i.t("field.email")}</th><th scope="col">{i.t("import.temporary")}</th></tr></thead>
                <tbody>
                    {report.created.into_iter().map(|c| view! {
                        <tr><td>{c.email}</td><td><code>{c.temporary_password.unwrap_or_else(|| "—".into())}</code></td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any(),
        Ok(report) => {
            let summary = if report.valid { i.t("import.ready") } else { i.t("import.fix") };
            view! {
                <div class=if report.valid { "alert success" } else { "alert warn" } role="status">{summary}</div>
                <table class="table" data-testid="preview">
                    <thead>
                        <tr>
                            <th scope="col">{i.t("import.line")}</th>
                            <th scope="col">{i.t("field.email")}</th>
                            <th scope="col">{i.t("field.name")}</th>
                            <th scope="col">{i.t("field.role")}</th>
                            <th scope="col">{i.t("import.problems")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {report.rows.into_iter().map(|r| {
                            let problems: Vec<String> = r.errors.iter().map(|e| format!("{}: {}", e.field, i.field_error(&e.code, &e.message))).collect();
                            view! {
                                <tr class:invalid=!problems.is_empty()>
                                    <td>{r.line}</td>
                                    <td>{r.email}</td>
                                    <td>{r.name}</td>
                                    <td>{r.role}</td>
                                    <td>{if problems.is_empty() { "✓".to_owned() } else { problems.join("; ") }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }
        Err(e) => view! {
            <div class="alert error" role="alert">
                <p>{i.error(&e)}</p>
                <ul>{e.fields.iter().map(|f| view! { <li>{format!("{}: {}", f.field, i.field_error(&f.code, &f.message))}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any(),
    }
}
