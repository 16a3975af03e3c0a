#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::TaskStatus;

/// One status change of a task: who moved it, from where to where, when, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(DeriveEntityModel),
    sea_orm(table_name = "task_event")
)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = TaskEvent))]
pub struct Model {
    #[cfg_attr(feature = "ssr", sea_orm(primary_key))]
    pub id: i32,
    pub task_id: i32,
    pub actor_id: Option<i32>,
    pub from_status: TaskStatus,
    pub to_status: TaskStatus,
    #[cfg_attr(feature = "ssr", sea_orm(column_type = "Text", nullable))]
    pub comment: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}
