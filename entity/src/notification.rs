#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Something a person should know about: a task assigned, reviewed, commented or overdue, a form
/// to answer. `kind` is a stable code the UI translates; `subject` is what it is about (a task's
/// title) and `link` the page that shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(DeriveEntityModel),
    sea_orm(table_name = "notification")
)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = Notification))]
pub struct Model {
    #[cfg_attr(feature = "ssr", sea_orm(primary_key))]
    pub id: i32,
    pub user_id: i32,
    pub kind: String,
    pub actor_id: Option<i32>,
    pub subject: String,
    pub link: String,
    pub read_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}
