#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A headless run of notebooks in order, in a workspace. `notebooks` holds the per-notebook
/// progress as JSON (`Vec<RunNotebook>`): it is written whole by the one worker running it.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notebook_run")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub workspace_id: i32,
    pub user_id: i32,
    /// `queued`, `running`, `succeeded`, `failed`, `cancelled`.
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub notebooks: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Someone asked to cancel the run while it ran; its worker (on any replica) polls this.
    pub cancel_requested_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}

/// One notebook of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunNotebook {
    pub path: String,
    /// `queued`, `running`, `succeeded`, `failed`, `skipped` (after a failure), `cancelled`
    /// (the run was cancelled before it finished; a notebook cut short keeps its `cells_done`).
    pub status: String,
    pub cells_done: u32,
    pub cells_total: u32,
    /// The failing cell (1-based, among code cells).
    pub failed_cell: Option<u32>,
    pub error: Option<String>,
}

/// A run as the API and the page show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Run {
    pub id: i32,
    /// `queued`, `running`, `succeeded`, `failed`, `cancelled`.
    pub status: String,
    pub notebooks: Vec<RunNotebook>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When cancelling was asked while the run was `running`: it stays `running` until its
    /// worker notices (within about a second), then becomes `cancelled`.
    pub cancel_requested_at: Option<chrono::DateTime<chrono::Utc>>,
}
