//! `/styleguide`: every shared building block, in the light and the dark theme side by side, so a
//! new page starts from what exists. Admins see it; in debug builds everyone signed in does.

use entity::TaskStatus;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::avatar::Avatar;
use crate::components::icon::{lu, Icon};
use crate::components::layout::{Layout, Permitted, RequireUser};
use crate::components::mentoring::StatusBadge;
use crate::components::ui::{Dialog, DialogButton, EmptyState, RowMenu, StatCard, Tabs};
use crate::i18n::use_i18n;

#[component]
pub fn StyleguidePage() -> impl IntoView {
    let i = use_i18n();
    view! {
        <Title text=i.t("styleguide.title") />
        <RequireUser let:user>
            <Layout user=user.clone()>
                <Permitted when=user.capabilities.can_manage_company || cfg!(debug_assertions)>
                    <div class="page-head"><h1>{i.t("styleguide.title")}</h1></div>
                    <p class="lead">{i.t("styleguide.lead")}</p>
                    <div class="styleguide">
                        <section class="theme-light" aria-labelledby="sg-light">
                            <h2 id="sg-light">{i.t("prefs.theme_light")}</h2>
                            <Specimens theme="light" />
                        </section>
                        <section class="theme-dark" aria-labelledby="sg-dark">
                            <h2 id="sg-dark">{i.t("prefs.theme_dark")}</h2>
                            <Specimens theme="dark" />
                        </section>
                    </div>
                </Permitted>
            </Layout>
        </RequireUser>
    }
}

/// One of each component; `theme` keeps the ids of the two copies apart.
#[component]
fn Specimens(theme: &'static str) -> impl IntoView {
    let i = use_i18n();
    let dialog: &'static str = if theme == "light" {
        "sg-dialog-light"
    } else {
        "sg-dialog-dark"
    };
    let people = [
        (1, "김민수"),
        (2, "이서연"),
        (3, "Test Admin"),
        (4, "박지훈"),
        (5, "멘티 2"),
        (6, "Ada Lovelace"),
        (7, "정하늘"),
        (8, "최유진"),
    ];
    view! {
        {view! {
            <div class="sg-block">
                <h3>{i.t("styleguide.type")}</h3>
                <div class="type-scale">
                    <p class="t-display">"1,280"</p>
                    <p class="t-2xl">"누리 Nuri 제목"</p>
                    <p class="t-xl">"멘토링을 한곳에서"</p>
                    <p class="t-lg">"과제와 메모, 설문을 함께"</p>
                    <p class="t-md">"본문은 16px, 줄간격 1.6. 한글은 단어 단위로 줄을 바꿉니다."</p>
                    <p class="t-sm muted">"보조 설명 14px"</p>
                    <p class="t-xs muted">"캡션 12px"</p>
                </div>
            </div>
        }.into_any()}
        {view! {
            <div class="sg-block">
                <h3>{i.t("styleguide.colours")}</h3>
                <div class="swatches">
                    <span class="swatch badge">"brand"</span>
                    <span class="swatch badge ok">"ok"</span>
                    <span class="swatch badge warn">"warn"</span>
                    <span class="swatch alert error">"error"</span>
                    <span class="swatch alert info">"info"</span>
                </div>
                <div class="swatches">
                    {TaskStatus::ALL.into_iter().map(|s| view! { <StatusBadge status=s /> }).collect_view()}
                </div>
            </div>
        }.into_any()}
        {view! {
            <div class="sg-block">
                <h3>{i.t("styleguide.buttons")}</h3>
                <div class="actions">
                    <button type="button" class="btn primary">{i.t("common.save")}</button>
                    <button type="button" class="btn ghost">{i.t("common.cancel")}</button>
                    <button type="button" class="btn quiet-danger"><Icon icon=lu::LuTrash2 />{i.t("common.delete")}</button>
                    <button type="button" class="btn danger">{i.t("common.delete")}</button>
                    <button type="button" class="btn small ghost">{i.t("common.apply")}</button>
                </div>
            </div>
        }.into_any()}
        {view! {
            <div class="sg-block">
                <h3>{i.t("styleguide.stats")}</h3>
                <div class="stats">
                    <StatCard value=12 label=i.t("task.overdue") href="/tasks?overdue=true" warn=true />
                    <StatCard value=4 label=i.t("status.review") href="/tasks" />
                    <StatCard value=56 label=i.t("role.mentee") href="/mentorships" />
                </div>
            </div>
        }.into_any()}
        {view! {
            <div class="sg-block">
                <h3>{i.t("styleguide.people")}</h3>
                <div class="swatches">
                    {people.into_iter().map(|(id, name)| view! {
                        <span class="person"><Avatar id=id name=name /><span>{name}</span></span>
                    }).collect_view()}
                </div>
            </div>
        }.into_any()}
        {view! {
            <div class="sg-block">
                <h3>{i.t("styleguide.table")}</h3>
                <div class="table-scroll">
                    <table class="table">
                        <thead><tr>
                            <th scope="col">{i.t("field.name")}</th>
                            <th scope="col">{i.t("field.role")}</th>
                            <th scope="col"><span class="visually-hidden">{i.t("common.actions")}</span></th>
                        </tr></thead>
                        <tbody>
                            {people.into_iter().take(3).map(|(id, name)| view! {
                                <tr>
                                    <td><span class="person"><Avatar id=id name=name size="small" />
                                        <span class="person-text"><span>{name}</span><span class="muted">{format!("user{id}@example.com")}</span></span>
                                    </span></td>
                                    <td>{i.t("role.mentee")}</td>
                                    <td class="row-end">
                                        <RowMenu label=format!("{} — {name}", i.t("common.actions"))>
                                            <button type="button" class="menu-item"><Icon icon=lu::LuPencil />{i.t("common.edit")}</button>
                                            <button type="button" class="menu-item danger"><Icon icon=lu::LuTrash2 />{i.t("common.delete")}</button>
                                        </RowMenu>
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </div>
        }.into_any()}
        {view! {
            <div class="sg-block">
                <h3>{i.t("styleguide.tabs")}</h3>
                <Tabs label=i.t("styleguide.tabs") tabs=vec![
                    ("/styleguide", i.t("styleguide.title").to_string()),
                    ("/admin/users", i.t("nav.users").to_string()),
                    ("/admin/departments", i.t("nav.departments").to_string()),
                ] />
            </div>
        }.into_any()}
        {view! {
            <div class="sg-block">
                <h3>{i.t("styleguide.empty")}</h3>
                <EmptyState title=i.t("board.empty")>
                    <p>{i.t("styleguide.empty_hint")}</p>
                </EmptyState>
            </div>
        }.into_any()}
        {view! {
            <div class="sg-block">
                <h3>{i.t("styleguide.dialog")}</h3>
                <DialogButton target=dialog>{i.t("styleguide.open_dialog")}</DialogButton>
                <Dialog id=dialog title=i.t("styleguide.dialog") close_label=i.t("common.close")>
                    <p>{i.t("styleguide.dialog_body")}</p>
                    <div class="actions">
                        <button type="button" class="btn primary" popovertarget=dialog popovertargetaction="hide">{i.t("common.close")}</button>
                    </div>
                </Dialog>
            </div>
        }.into_any()}
    }
}
