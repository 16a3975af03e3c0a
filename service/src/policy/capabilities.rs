//! What a caller may do with a record, sent with its view so pages only read it. Each value is the
//! `allowed` check the operation itself makes (the same `Action`), plus whether the record can
//! still change at all (`open`: the mentorship is active), so a page offers exactly the actions
//! that would succeed.

use entity::account::AccountCapabilities;
use entity::mentoring::{
    CurriculumCapabilities, MemoCapabilities, MentorshipCapabilities, TaskCapabilities,
};

use super::{allowed, Action, Caller, Pairing};

pub fn mentorship(caller: Option<Caller>, pairing: Pairing, open: bool) -> MentorshipCapabilities {
    let manage = open && allowed(caller, Action::ManageMentorship(pairing));
    MentorshipCapabilities {
        can_end: manage,
        can_add_task: manage,
    }
}

pub fn task(caller: Option<Caller>, pairing: Pairing, open: bool) -> TaskCapabilities {
    let manage = open && allowed(caller, Action::ManageMentorship(pairing));
    TaskCapabilities {
        can_edit: manage,
        can_delete: manage,
        can_comment: allowed(caller, Action::CommentOnTask(pairing)),
    }
}

/// A memo of a task in `company`, written by `author` (`None`: an account since removed).
pub fn memo(caller: Option<Caller>, company: i32, author: Option<i32>) -> MemoCapabilities {
    MemoCapabilities {
        can_edit: allowed(caller, Action::edit_memo(company, author)),
        can_delete: allowed(caller, Action::delete_memo(company, author)),
    }
}

pub fn curriculum(caller: Option<Caller>, company: i32) -> CurriculumCapabilities {
    let manage = allowed(caller, Action::ManageCompany(company));
    CurriculumCapabilities {
        can_edit: manage,
        can_delete: manage,
        can_copy: manage,
    }
}

/// The sections of the app `caller` may use: what the navigation offers.
pub fn account(caller: Caller, company: Option<i32>) -> AccountCapabilities {
    AccountCapabilities {
        can_manage_company: company
            .is_some_and(|c| allowed(Some(caller), Action::ManageCompany(c))),
        can_integrate: allowed(Some(caller), Action::BuildIntegrations),
    }
}
