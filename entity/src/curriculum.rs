#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An ordered plan of task templates that mentorships follow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(DeriveEntityModel),
    sea_orm(table_name = "curriculum")
)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = Curriculum))]
pub struct Model {
    #[cfg_attr(feature = "ssr", sea_orm(primary_key))]
    pub id: i32,
    pub company_id: i32,
    pub title: String,
    /// Markdown source.
    #[cfg_attr(feature = "ssr", sea_orm(column_type = "Text"))]
    pub description: String,
    /// Offered as a starting point to copy.
    pub is_template: bool,
    pub created_by: Option<i32>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}
