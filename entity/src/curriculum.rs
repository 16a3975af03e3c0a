use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An ordered plan of task templates that mentorships follow.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = Curriculum))]
#[sea_orm(table_name = "curriculum")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub company_id: i32,
    pub title: String,
    /// Markdown source.
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// Offered as a starting point to copy.
    pub is_template: bool,
    pub created_by: Option<i32>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
