#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One task of a curriculum, in week order then position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(DeriveEntityModel),
    sea_orm(table_name = "task_template")
)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = TaskTemplate))]
pub struct Model {
    #[cfg_attr(feature = "ssr", sea_orm(primary_key))]
    pub id: i32,
    pub curriculum_id: i32,
    pub week: i32,
    pub position: i32,
    pub title: String,
    /// Markdown source.
    #[cfg_attr(feature = "ssr", sea_orm(column_type = "Text"))]
    pub description: String,
    pub expected_days: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}
