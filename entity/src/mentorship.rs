use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::MentorshipStatus;

/// A mentor guiding a mentee through a curriculum from a start date.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = Mentorship))]
#[sea_orm(table_name = "mentorship")]
pub struct Model {
    #[sea_orm(primary_key)]
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

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
