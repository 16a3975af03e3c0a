#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The answer to one question within a response, as JSON text (string, array of strings or
/// number). Unanswered optional questions have no row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(DeriveEntityModel),
    sea_orm(table_name = "form_answer")
)]
pub struct Model {
    #[cfg_attr(feature = "ssr", sea_orm(primary_key))]
    pub id: i32,
    pub response_id: i32,
    pub question_id: i32,
    #[cfg_attr(feature = "ssr", sea_orm(column_type = "Text"))]
    pub value: String,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}
