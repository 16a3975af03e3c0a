//! The admin overview: every hosting with its owner, state, host and ports; totals per state;
//! and forcing one to stop or go.

use std::collections::HashMap;

use entity::hosting::{self, HostingRow, HostingStatus, HostingTotal};
use entity::{user, Page, PageRequest};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};

use super::hypervisor::Host;
use super::machine::{self, Op};
use crate::policy::{self, Action, Caller};
use crate::{Actor, Ctx, Result, ServiceError};

/// What an admin may force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Force {
    /// Pull the plug now (no graceful shutdown).
    Stop,
    /// Delete whatever it is doing.
    Delete,
}

impl Force {
    /// `stop` or `delete`, as a form or a client names it; anything else is refused (a typo must
    /// never delete a hosting).
    pub fn parse(action: &str) -> Result<Force> {
        match action {
            "stop" => Ok(Force::Stop),
            "delete" => Ok(Force::Delete),
            _ => Err(ServiceError::invalid(
                "action",
                "unknown_action",
                "the action is neither stop nor delete",
            )),
        }
    }
}

/// The hostings the caller oversees: every one for the platform admin, their company's for an
/// admin. Deleted ones are left out.
fn overseen(actor: Option<&Actor>) -> Result<Select<hosting::Entity>> {
    let me = policy::require(
        actor,
        Action::ManageHostings(actor.and_then(|a| a.user.company_id)),
    )?;
    let mut select =
        hosting::Entity::find().filter(hosting::Column::Status.ne(HostingStatus::Deleted.as_str()));
    if !Caller::from(me).platform_admin {
        select = select.filter(hosting::Column::CompanyId.eq(me.user.company_id));
    }
    Ok(select)
}

pub async fn list(ctx: &Ctx, actor: Option<&Actor>, req: PageRequest) -> Result<Page<HostingRow>> {
    let select = overseen(actor)?.order_by_desc(hosting::Column::Id);
    let page = crate::db::page(ctx, select, req).await?;
    let owners: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(page.items.iter().map(|h| h.user_id)))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let rows = page
        .items
        .iter()
        .map(|h| to_row(h, owners.get(&h.user_id)))
        .collect();
    Ok(page.with(rows))
}

fn to_row(h: &hosting::Model, owner: Option<&user::Model>) -> HostingRow {
    let port = |p: Option<i32>| p.and_then(|p| u16::try_from(p).ok());
    HostingRow {
        id: h.id,
        owner_id: h.user_id,
        owner_name: owner.map(|u| u.name.clone()).unwrap_or_default(),
        owner_email: owner.map(|u| u.email.clone()).unwrap_or_default(),
        status: h.status(),
        op: h.op.clone(),
        host: h.host.clone(),
        vm_id: h.vm_name.clone(),
        ssh_port: port(h.ssh_port),
        http_port: port(h.http_port),
        error: h.error.clone(),
        created_at: h.created_at,
    }
}

pub async fn totals(ctx: &Ctx, actor: Option<&Actor>) -> Result<Vec<HostingTotal>> {
    let counts: Vec<(String, i64)> = overseen(actor)?
        .select_only()
        .column(hosting::Column::Status)
        .column_as(hosting::Column::Id.count(), "count")
        .group_by(hosting::Column::Status)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    Ok(HostingStatus::ALL
        .into_iter()
        .filter(|s| *s != HostingStatus::Deleted)
        .map(|status| HostingTotal {
            status,
            count: counts
                .iter()
                .find(|(s, _)| s == status.as_str())
                .map_or(0, |(_, n)| *n as u64),
        })
        .collect())
}

pub async fn force(ctx: &Ctx, actor: Option<&Actor>, id: i32, what: Force) -> Result<HostingRow> {
    let row = hosting::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .filter(|h| h.status() != HostingStatus::Deleted)
        .ok_or(ServiceError::NotFound { what: "hosting" })?;
    policy::require(actor, Action::ManageHostings(row.company_id))?;
    let from = row.status();
    let by = format!("forced by an admin ({})", actor.map_or(0, |a| a.id()));
    match what {
        Force::Stop => {
            if !matches!(from, HostingStatus::Running | HostingStatus::Stopping) {
                return Err(Op::Stop.refusal(from));
            }
            if let Some(uri) = &row.host {
                let host = Host(
                    ctx.hypervisors
                        .connect(uri)
                        .await
                        .map_err(ServiceError::Unavailable)?,
                );
                host.destroy(&row.vm_name)
                    .await
                    .map_err(ServiceError::Internal)?;
            }
            machine::transition(
                ctx,
                id,
                from,
                HostingStatus::Stopped,
                None,
                "forced_stop",
                &by,
            )
            .await?;
        }
        Force::Delete => {
            if from == HostingStatus::Deleting && row.op.is_some() {
                return Err(Op::Delete.refusal(from));
            }
            // Whatever was in flight sees the change at its next step and undoes its own work.
            let cleared = hosting::Model { op: None, ..row };
            super::begin_forced(ctx, cleared, from, &by).await?;
        }
    }
    let now = super::lifecycle::reload(ctx, id)
        .await
        .map_err(ServiceError::Internal)?;
    let owner = user::Entity::find_by_id(now.user_id).one(&ctx.db).await?;
    Ok(to_row(&now, owner.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::Force;

    #[test]
    fn only_stop_and_delete_are_forced() {
        assert_eq!(Force::parse("stop").unwrap(), Force::Stop);
        assert_eq!(Force::parse("delete").unwrap(), Force::Delete);
        for other in ["", "Stop", "restart", "delete "] {
            assert!(Force::parse(other).is_err(), "{other:?}");
        }
    }
}
