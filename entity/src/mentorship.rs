#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::MentorshipStatus;

/// A mentor guiding a mentee through a curriculum from a start date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(DeriveEntityModel),
    sea_orm(table_name = "mentorship")
)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = Mentorship))]
pub struct Model {
    #[cfg_attr(feature = "ssr", sea_orm(primary_key))]
    pub id: i32,
    pub company_id: i32,
    pub mentor_id: i32,
    pub mentee_id: i32,
    /// The curriculum the tasks were generated from (`None` once that curriculum is deleted).
    pub curriculum_id: Option<i32>,
    pub status: MentorshipStatus,
    pub start_date: chrono::NaiveDate,
    pub ended_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_by: Option<i32>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}
