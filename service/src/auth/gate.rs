//! An account whose password was reset (by an admin or an import) must replace it before it does
//! anything else. The doors decide once per request which errand it runs (server/src/actor.rs maps
//! routes to errands); the rule itself is here, so a bearer token and a browser session meet the
//! same gate.

use crate::{Actor, Result, ServiceError};

/// What a request is for, as far as the gate cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Errand {
    /// Reading one's own account (`me`): the pages need it to send the person to /account.
    ReadOwnAccount,
    ChangePassword,
    SignOut,
    /// Everything else.
    Other,
}

/// Lets `actor` run `errand`, or refuses with `password_change_required` while the account's
/// password must change and the errand is not one of the few that lead there.
pub fn admit(actor: &Actor, errand: Errand) -> Result<()> {
    if actor.user.must_change_password && errand == Errand::Other {
        return Err(ServiceError::PasswordChangeRequired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AuthMethod;

    fn actor(must_change_password: bool) -> Actor {
        let now = chrono::Utc::now();
        Actor {
            user: entity::user::Model {
                id: 1,
                email: "kim@example.com".into(),
                name: "Kim".into(),
                name_key: "kim".into(),
                role: entity::Role::Mentee,
                company_id: Some(1),
                department_id: None,
                is_platform_admin: false,
                is_active: true,
                token_version: 0,
                must_change_password,
                created_at: now,
                updated_at: now,
            },
            via: AuthMethod::Session,
        }
    }

    #[test]
    fn a_reset_account_may_only_read_itself_change_its_password_and_sign_out() {
        let reset = actor(true);
        for errand in [
            Errand::ReadOwnAccount,
            Errand::ChangePassword,
            Errand::SignOut,
        ] {
            assert!(admit(&reset, errand).is_ok(), "{errand:?}");
        }
        let refused = admit(&reset, Errand::Other).unwrap_err();
        assert_eq!(refused.code(), "password_change_required");
        assert_eq!(refused.kind(), entity::ErrorKind::Forbidden);
        assert!(admit(&actor(false), Errand::Other).is_ok());
    }
}
