//! The hosting's card: its state, the operation in flight, why the last one failed, where to
//! reach it (web address, SSH, SFTP), its resources, and what may be done with it now.

use chrono::{DateTime, Utc};
use entity::hosting::{Hosting, HostingStatus};
use leptos::prelude::*;

use super::clipboard::CopyCommand;
use super::steps::StepList;
use super::{badge_label, status_class};
use crate::api::hosting::HostingAction;
use crate::components::icon::{lu, Icon};
use crate::components::ui::Dialog;
use crate::i18n::use_i18n;
use crate::pages::hosting::tr;

/// One button of the card: a form posting `hosting_action` with `op` (works without script).
#[component]
pub fn ActionButton(
    action: ServerAction<HostingAction>,
    op: &'static str,
    label: &'static str,
    #[prop(default = "btn ghost")] class: &'static str,
) -> impl IntoView {
    let testid = format!("hosting-{op}");
    view! {
        <ActionForm action attr:class="inline">
            <input type="hidden" name="action" value=op />
            <button type="submit" class=class data-testid=testid disabled=move || action.pending().get()>
                {label}
            </button>
        </ActionForm>
    }
    .into_any()
}

/// Delete, behind a confirmation (the browser's popover: no script needed).
#[component]
fn DeleteButton(action: ServerAction<HostingAction>) -> impl IntoView {
    let i = use_i18n();
    view! {
        <button type="button" class="btn quiet-danger" popovertarget="hosting-delete" data-testid="hosting-delete">
            {tr(i, "hosting.delete")}
        </button>
        <Dialog id="hosting-delete" title=tr(i, "hosting.delete_title") close_label=tr(i, "common.close")>
            <p>{tr(i, "hosting.delete_warning")}</p>
            <ActionForm action attr:class="actions">
                <input type="hidden" name="action" value="delete" />
                <button type="submit" class="btn danger" data-testid="hosting-delete-confirm">{tr(i, "hosting.delete_confirm")}</button>
                <button type="button" class="btn ghost" popovertarget="hosting-delete" popovertargetaction="hide">
                    {tr(i, "common.cancel")}
                </button>
            </ActionForm>
        </Dialog>
    }
    .into_any()
}

#[component]
pub fn HostingCard(
    hosting: Hosting,
    action: ServerAction<HostingAction>,
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let i = use_i18n();
    let h = hosting;
    let busy = h.is_busy();
    let status = h.status;
    let mib = |n: u32| tr(i, "hosting.mib").replace("{n}", &n.to_string());
    let web = match (&h.web_url, status) {
        (Some(url), _) => view! {
            <a href=url.clone() target="_blank" rel="noopener" data-testid="hosting-web-url">
                {url.clone()} " " <Icon icon=lu::LuExternalLink class="icon-sm" />
            </a>
            {(status == HostingStatus::Stopped).then(|| view! { <p class="muted">{tr(i, "hosting.web_stopped")}</p> })}
        }
        .into_any(),
        (None, _) => view! { <span class="muted">{tr(i, "hosting.web_pending")}</span> }.into_any(),
    };
    let failed = h.error.clone().map(|why| {
        view! {
            <div class="alert error hosting-failed" role="alert" data-testid="hosting-error">
                <p><strong>{tr(i, "hosting.failed")}</strong></p>
                <p class="hosting-reason">{why}</p>
                {(status == HostingStatus::Error && !busy).then(|| view! { <p>{tr(i, "hosting.failed_lead")}</p> })}
            </div>
        }
    });
    let buttons = (!busy).then(|| {
        view! {
            <div class="actions hosting-actions">
                {match status {
                    HostingStatus::Running => view! {
                        <ActionButton action op="stop" label=tr(i, "hosting.stop") />
                        <ActionButton action op="restart" label=tr(i, "hosting.restart") />
                    }
                    .into_any(),
                    HostingStatus::Stopped => view! {
                        <ActionButton action op="start" label=tr(i, "hosting.start") class="btn primary" />
                    }
                    .into_any(),
                    HostingStatus::Error => view! {
                        <ActionButton action op="retry" label=tr(i, "hosting.retry") class="btn primary" />
                    }
                    .into_any(),
                    _ => ().into_any(),
                }}
                {matches!(status, HostingStatus::Running | HostingStatus::Stopped | HostingStatus::Error)
                    .then(|| view! { <DeleteButton action /> })}
            </div>
        }
    });
    view! {
        <section class="card hosting-card" aria-labelledby="hosting-card-title" data-testid="hosting-card">
            <div class="card-head">
                <h2 id="hosting-card-title">{tr(i, "hosting.my")}</h2>
                <span class=status_class(status, busy) role="status" data-testid="hosting-status" data-status=status.as_str()>
                    {badge_label(i, &h)}
                </span>
            </div>
            {failed}
            {busy.then(|| view! { <StepList hosting=h.clone() now /> })}
            <dl class="hosting-access">
                <div>
                    <dt>{tr(i, "hosting.web")}</dt>
                    <dd>{web}</dd>
                </div>
                {h.ssh_command.clone().map(|c| view! {
                    <div>
                        <dt>{tr(i, "hosting.ssh")}</dt>
                        <dd><CopyCommand label=tr(i, "hosting.ssh") command=c testid="hosting-ssh" /></dd>
                    </div>
                })}
                {h.sftp_command.clone().map(|c| view! {
                    <div>
                        <dt>{tr(i, "hosting.sftp")}</dt>
                        <dd><CopyCommand label=tr(i, "hosting.sftp") command=c testid="hosting-sftp" /></dd>
                    </div>
                })}
            </dl>
            <h3 class="visually-hidden">{tr(i, "hosting.resources")}</h3>
            <dl class="facts hosting-resources">
                <div>
                    <dt>{tr(i, "hosting.memory")}</dt>
                    <dd>{mib(h.memory_mib)}</dd>
                </div>
                <div>
                    <dt>{tr(i, "hosting.vcpus")}</dt>
                    <dd>{h.vcpus}</dd>
                </div>
                <div>
                    <dt>{tr(i, "hosting.disk")}</dt>
                    <dd>{mib(h.disk_mib)}</dd>
                </div>
                {h.host.clone().map(|host| view! {
                    <div>
                        <dt>{tr(i, "hosting.host")}</dt>
                        <dd><code>{host}</code></dd>
                    </div>
                })}
            </dl>
            {buttons}
        </section>
    }
    .into_any()
}
