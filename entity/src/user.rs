#[cfg(feature = "ssr")]
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::Role;

/// A person. Safe to send to the client: the password lives in `credential`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(DeriveEntityModel),
    sea_orm(table_name = "user")
)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = User))]
pub struct Model {
    #[cfg_attr(feature = "ssr", sea_orm(primary_key))]
    pub id: i32,
    #[cfg_attr(feature = "ssr", sea_orm(unique))]
    pub email: String,
    pub name: String,
    /// `natural::key(name)`: what lists sort by. Kept with the name by whoever writes it.
    #[serde(skip)]
    pub name_key: String,
    pub role: Role,
    /// The company the person belongs to; `None` only for the platform admin.
    pub company_id: Option<i32>,
    pub department_id: Option<i32>,
    /// The first admin of the instance: manages every company.
    pub is_platform_admin: bool,
    pub is_active: bool,
    /// Bumped on password change and "log out everywhere": every session and JWT that carries an
    /// older version stops working at once.
    #[serde(skip)]
    pub token_version: i32,
    pub must_change_password: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A person as the people list shows them: the account, and whether its sign-in is locked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Person {
    #[serde(flatten)]
    pub user: Model,
    /// Sign-in is refused until then after too many wrong passwords (an admin can unlock it
    /// sooner); `null` when it is not locked.
    pub locked_until: Option<chrono::DateTime<chrono::Utc>>,
}

#[cfg(feature = "ssr")]
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[cfg(feature = "ssr")]
impl ActiveModelBehavior for ActiveModel {}
