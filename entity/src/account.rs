//! The signed-in person as the shell sees them: their record and what the navigation may offer.

use serde::{Deserialize, Serialize};

use crate::user;

/// One's own account (`/auth/me`): the person, and the sections they may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Account {
    #[serde(flatten)]
    pub user: user::Model,
    #[serde(flatten)]
    pub capabilities: AccountCapabilities,
}

/// The sections of the app the person may use, computed by `service::policy`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AccountCapabilities {
    /// Manage the company's people and departments (the admin pages).
    pub can_manage_company: bool,
    /// Connect other tools through the REST API (the navigation offers the API documentation).
    pub can_integrate: bool,
}

/// An account is its person with a little more: pages read `account.name` as they would the record.
impl std::ops::Deref for Account {
    type Target = user::Model;

    fn deref(&self) -> &user::Model {
        &self.user
    }
}
