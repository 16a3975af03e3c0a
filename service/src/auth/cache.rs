//! What resolving a caller needs (the user row, the token family), kept in memory for at most
//! [`TTL`] so a busy client does not cost database round trips on every request.
//!
//! Revocation bound: a change made through this process (password change, log out everywhere,
//! deactivation, role change, token logout, refresh-token theft) drops the entries at once. A
//! change made anywhere else — another replica, the CLI, a restore, hand-written SQL — is seen
//! within [`TTL`] (one second) of its commit, because no entry is used once it is older than that.
//! A shared revocation counter polled once a second would give the same bound but only for
//! writers that remember to bump it; the short life covers every writer and needs no schema.

use std::time::Duration;

use entity::user;

pub use crate::cache::TtlCache;

/// How long an entry may be used: the cross-replica revocation bound.
pub const TTL: Duration = Duration::from_secs(1);
/// Entries per map; past it the expired go first, then everything (a burst of that many distinct
/// callers inside one second costs at most one extra query each).
pub const CAPACITY: usize = 4096;

/// A token family as `authenticate_bearer` needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FamilyState {
    pub user_id: i32,
    pub revoked: bool,
}

/// The caller-resolution cache of one process (one per `Ctx`).
pub struct AuthCache {
    pub(crate) users: TtlCache<i32, user::Model>,
    pub(crate) families: TtlCache<String, FamilyState>,
}

impl Default for AuthCache {
    fn default() -> Self {
        Self {
            users: TtlCache::new(TTL, CAPACITY),
            families: TtlCache::new(TTL, CAPACITY),
        }
    }
}

impl AuthCache {
    /// After a change to `user_id`'s row (call it once the change has committed). Its token
    /// families go too: they are not indexed by user and such changes are rare.
    pub fn forget_user(&self, user_id: i32) {
        self.users.remove(&user_id);
        self.families.clear();
    }

    /// After a token family was revoked (once committed).
    pub fn forget_family(&self, family_id: &str) {
        self.families.remove(family_id);
    }

    /// Everything, e.g. after a restore.
    pub fn forget_all(&self) {
        self.users.clear();
        self.families.clear();
    }
}
