#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::TaskStatus;

/// A mentee's task within a mentorship: generated from a curriculum's template or added by hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(DeriveEntityModel),
    sea_orm(table_name = "task")
)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = Task))]
pub struct Model {
    #[cfg_attr(feature = "ssr", sea_orm(primary_key))]
    pub id: i32,
    pub company_id: i32,
    pub mentorship_id: i32,
    /// The mentee who does the task.
    pub assignee_id: i32,
    pub template_id: Option<i32>,
    pub title: String,
    /// Markdown source.
    #[cfg_attr(feature = "ssr", sea_orm(column_type = "Text"))]
    pub description: String,
    pub week: i32,
    pub position: i32,
    pub due_date: chrono::NaiveDate,
    pub status: TaskStatus,
    /// First moved to in progress.
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Last sent to review.
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Approved.
    pub completed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The mentee was told it is overdue (once).
    #[serde(skip)]
    pub overdue_notified: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}
