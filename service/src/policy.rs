//! Who may do what. Every service operation asks here before it acts; the table-driven test below
//! is the one place that lists the whole matrix.
//!
//! Nobody sees another company's data: a company admin manages their own company, the platform
//! admin (the instance's first admin) manages every company.

use entity::Role;

use crate::{Actor, Result, ServiceError};

/// The facts about a caller that the rules depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub role: Role,
    pub company_id: Option<i32>,
    pub platform_admin: bool,
}

impl From<&Actor> for Caller {
    fn from(a: &Actor) -> Self {
        Caller {
            role: a.user.role,
            company_id: a.user.company_id,
            platform_admin: a.user.is_platform_admin && a.user.role == Role::Admin,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read one's own account (`/auth/me`, the dashboard).
    ViewOwnAccount,
    ChangeOwnPassword,
    LogoutEverywhere,
    /// Database timing, disk, uptime: operational detail for admins.
    ViewHealthDetails,
    CreateCompany,
    DeleteCompany(i32),
    /// See a company and its departments: its members.
    ViewCompany(i32),
    /// Rename or describe a company, manage its departments and people: its admins.
    ManageCompany(i32),
    /// Create an account with `role` in `company`.
    CreateUser {
        role: Role,
        company: i32,
    },
}

impl Action {
    /// Every action (on company 1), for the permission matrix test.
    pub const ALL: [Action; 11] = [
        Action::ViewOwnAccount,
        Action::ChangeOwnPassword,
        Action::LogoutEverywhere,
        Action::ViewHealthDetails,
        Action::CreateCompany,
        Action::DeleteCompany(1),
        Action::ViewCompany(1),
        Action::ManageCompany(1),
        Action::CreateUser {
            role: Role::Admin,
            company: 1,
        },
        Action::CreateUser {
            role: Role::Mentor,
            company: 1,
        },
        Action::CreateUser {
            role: Role::Mentee,
            company: 1,
        },
    ];
}

/// The rule itself (`None` = anonymous).
pub fn allowed(caller: Option<Caller>, action: Action) -> bool {
    use Action::*;
    let Some(c) = caller else {
        return false;
    };
    let member_of = |company: i32| c.platform_admin || c.company_id == Some(company);
    let admin_of =
        |company: i32| c.platform_admin || (c.role == Role::Admin && c.company_id == Some(company));
    match action {
        ViewOwnAccount | ChangeOwnPassword | LogoutEverywhere => true,
        ViewHealthDetails => c.role == Role::Admin,
        CreateCompany | DeleteCompany(_) => c.platform_admin,
        ViewCompany(company) => member_of(company),
        ManageCompany(company) | CreateUser { company, .. } => admin_of(company),
    }
}

/// Fails with `Unauthenticated` for anonymous callers and `Forbidden` for the rest.
pub fn require(actor: Option<&Actor>, action: Action) -> Result<&Actor> {
    match actor {
        None => Err(ServiceError::sign_in_required()),
        Some(a) if allowed(Some(Caller::from(a)), action) => Ok(a),
        Some(_) => Err(ServiceError::Forbidden),
    }
}

/// Like `require`, but a caller who may not even see the company learns nothing about the record:
/// it is `NotFound` rather than `Forbidden`.
pub fn require_visible<'a>(
    actor: Option<&'a Actor>,
    company: i32,
    action: Action,
    what: &'static str,
) -> Result<&'a Actor> {
    let actor = require(actor, Action::ViewOwnAccount)?;
    if !allowed(Some(Caller::from(actor)), Action::ViewCompany(company)) {
        return Err(ServiceError::NotFound { what });
    }
    require(Some(actor), action)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MENTEE: Caller = Caller {
        role: Role::Mentee,
        company_id: Some(1),
        platform_admin: false,
    };
    const MENTOR: Caller = Caller {
        role: Role::Mentor,
        company_id: Some(1),
        platform_admin: false,
    };
    const ADMIN: Caller = Caller {
        role: Role::Admin,
        company_id: Some(1),
        platform_admin: false,
    };
    const OTHER_ADMIN: Caller = Caller {
        role: Role::Admin,
        company_id: Some(2),
        platform_admin: false,
    };
    const OTHER_MENTEE: Caller = Caller {
        role: Role::Mentee,
        company_id: Some(2),
        platform_admin: false,
    };
    const PLATFORM: Caller = Caller {
        role: Role::Admin,
        company_id: None,
        platform_admin: true,
    };

    #[test]
    fn permission_matrix() {
        use Action::*;
        let (y, n) = (true, false);
        // action, then: anonymous, mentee, mentor, admin, other company's admin, other company's
        // mentee, platform admin. The target company is company 1.
        let matrix: &[(Action, [bool; 7])] = &[
            (ViewOwnAccount, [n, y, y, y, y, y, y]),
            (ChangeOwnPassword, [n, y, y, y, y, y, y]),
            (LogoutEverywhere, [n, y, y, y, y, y, y]),
            (ViewHealthDetails, [n, n, n, y, y, n, y]),
            (CreateCompany, [n, n, n, n, n, n, y]),
            (DeleteCompany(1), [n, n, n, n, n, n, y]),
            (ViewCompany(1), [n, y, y, y, n, n, y]),
            (ManageCompany(1), [n, n, n, y, n, n, y]),
            (
                CreateUser {
                    role: Role::Admin,
                    company: 1,
                },
                [n, n, n, y, n, n, y],
            ),
            (
                CreateUser {
                    role: Role::Mentor,
                    company: 1,
                },
                [n, n, n, y, n, n, y],
            ),
            (
                CreateUser {
                    role: Role::Mentee,
                    company: 1,
                },
                [n, n, n, y, n, n, y],
            ),
        ];
        assert_eq!(
            matrix.len(),
            Action::ALL.len(),
            "every action is in the matrix"
        );
        let callers = [
            None,
            Some(MENTEE),
            Some(MENTOR),
            Some(ADMIN),
            Some(OTHER_ADMIN),
            Some(OTHER_MENTEE),
            Some(PLATFORM),
        ];
        for action in Action::ALL {
            let (_, row) = matrix
                .iter()
                .find(|r| r.0 == action)
                .unwrap_or_else(|| panic!("{action:?} is missing from the matrix"));
            for (caller, expected) in callers.iter().zip(row) {
                assert_eq!(
                    allowed(*caller, action),
                    *expected,
                    "{caller:?} × {action:?}"
                );
            }
        }
    }

    #[test]
    fn the_platform_flag_only_counts_for_admins() {
        let demoted = Caller {
            role: Role::Mentor,
            company_id: None,
            platform_admin: false,
        };
        assert!(!allowed(Some(demoted), Action::CreateCompany));
    }
}
