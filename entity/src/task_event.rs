use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::TaskStatus;

/// One status change of a task: who moved it, from where to where, when, and why.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = TaskEvent))]
#[sea_orm(table_name = "task_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub task_id: i32,
    pub actor_id: Option<i32>,
    pub from_status: TaskStatus,
    pub to_status: TaskStatus,
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
