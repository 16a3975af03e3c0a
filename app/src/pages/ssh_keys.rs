//! The account page's SSH keys (`/account#ssh-keys`): the keys a person added (name, type,
//! `SHA256:` fingerprint, when) with a remove button each, and a form to add one. A refused key
//! keeps what was typed and says what is wrong beside the field, with or without script.

use entity::ssh_key::SshKey;
use leptos::html::Form;
use leptos::prelude::*;

use crate::api::hosting::{list_ssh_keys, AddSshKey, DeleteSshKey};
use crate::components::form::{Field, FormAlert, Submit};
use crate::components::toast::use_toasts;
use crate::error::AppError;
use crate::form_state::{error_from_query, kept};
use crate::i18n::use_i18n;
use crate::pages::hosting::tr;

/// The add form's fields: an error from the URL is this form's only when it names one of them
/// (the password form above reads the same URL).
const FIELDS: [&str; 2] = ["public_key", "name"];

#[component]
pub fn SshKeysSection() -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let add = ServerAction::<AddSshKey>::new();
    let remove = ServerAction::<DeleteSshKey>::new();
    let keys = Resource::new_blocking(
        move || (add.version().get(), remove.version().get()),
        |_| list_ssh_keys(),
    );
    let from_query = error_from_query().filter(|e| FIELDS.iter().any(|f| e.field(f).is_some()));
    let error: Signal<Option<AppError>> = Signal::derive(move || match add.value().get() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None => from_query.clone(),
    });
    let form_ref = NodeRef::<Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(key)) = add.value().get() {
            toasts.push(format!("{}: {}", tr(i, "ssh_keys.added"), key.name));
            if let Some(form) = form_ref.get_untracked() {
                form.reset();
            }
        }
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => toasts.push(tr(i, "ssh_keys.removed")),
        Some(Err(e)) => toasts.push(i.error(&e)),
        None => {}
    });
    let key_message = move || {
        error.get().and_then(|e| {
            e.field("public_key")
                .map(|f| i.field_error(&f.code, &f.message))
        })
    };
    view! {
        <section class="card ssh-keys" id="ssh-keys" aria-labelledby="ssh-keys-title" data-testid="ssh-keys">
            <h2 id="ssh-keys-title">{tr(i, "ssh_keys.title")}</h2>
            <p class="muted">{tr(i, "ssh_keys.lead")}</p>
            <Transition fallback=move || view! { <p class="loading">{tr(i, "common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted" data-testid="ssh-keys-empty">{tr(i, "ssh_keys.empty")}</p> }.into_any(),
                        Ok(list) => view! { <KeyTable keys=list remove /> }.into_any(),
                        Err(e) => view! { <p class="alert error" role="alert">{i.error(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <h3>{tr(i, "ssh_keys.add")}</h3>
            <FormAlert error />
            <ActionForm action=add node_ref=form_ref attr:class="stack" attr:novalidate=true>
                <div class="field" class:invalid=move || key_message().is_some()>
                    <label for="field-public_key">{tr(i, "ssh_keys.public_key")}</label>
                    <textarea
                        id="field-public_key"
                        name="public_key"
                        rows="3"
                        required=true
                        spellcheck="false"
                        autocomplete="off"
                        class="ssh-key-input"
                        aria-invalid=move || key_message().map(|_| "true")
                        aria-describedby=move || if key_message().is_some() { "field-public_key-hint field-public_key-error" } else { "field-public_key-hint" }
                    >
                        {kept("public_key")}
                    </textarea>
                    <p class="hint" id="field-public_key-hint">{tr(i, "ssh_keys.public_key_hint")}</p>
                    {move || key_message().map(|m| view! { <p class="field-error" id="field-public_key-error">{m}</p> })}
                </div>
                <Field label=tr(i, "ssh_keys.name_field") name="name" value=kept("name") hint=tr(i, "ssh_keys.name_hint") error />
                <Submit label=tr(i, "ssh_keys.submit") pending_label=tr(i, "common.saving") pending=add.pending().into() />
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn KeyTable(keys: Vec<SshKey>, remove: ServerAction<DeleteSshKey>) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="table-scroll">
            <table class="table ssh-key-table">
                <thead>
                    <tr>
                        <th scope="col">{tr(i, "ssh_keys.name")}</th>
                        <th scope="col">{tr(i, "ssh_keys.algorithm")}</th>
                        <th scope="col">{tr(i, "ssh_keys.fingerprint")}</th>
                        <th scope="col">{tr(i, "ssh_keys.added_on")}</th>
                        <th scope="col"><span class="visually-hidden">{tr(i, "common.actions")}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {keys.into_iter().map(|k| {
                        let label = format!("{} — {}", tr(i, "ssh_keys.remove"), k.name);
                        view! {
                            <tr data-testid="ssh-key">
                                <td class="ssh-key-name">{k.name.clone()}</td>
                                <td><code>{k.algorithm.clone()}</code></td>
                                <td><code class="fingerprint" data-testid="ssh-key-fingerprint">{k.fingerprint.clone()}</code></td>
                                <td><time datetime=k.created_at.to_rfc3339()>{k.created_at.format("%Y-%m-%d").to_string()}</time></td>
                                <td class="row-actions">
                                    <ActionForm action=remove attr:class="inline">
                                        <input type="hidden" name="id" value=k.id />
                                        <button type="submit" class="btn quiet-danger small" aria-label=label>{tr(i, "ssh_keys.remove")}</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
