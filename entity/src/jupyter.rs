#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The Jupyter server of one workspace as recorded: what it should be (`state`) and where it
/// listens. The port is unique across rows, which is how two starts never share one. Never sent
/// to a client: the token stays on the server.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jupyter_server")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub workspace_id: i32,
    pub state: String,
    #[sea_orm(unique)]
    pub port: Option<i32>,
    pub token: String,
    pub pid: Option<i32>,
    /// The start job now in charge (its steps are the progress the page shows).
    pub job_id: Option<i32>,
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    pub ready_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_activity: Option<chrono::DateTime<chrono::Utc>>,
    #[sea_orm(column_type = "Text", nullable)]
    pub error: Option<String>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}

/// What the page and `GET /workspaces/{id}/jupyter` show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JupyterStatus {
    /// `stopped`, `starting`, `running`, `stopping` or `failed`.
    pub state: String,
    /// Where JupyterLab opens (through nuri), while running.
    pub url: Option<String>,
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    pub ready_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_activity: Option<chrono::DateTime<chrono::Utc>>,
    /// Why the last start failed (the end of the server's log).
    pub error: Option<String>,
    /// The steps of the latest start, with their times.
    pub steps: Vec<crate::job::Step>,
}
