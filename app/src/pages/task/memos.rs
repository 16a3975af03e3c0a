//! The memo thread under a task: read, write, edit one's own, delete.

use entity::mentoring::MemoView;
use leptos::html::Form;
use leptos::prelude::*;

use crate::api::tasks::{AddMemo, DeleteMemo, EditMemo};
use crate::components::form::FormAlert;
use crate::components::mentoring::FieldMessage;
use crate::form_state::{form_error, kept};
use crate::i18n::use_i18n;

#[component]
pub fn Memos(
    task_id: i32,
    memos: Vec<MemoView>,
    can_comment: bool,
    add: ServerAction<AddMemo>,
    edit: ServerAction<EditMemo>,
    delete: ServerAction<DeleteMemo>,
) -> impl IntoView {
    let i = use_i18n();
    let error = form_error(add.value());
    let row_error = Signal::derive({
        let from_edit = form_error(edit.value());
        let from_delete = form_error(delete.value());
        move || from_delete.get().or_else(|| from_edit.get())
    });
    let form_ref = NodeRef::<Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            if let Some(form) = form_ref.get_untracked() {
                form.reset();
            }
        }
    });
    view! {
        <section class="card" aria-labelledby="memos-title">
            <h2 id="memos-title">{i.t("memo.title")}" "<span class="badge">{memos.len()}</span></h2>
            <FormAlert error=row_error />
            {if memos.is_empty() {
                view! { <p>{i.t("memo.empty")}</p> }.into_any()
            } else {
                view! {
                    <ul class="memos">
                        {memos.into_iter().map(|m| {
                            let can = m.capabilities;
                            let memo_id = m.memo.id;
                            let body = m.memo.body.clone();
                            view! {
                                <li class="memo" id=format!("memo-{memo_id}")>
                                    <p class="memo-meta">
                                        <strong>{m.author_name.clone().unwrap_or_else(|| i.t("memo.someone").to_owned())}</strong>
                                        " · "
                                        <time datetime=m.memo.created_at.to_rfc3339()>{m.memo.created_at.format("%Y-%m-%d %H:%M").to_string()}</time>
                                        {m.edited.then(|| view! { " · "<span class="muted">{i.t("memo.edited")}</span> })}
                                    </p>
                                    <div class="markdown" inner_html=m.body_html.clone()></div>
                                    {can.can_edit.then(|| view! {
                                        <details class="memo-edit">
                                            <summary>{i.t("common.edit")}</summary>
                                            <ActionForm action=edit attr:class="stack">
                                                <input type="hidden" name="task_id" value=task_id />
                                                <input type="hidden" name="memo_id" value=memo_id />
                                                <label class="visually-hidden" for=format!("memo-edit-{memo_id}")>{i.t("memo.body")}</label>
                                                <textarea id=format!("memo-edit-{memo_id}") name="body" rows="3" required=true>{body}</textarea>
                                                <button type="submit" class="btn small">{i.t("common.save")}</button>
                                            </ActionForm>
                                        </details>
                                    })}
                                    {can.can_delete.then(|| view! {
                                        <ActionForm action=delete attr:class="inline">
                                            <input type="hidden" name="task_id" value=task_id />
                                            <input type="hidden" name="memo_id" value=memo_id />
                                            <button type="submit" class="btn ghost small">{i.t("common.delete")}</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_comment.then(|| view! {
                <FormAlert error />
                <ActionForm action=add node_ref=form_ref attr:class="stack">
                    <input type="hidden" name="task_id" value=task_id />
                    <div class="field">
                        <label for="field-body">{i.t("memo.write")}</label>
                        <textarea id="field-body" name="body" rows="3" aria-describedby="field-body-hint">{kept("body")}</textarea>
                        <p class="hint" id="field-body-hint">{i.t("memo.markdown_hint")}</p>
                        <FieldMessage error name="body" />
                    </div>
                    <button type="submit" class="btn primary">{i.t("memo.submit")}</button>
                </ActionForm>
            })}
        </section>
    }
}
