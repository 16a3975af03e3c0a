//! What mentoring lists, task pages and dashboards send to the client: records with the names
//! and counts they show, assembled by `service`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::form_view::MentorshipChoice;
use crate::{memo, mentorship, task, task_event, MentorshipStatus, Page, TaskStatus};

/// How far along a set of tasks is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Progress {
    pub total: u64,
    pub done: u64,
    pub in_review: u64,
    /// Open tasks past their due date.
    pub overdue: u64,
}

impl Progress {
    /// Whole percent done (0 when there is nothing to do).
    pub fn percent(&self) -> u64 {
        (self.done * 100).checked_div(self.total).unwrap_or(0)
    }
}

/// A mentorship with the names a list shows and how far the mentee has come.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MentorshipView {
    #[serde(flatten)]
    pub mentorship: mentorship::Model,
    pub mentor_name: String,
    pub mentee_name: String,
    pub curriculum_title: Option<String>,
    pub progress: Progress,
    #[serde(flatten)]
    pub capabilities: MentorshipCapabilities,
}

// What the caller may do with a record, computed by `service::policy` from the same rules the
// operations check, so pages show exactly the actions that will succeed.

/// What the caller may do with a mentorship.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MentorshipCapabilities {
    /// End or cancel it (while it is active).
    pub can_end: bool,
    /// Add tasks to it by hand (while it is active).
    pub can_add_task: bool,
}

/// What the caller may do with a task, besides moving it (`allowed_transitions`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskCapabilities {
    /// Change its title, description or due date (while the mentorship is active).
    pub can_edit: bool,
    /// Delete it (while the mentorship is active).
    pub can_delete: bool,
    /// Write a memo on it.
    pub can_comment: bool,
}

/// What the caller may do with a memo.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MemoCapabilities {
    pub can_edit: bool,
    pub can_delete: bool,
}

/// What the caller may do with a curriculum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CurriculumCapabilities {
    /// Change it and its tasks (add, edit, delete, reorder).
    pub can_edit: bool,
    pub can_delete: bool,
    /// Copy it into a new curriculum.
    pub can_copy: bool,
}

/// A task as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskItem {
    pub id: i32,
    pub mentorship_id: i32,
    pub assignee_id: i32,
    pub assignee_name: String,
    pub title: String,
    pub status: TaskStatus,
    pub due_date: NaiveDate,
    pub week: i32,
    pub position: i32,
    pub overdue: bool,
    pub completed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// One status of the board: its true count (`tasks.total`) and one page of its cards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BoardColumn {
    pub status: TaskStatus,
    pub tasks: Page<TaskItem>,
}

/// The task board: one column per status in board order, each counted and paged on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Board {
    /// Empty while `choose` is set.
    pub columns: Vec<BoardColumn>,
    /// Set when the caller sees a whole company and named nobody: the mentorships to pick from
    /// (matching `q`, the first few by mentee name) instead of a board of everyone's tasks.
    pub choose: Option<Vec<MentorshipChoice>>,
    /// Whose board this is, when a mentorship or a person is named.
    pub subject: Option<String>,
}

/// One task with everything its page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskDetail {
    #[serde(flatten)]
    pub task: task::Model,
    /// The Markdown description rendered to safe HTML.
    pub description_html: String,
    pub assignee_name: String,
    pub mentor_id: i32,
    pub mentor_name: String,
    pub mentorship_status: MentorshipStatus,
    pub overdue: bool,
    /// The statuses the caller may move this task to now.
    pub allowed_transitions: Vec<TaskStatus>,
    #[serde(flatten)]
    pub capabilities: TaskCapabilities,
    pub events: Vec<EventView>,
    pub memos: Vec<MemoView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventView {
    #[serde(flatten)]
    pub event: task_event::Model,
    pub actor_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MemoView {
    #[serde(flatten)]
    pub memo: memo::Model,
    pub author_name: Option<String>,
    /// The Markdown body rendered to safe HTML.
    pub body_html: String,
    pub edited: bool,
    #[serde(flatten)]
    pub capabilities: MemoCapabilities,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Dashboard {
    Mentee(MenteeDashboard),
    Mentor(MentorDashboard),
    Admin(AdminDashboard),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MenteeDashboard {
    pub progress: Progress,
    /// Open tasks by due date, the next few.
    pub next_due: Vec<TaskItem>,
    pub mentorships: Vec<MentorshipView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MentorDashboard {
    /// Active mentorships with each mentee's progress.
    pub mentees: Vec<MentorshipView>,
    /// Tasks waiting for this mentor's review, the earliest due first.
    pub awaiting_review: Vec<TaskItem>,
    pub awaiting_review_total: u64,
    /// The tasks of these mentorships.
    pub tasks: Progress,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AdminDashboard {
    pub admins: u64,
    pub mentors: u64,
    pub mentees: u64,
    pub active_mentorships: u64,
    /// Tasks of active mentorships.
    pub tasks: Progress,
    pub departments: Vec<DepartmentCompletion>,
    /// The most overdue open tasks.
    pub overdue: Vec<TaskItem>,
}

/// Completion of the tasks of a department's mentees (`department_id` None: no department).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DepartmentCompletion {
    pub department_id: Option<i32>,
    pub name: Option<String>,
    pub total: u64,
    pub done: u64,
    pub percent: u64,
}
