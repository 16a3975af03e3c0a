#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A survey someone built and sent; answers are accepted until `closed_at` is set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(DeriveEntityModel),
    sea_orm(table_name = "form")
)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = Form))]
pub struct Model {
    #[cfg_attr(feature = "ssr", sea_orm(primary_key))]
    pub id: i32,
    pub company_id: i32,
    pub created_by: i32,
    pub title: String,
    #[cfg_attr(feature = "ssr", sea_orm(column_type = "Text"))]
    pub description: String,
    /// The mentorship it was sent to, if any (its mentee is among the recipients).
    pub mentorship_id: Option<i32>,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}
