#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A person's data-analysis workspace: a folder tree under the data dir
/// (`workspaces/<user_id>/<id>/`), its name unique among its owner's workspaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(DeriveEntityModel),
    sea_orm(table_name = "workspace")
)]
pub struct Model {
    #[cfg_attr(feature = "ssr", sea_orm(primary_key))]
    pub id: i32,
    pub user_id: i32,
    pub name: String,
    #[cfg_attr(feature = "ssr", sea_orm(column_type = "Text"))]
    pub description: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}

/// A workspace as the API and the pages show it: with the bytes its files take on disk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Workspace {
    pub id: i32,
    pub name: String,
    pub description: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub size_bytes: u64,
    /// `stopped`, `starting`, `running`, `stopping` or `failed`.
    pub jupyter: String,
}

/// How much of the owner's quota their workspaces use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Usage {
    pub used_bytes: u64,
    pub quota_bytes: u64,
}

/// One file or folder in a workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FileEntry {
    pub name: String,
    /// From the workspace root, `/`-separated.
    pub path: String,
    /// `file` or `dir`.
    pub kind: String,
    /// Bytes (0 for a folder).
    pub size: u64,
    pub modified: Option<chrono::DateTime<chrono::Utc>>,
}

impl FileEntry {
    pub fn is_dir(&self) -> bool {
        self.kind == "dir"
    }
}

/// A folder's entries: folders first, then files, each in the order asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Listing {
    pub path: String,
    pub entries: Vec<FileEntry>,
}

/// The caller's workspaces and their usage, for the list page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceList {
    pub items: Vec<Workspace>,
    pub usage: Usage,
}

/// Everything one workspace's page shows: a folder, perhaps a file's preview, JupyterLab, runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceView {
    pub workspace: Workspace,
    pub listing: Listing,
    /// The file asked for with `?file=`, and how it looks.
    pub preview: Option<(FileEntry, crate::preview::Preview)>,
    pub jupyter: crate::jupyter::JupyterStatus,
    /// The latest runs, newest first.
    pub runs: Vec<crate::notebook_run::Run>,
    /// Notebooks to run, from `notebooks/` in natural order.
    pub notebooks: Vec<String>,
    /// Where things can be moved to.
    pub folders: FolderList,
    pub usage: Usage,
}

/// A workspace as an admin oversees it: whose it is, what it takes on disk and its JupyterLab —
/// never what is in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WorkspaceRow {
    pub id: i32,
    pub name: String,
    pub owner_id: i32,
    pub owner_name: String,
    pub owner_email: String,
    pub size_bytes: u64,
    /// `stopped`, `starting`, `running`, `stopping` or `failed`.
    pub jupyter: String,
    /// When the running (or last) JupyterLab was started.
    pub jupyter_started_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The last request that reached it through nuri (recorded every 30 s at most).
    pub last_activity: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Counts over every workspace an admin oversees.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WorkspaceTotals {
    pub workspaces: u64,
    /// JupyterLab servers running or starting now.
    pub jupyter_active: u64,
}

/// Every folder of a workspace, for a "move to" picker: the root as `""`, then depth-first with
/// each folder's subfolders in natural order. `truncated` when there were more than were listed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FolderList {
    pub folders: Vec<String>,
    pub truncated: bool,
}

/// One path of a many-at-once request that could not be done, and why (`code` is stable,
/// `error` is for people): e.g. `not_found` when it vanished meanwhile, `exists` on a name clash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ItemFailure {
    pub path: String,
    pub code: String,
    pub error: String,
}

/// What a delete of many paths did: each path is in one of the two lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Deleted {
    pub deleted: Vec<String>,
    pub failed: Vec<ItemFailure>,
}

/// One path moved, and where it is now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MovedItem {
    pub from: String,
    pub to: String,
}

/// What a move of many paths into one folder did: each path is in one of the two lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Moved {
    pub moved: Vec<MovedItem>,
    pub failed: Vec<ItemFailure>,
}
