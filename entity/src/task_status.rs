#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a mentee's task stands. The allowed moves between them live in `service::tasks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(EnumIter, DeriveActiveEnum),
    sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")
)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "todo"))]
    Todo,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "in_progress"))]
    InProgress,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "review"))]
    Review,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "changes_requested"))]
    ChangesRequested,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "done"))]
    Done,
}

impl TaskStatus {
    /// Board order.
    pub const ALL: [TaskStatus; 5] = [
        TaskStatus::Todo,
        TaskStatus::InProgress,
        TaskStatus::ChangesRequested,
        TaskStatus::Review,
        TaskStatus::Done,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Todo => "todo",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Review => "review",
            TaskStatus::ChangesRequested => "changes_requested",
            TaskStatus::Done => "done",
        }
    }

    /// Still to be finished by the mentee (counts towards "overdue").
    pub fn is_open(self) -> bool {
        self != TaskStatus::Done
    }
}

crate::named::named_values!(TaskStatus, "invalid_status");

/// A mentorship runs until it is ended (finished) or cancelled (abandoned).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(EnumIter, DeriveActiveEnum),
    sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")
)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MentorshipStatus {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "active"))]
    Active,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "ended"))]
    Ended,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cancelled"))]
    Cancelled,
}

impl MentorshipStatus {
    pub const ALL: [MentorshipStatus; 3] = [
        MentorshipStatus::Active,
        MentorshipStatus::Ended,
        MentorshipStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MentorshipStatus::Active => "active",
            MentorshipStatus::Ended => "ended",
            MentorshipStatus::Cancelled => "cancelled",
        }
    }
}

crate::named::named_values!(MentorshipStatus, "invalid_status");
