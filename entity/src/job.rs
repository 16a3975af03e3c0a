#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Work that outlives a request (start a Jupyter server, run notebooks): the request records it
/// and answers at once; a worker claims it with a lease, so two replicas never run one job.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `jupyter_start`, `notebook_run`, …
    pub kind: String,
    /// The record the job is about (a workspace, a run).
    pub subject_id: i32,
    /// `queued`, `running`, `done`, `failed`.
    pub state: String,
    pub attempts: i32,
    /// A running job whose lease passed was abandoned (its worker died): it may be claimed again.
    pub lease_until: Option<chrono::DateTime<chrono::Utc>>,
    #[sea_orm(column_type = "Text", nullable)]
    pub error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}

/// One step of a job, when it happened (`job_step` rows).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Step {
    /// A stable code the UI translates (`queued`, `port`, `spawned`, `ready`, `failed`, …).
    pub step: String,
    pub detail: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

#[cfg(feature = "ssr")]
pub mod step {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "job_step")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub job_id: i32,
        pub step: String,
        #[sea_orm(column_type = "Text")]
        pub detail: String,
        pub at: chrono::DateTime<chrono::Utc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
