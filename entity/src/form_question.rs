#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::FormKind;

/// One question of a form, at `position` (0-based) in the order the form shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(DeriveEntityModel),
    sea_orm(table_name = "form_question")
)]
pub struct Model {
    #[cfg_attr(feature = "ssr", sea_orm(primary_key))]
    pub id: i32,
    pub form_id: i32,
    pub position: i32,
    pub kind: FormKind,
    pub label: String,
    pub required: bool,
    /// The options of a choice question as a JSON array of strings (`[]` for the other kinds).
    #[cfg_attr(feature = "ssr", sea_orm(column_type = "Text"))]
    pub options: String,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}
