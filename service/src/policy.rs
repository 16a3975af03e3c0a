//! Who may do what. Every service operation asks here before it acts; the table-driven test below
//! is the one place that lists the whole matrix.

use entity::Role;

use crate::{Actor, Result, ServiceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read one's own account (`/auth/me`, the dashboard).
    ViewOwnAccount,
    ChangeOwnPassword,
    LogoutEverywhere,
    /// Create an account with the given role.
    CreateUser(Role),
    ListUsers,
    /// Database timing, disk, uptime: operational detail for admins.
    ViewHealthDetails,
}

impl Action {
    /// Every action, for the permission matrix test.
    pub const ALL: [Action; 8] = [
        Action::ViewOwnAccount,
        Action::ChangeOwnPassword,
        Action::LogoutEverywhere,
        Action::CreateUser(Role::Admin),
        Action::CreateUser(Role::Mentor),
        Action::CreateUser(Role::Mentee),
        Action::ListUsers,
        Action::ViewHealthDetails,
    ];
}

/// The rule itself, on the caller's role alone (`None` = anonymous).
pub fn allowed(role: Option<Role>, action: Action) -> bool {
    use Action::*;
    let Some(role) = role else {
        return false;
    };
    match action {
        ViewOwnAccount | ChangeOwnPassword | LogoutEverywhere => true,
        CreateUser(_) | ListUsers | ViewHealthDetails => role == Role::Admin,
    }
}

/// Fails with `Unauthenticated` for anonymous callers and `Forbidden` for the rest.
pub fn require(actor: Option<&Actor>, action: Action) -> Result<&Actor> {
    match actor {
        None => Err(ServiceError::sign_in_required()),
        Some(a) if allowed(Some(a.role()), action) => Ok(a),
        Some(_) => Err(ServiceError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_matrix() {
        use Action::*;
        // (action, anonymous, mentee, mentor, admin)
        let matrix: &[(Action, bool, bool, bool, bool)] = &[
            (ViewOwnAccount, false, true, true, true),
            (ChangeOwnPassword, false, true, true, true),
            (LogoutEverywhere, false, true, true, true),
            (CreateUser(Role::Admin), false, false, false, true),
            (CreateUser(Role::Mentor), false, false, false, true),
            (CreateUser(Role::Mentee), false, false, false, true),
            (ListUsers, false, false, false, true),
            (ViewHealthDetails, false, false, false, true),
        ];
        assert_eq!(
            matrix.len(),
            Action::ALL.len(),
            "every action is in the matrix"
        );
        for action in Action::ALL {
            let row = matrix
                .iter()
                .find(|r| r.0 == action)
                .unwrap_or_else(|| panic!("{action:?} is missing from the matrix"));
            let callers = [
                (None, row.1),
                (Some(Role::Mentee), row.2),
                (Some(Role::Mentor), row.3),
                (Some(Role::Admin), row.4),
            ];
            for (role, expected) in callers {
                assert_eq!(allowed(role, action), expected, "{role:?} × {action:?}");
            }
        }
    }
}
