//! Who may do what. Every service operation asks here before it acts; the table-driven test below
//! is the one place that lists the whole matrix.
//!
//! Nobody sees another company's data: a company admin manages their own company, the platform
//! admin (the instance's first admin) manages every company.

pub mod capabilities;

use entity::Role;

use crate::{Actor, Result, ServiceError};

/// The facts about a caller that the rules depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub user_id: i32,
    pub role: Role,
    pub company_id: Option<i32>,
    pub platform_admin: bool,
}

impl From<&Actor> for Caller {
    fn from(a: &Actor) -> Self {
        Caller {
            user_id: a.user.id,
            role: a.user.role,
            company_id: a.user.company_id,
            platform_admin: a.user.is_platform_admin && a.user.role == Role::Admin,
        }
    }
}

/// Who a mentorship (and every task and memo in it) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pairing {
    pub company: i32,
    pub mentor: i32,
    pub mentee: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Tests walk every kind of action (`ActionKind`, derived), so none can be left out of the matrix.
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(name(ActionKind), derive(strum::EnumIter)))]
pub enum Action {
    /// Read one's own account (`/auth/me`, the dashboard).
    ViewOwnAccount,
    ChangeOwnPassword,
    LogoutEverywhere,
    /// Database timing, disk, uptime: operational detail for admins.
    ViewHealthDetails,
    /// Connect other tools through the REST API (the navigation offers its documentation): mentors
    /// and admins. Mentees use the app; the API itself answers them as it answers the app.
    BuildIntegrations,
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
    /// Pick `company`'s active users by name (mentors and mentees for a mentorship, recipients of
    /// a form): its mentors and admins.
    PickUsers(i32),
    /// Pair a mentor with a mentee in `company`: its admins.
    CreateMentorship(i32),
    /// See a mentorship, its tasks and memos: its mentor, its mentee, the company's admins.
    ViewMentorship(Pairing),
    /// End or cancel a mentorship, add or edit its tasks: its mentor and the company's admins.
    ManageMentorship(Pairing),
    /// Move a task along (start it, send it to review): the mentee (and admins).
    WorkOnTask(Pairing),
    /// Approve a task or request changes: the mentor (and admins).
    ReviewTask(Pairing),
    /// Write a memo on a task: whoever may see the mentorship.
    CommentOnTask(Pairing),
    /// Edit a memo: its author only.
    EditMemo {
        company: i32,
        author: i32,
    },
    /// Delete a memo: its author or the company's admins.
    DeleteMemo {
        company: i32,
        author: i32,
    },
    /// Build and send forms in `company`: its mentors and admins.
    CreateForm(i32),
    /// Change a form, close it, see its answers and export them: its author and the company's admins.
    ManageForm {
        company: i32,
        owner: i32,
    },
    /// Answer a form: the people it was sent to.
    AnswerForm {
        company: i32,
        recipient: bool,
    },
    /// Make a workspace of one's own: everyone signed in.
    CreateWorkspace,
    /// Open a workspace, its files, its Jupyter server and its runs: its owner only (admins too
    /// see that it exists, never what is in it).
    UseWorkspace {
        company: Option<i32>,
        owner: i32,
    },
    /// See a company's workspaces (`None`: of people in no company) — name, owner, size, Jupyter
    /// state, never files — and stop their JupyterLab: its admins; the platform admin for all.
    ManageWorkspaces(Option<i32>),
    /// Have a hosting of one's own (create, start, stop, delete it): everyone signed in.
    UseHosting,
    /// See every hosting of a company (`None`: of people in no company) and force one to stop
    /// or go: its admins; the platform admin for all.
    ManageHostings(Option<i32>),
}

impl Action {
    /// Edit a memo by `author` (`None`: an account since removed, whose memos nobody edits).
    pub fn edit_memo(company: i32, author: Option<i32>) -> Action {
        Action::EditMemo {
            company,
            author: author.unwrap_or(NOBODY),
        }
    }

    /// Delete a memo by `author` (`None`: an account since removed; admins still may).
    pub fn delete_memo(company: i32, author: Option<i32>) -> Action {
        Action::DeleteMemo {
            company,
            author: author.unwrap_or(NOBODY),
        }
    }
}

/// An id no caller has.
const NOBODY: i32 = -1;

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
        BuildIntegrations => c.role != Role::Mentee,
        CreateCompany | DeleteCompany(_) => c.platform_admin,
        ViewCompany(company) => member_of(company),
        ManageCompany(company) | CreateUser { company, .. } | CreateMentorship(company) => {
            admin_of(company)
        }
        ViewMentorship(p) | CommentOnTask(p) => {
            admin_of(p.company)
                || (member_of(p.company) && (c.user_id == p.mentor || c.user_id == p.mentee))
        }
        ManageMentorship(p) | ReviewTask(p) => {
            admin_of(p.company) || (member_of(p.company) && c.user_id == p.mentor)
        }
        WorkOnTask(p) => admin_of(p.company) || (member_of(p.company) && c.user_id == p.mentee),
        EditMemo { company, author } => member_of(company) && c.user_id == author,
        DeleteMemo { company, author } => {
            admin_of(company) || (member_of(company) && c.user_id == author)
        }
        CreateForm(company) | PickUsers(company) => {
            admin_of(company) || (member_of(company) && c.role == Role::Mentor)
        }
        ManageForm { company, owner } => {
            admin_of(company) || (member_of(company) && c.user_id == owner)
        }
        AnswerForm { company, recipient } => member_of(company) && recipient,
        CreateWorkspace => true,
        UseWorkspace { company, owner } => c.user_id == owner && c.company_id == company,
        ManageWorkspaces(company) => c.platform_admin || company.is_some_and(admin_of),
        UseHosting => true,
        ManageHostings(company) => c.platform_admin || company.is_some_and(admin_of),
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
    use strum::IntoEnumIterator;

    use super::*;

    /// Mentorship `PAIR` pairs mentor 20 with mentee 10 in company 1.
    const MENTEE_ID: i32 = 10;
    const MENTOR_ID: i32 = 20;
    const PAIR: Pairing = Pairing {
        company: 1,
        mentor: MENTOR_ID,
        mentee: MENTEE_ID,
    };

    const fn caller(user_id: i32, role: Role, company: i32) -> Caller {
        Caller {
            user_id,
            role,
            company_id: Some(company),
            platform_admin: false,
        }
    }

    // Company 1 holds mentorship PAIR (mentor 20, mentee 10); 11 and 21 are another mentee and
    // mentor of the same company.
    const MENTEE: Caller = caller(MENTEE_ID, Role::Mentee, 1);
    const OTHER_MENTEE: Caller = caller(11, Role::Mentee, 1);
    const MENTOR: Caller = caller(MENTOR_ID, Role::Mentor, 1);
    const OTHER_MENTOR: Caller = caller(21, Role::Mentor, 1);
    const ADMIN: Caller = caller(1, Role::Admin, 1);
    const OTHER_ADMIN: Caller = caller(2, Role::Admin, 2);
    // Someone of company 2 who carries company 1's ids must still see nothing.
    const FOREIGN_MENTEE: Caller = caller(MENTEE_ID, Role::Mentee, 2);
    const PLATFORM: Caller = Caller {
        user_id: 3,
        role: Role::Admin,
        company_id: None,
        platform_admin: true,
    };

    #[test]
    fn permission_matrix() {
        use Action::*;
        let (y, n) = (true, false);
        // Columns: anonymous, mentee, other mentee, mentor, other mentor, admin,
        // other company's admin, other company's mentee, platform admin.
        let matrix: &[(Action, [bool; 9])] = &[
            (ViewOwnAccount, [n, y, y, y, y, y, y, y, y]),
            (ChangeOwnPassword, [n, y, y, y, y, y, y, y, y]),
            (LogoutEverywhere, [n, y, y, y, y, y, y, y, y]),
            (ViewHealthDetails, [n, n, n, n, n, y, y, n, y]),
            (BuildIntegrations, [n, n, n, y, y, y, y, n, y]),
            (CreateCompany, [n, n, n, n, n, n, n, n, y]),
            (DeleteCompany(1), [n, n, n, n, n, n, n, n, y]),
            (ViewCompany(1), [n, y, y, y, y, y, n, n, y]),
            (ManageCompany(1), [n, n, n, n, n, y, n, n, y]),
            (
                CreateUser {
                    role: Role::Admin,
                    company: 1,
                },
                [n, n, n, n, n, y, n, n, y],
            ),
            (
                CreateUser {
                    role: Role::Mentor,
                    company: 1,
                },
                [n, n, n, n, n, y, n, n, y],
            ),
            (
                CreateUser {
                    role: Role::Mentee,
                    company: 1,
                },
                [n, n, n, n, n, y, n, n, y],
            ),
            (PickUsers(1), [n, n, n, y, y, y, n, n, y]),
            (CreateMentorship(1), [n, n, n, n, n, y, n, n, y]),
            (ViewMentorship(PAIR), [n, y, n, y, n, y, n, n, y]),
            (ManageMentorship(PAIR), [n, n, n, y, n, y, n, n, y]),
            (WorkOnTask(PAIR), [n, y, n, n, n, y, n, n, y]),
            (ReviewTask(PAIR), [n, n, n, y, n, y, n, n, y]),
            (CommentOnTask(PAIR), [n, y, n, y, n, y, n, n, y]),
            (
                EditMemo {
                    company: 1,
                    author: MENTEE_ID,
                },
                [n, y, n, n, n, n, n, n, n],
            ),
            (
                EditMemo {
                    company: 1,
                    author: MENTOR_ID,
                },
                [n, n, n, y, n, n, n, n, n],
            ),
            (
                DeleteMemo {
                    company: 1,
                    author: MENTEE_ID,
                },
                [n, y, n, n, n, y, n, n, y],
            ),
            (CreateForm(1), [n, n, n, y, y, y, n, n, y]),
            (
                ManageForm {
                    company: 1,
                    owner: MENTOR_ID,
                },
                [n, n, n, y, n, y, n, n, y],
            ),
            (
                AnswerForm {
                    company: 1,
                    recipient: true,
                },
                [n, y, y, y, y, y, n, n, y],
            ),
            (CreateWorkspace, [n, y, y, y, y, y, y, y, y]),
            (
                UseWorkspace {
                    company: Some(1),
                    owner: MENTEE_ID,
                },
                [n, y, n, n, n, n, n, n, n],
            ),
            (ManageWorkspaces(Some(1)), [n, n, n, n, n, y, n, n, y]),
            (ManageWorkspaces(None), [n, n, n, n, n, n, n, n, y]),
            (UseHosting, [n, y, y, y, y, y, y, y, y]),
            (ManageHostings(Some(1)), [n, n, n, n, n, y, n, n, y]),
            (ManageHostings(None), [n, n, n, n, n, n, n, n, y]),
        ];
        for kind in ActionKind::iter() {
            assert!(
                matrix
                    .iter()
                    .any(|(action, _)| ActionKind::from(action) == kind),
                "{kind:?} is missing from the matrix"
            );
        }
        let callers = [
            None,
            Some(MENTEE),
            Some(OTHER_MENTEE),
            Some(MENTOR),
            Some(OTHER_MENTOR),
            Some(ADMIN),
            Some(OTHER_ADMIN),
            Some(FOREIGN_MENTEE),
            Some(PLATFORM),
        ];
        for (action, row) in matrix {
            for (caller, expected) in callers.iter().zip(row) {
                assert_eq!(
                    allowed(*caller, *action),
                    *expected,
                    "{caller:?} × {action:?}"
                );
            }
        }
    }

    #[test]
    fn only_recipients_answer_forms() {
        let not_sent = Action::AnswerForm {
            company: 1,
            recipient: false,
        };
        for c in [MENTEE, MENTOR, ADMIN, PLATFORM] {
            assert!(!allowed(Some(c), not_sent), "{c:?}");
        }
    }

    fn actor(role: Role, is_platform_admin: bool) -> Actor {
        let now = chrono::Utc::now();
        Actor {
            user: entity::user::Model {
                id: 3,
                email: "someone@example.com".into(),
                name: "Someone".into(),
                name_key: "someone".into(),
                role,
                company_id: None,
                department_id: None,
                is_platform_admin,
                is_active: true,
                token_version: 0,
                must_change_password: false,
                created_at: now,
                updated_at: now,
            },
            via: crate::AuthMethod::Session,
        }
    }

    /// A platform admin later made a mentor keeps the stored flag; it must stop counting.
    #[test]
    fn the_platform_flag_only_counts_for_admins() {
        let platform = Caller::from(&actor(Role::Admin, true));
        assert!(platform.platform_admin);
        assert!(allowed(Some(platform), Action::CreateCompany));
        for role in [Role::Mentor, Role::Mentee] {
            let demoted = Caller::from(&actor(role, true));
            assert!(!demoted.platform_admin, "{role}");
            assert!(!allowed(Some(demoted), Action::CreateCompany), "{role}");
            assert!(!allowed(Some(demoted), Action::ViewCompany(1)), "{role}");
        }
        assert!(!Caller::from(&actor(Role::Admin, false)).platform_admin);
    }
}
