#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a hosting is in its life. Lower case on the wire (the seed's REST contract).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum HostingStatus {
    Creating,
    Running,
    Stopping,
    Stopped,
    Deleting,
    Deleted,
    Error,
}

impl HostingStatus {
    pub const ALL: [HostingStatus; 7] = [
        HostingStatus::Creating,
        HostingStatus::Running,
        HostingStatus::Stopping,
        HostingStatus::Stopped,
        HostingStatus::Deleting,
        HostingStatus::Deleted,
        HostingStatus::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HostingStatus::Creating => "creating",
            HostingStatus::Running => "running",
            HostingStatus::Stopping => "stopping",
            HostingStatus::Stopped => "stopped",
            HostingStatus::Deleting => "deleting",
            HostingStatus::Deleted => "deleted",
            HostingStatus::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// A state a job is moving the hosting out of: the page polls quickly.
    pub fn is_transitional(self) -> bool {
        matches!(
            self,
            HostingStatus::Creating | HostingStatus::Stopping | HostingStatus::Deleting
        )
    }
}

/// One person's hosting: a VM on one of the configured hypervisors, an SSH port and a web
/// address through nginx. The row outlives the VM (`deleted`) so its timeline stays readable;
/// `live_owner` is the owner's id until then and is unique, so a person has one live hosting
/// however many requests race to create it.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hosting")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    pub company_id: Option<i32>,
    #[sea_orm(unique)]
    pub live_owner: Option<i32>,
    /// `HostingStatus` in lower case.
    pub status: String,
    /// The operation a job is carrying out (`create`, `start`, `stop`, `restart`, `delete`).
    pub op: Option<String>,
    /// The step that operation is at (`allocate`, `seed`, `define`, `start`, `wait`, `rule`, …).
    pub step: Option<String>,
    /// The libvirt URI of the hypervisor the VM was placed on.
    pub host: Option<String>,
    /// The libvirt domain's name (`nuri-<instance>-<id>`): unique across instances sharing a host.
    pub vm_name: String,
    #[sea_orm(unique)]
    pub ssh_port: Option<i32>,
    /// The host port the guest's port 80 is forwarded to: the address nginx proxies to.
    #[sea_orm(unique)]
    pub http_port: Option<i32>,
    pub memory_mib: i32,
    pub vcpus: i32,
    pub disk_mib: i32,
    pub job_id: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub ready_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}

#[cfg(feature = "ssr")]
impl Model {
    pub fn status(&self) -> HostingStatus {
        HostingStatus::parse(&self.status).unwrap_or(HostingStatus::Error)
    }
}

/// Every transition, in order: the page's timeline (`hosting_event` rows).
#[cfg(feature = "ssr")]
pub mod event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hosting_event")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub hosting_id: i32,
        pub from_status: String,
        pub to_status: String,
        pub step: String,
        #[sea_orm(column_type = "Text")]
        pub message: String,
        pub at: chrono::DateTime<chrono::Utc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A hosting as its owner sees it (`GET /api/v1/host/my`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Hosting {
    pub id: i32,
    pub status: HostingStatus,
    /// The libvirt domain's name.
    pub vm_id: String,
    pub ssh_port: Option<u16>,
    /// `http://<host>/<user id>/`, once the rule is live.
    pub web_url: Option<String>,
    pub ssh_command: Option<String>,
    pub sftp_command: Option<String>,
    /// The hypervisor (libvirt URI) the VM runs on.
    pub host: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Why the last operation failed (`status` is then `error`, or the operation was undone).
    pub error: Option<String>,
    /// The operation in flight, if any (`create`, `start`, `stop`, `restart`, `delete`).
    pub op: Option<String>,
    /// The step that operation is at.
    pub step: Option<String>,
    /// When the operation in flight began: the page shows the time since.
    pub op_started_at: Option<chrono::DateTime<chrono::Utc>>,
    pub memory_mib: u32,
    pub vcpus: u32,
    pub disk_mib: u32,
}

impl Hosting {
    /// The page polls quickly while this is true.
    pub fn is_busy(&self) -> bool {
        self.op.is_some() || self.status.is_transitional()
    }
}

/// One transition of a hosting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HostingEvent {
    pub from: HostingStatus,
    pub to: HostingStatus,
    /// A stable code the page translates (`allocate`, `define`, `wait`, `rule`, `rollback`, …).
    pub step: String,
    pub message: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// The hosting page's data in one answer: whether hosting is offered here, the hosting (if
/// any) and its timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HostingView {
    /// `None` when a hypervisor answers; else what is wrong and how to configure one.
    pub unavailable: Option<String>,
    pub hosting: Option<Hosting>,
    pub events: Vec<HostingEvent>,
    /// Whether the caller has SSH keys (the page suggests adding one before creating).
    pub ssh_keys: u32,
}

/// A row of the admin overview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HostingRow {
    pub id: i32,
    pub owner_id: i32,
    pub owner_name: String,
    pub owner_email: String,
    pub status: HostingStatus,
    pub op: Option<String>,
    pub host: Option<String>,
    pub vm_id: String,
    pub ssh_port: Option<u16>,
    pub http_port: Option<u16>,
    pub error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// How many hostings are in each state (the admin overview's totals).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HostingTotal {
    pub status: HostingStatus,
    pub count: u64,
}
