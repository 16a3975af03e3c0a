#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An SSH public key a person added in their account settings; their hosting's guest gets it.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ssh_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    /// The key's comment, or a name the person gave it.
    pub name: String,
    /// `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, …
    pub algorithm: String,
    /// `<algorithm> <base64>` (the comment is kept in `name`).
    #[sea_orm(column_type = "Text")]
    pub public_key: String,
    /// `SHA256:<base64>`, as `ssh-keygen -l` prints it; unique per person.
    pub fingerprint: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}

/// A key as the settings page and the API show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SshKey {
    pub id: i32,
    pub name: String,
    pub algorithm: String,
    pub fingerprint: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// What a person pastes: one line of `~/.ssh/id_*.pub`, and an optional name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewSshKey {
    pub public_key: String,
    #[serde(default)]
    pub name: String,
}
