//! What the views tell a caller they may do, read the way a page reads it, so the matrix can
//! check that each capability agrees with whether the operation then succeeds.

use entity::{PageRequest, TaskStatus};
use service::curricula;
use service::forms::{self, FormQuery};
use service::mentorships::{self, MentorshipQuery};
use service::tasks::{self, memos};
use service::users;
use service::Actor;

use super::world::World;

/// The capability a page reads before offering an operation.
#[derive(Debug, Clone, Copy)]
pub enum Can {
    /// `can_create` on the mentorships list.
    CreateMentorship,
    EndMentorship,
    AddTask,
    EditTask,
    /// The task's `allowed_transitions` hold this status.
    Move(TaskStatus),
    Comment,
    EditMemo,
    DeleteMemo,
    /// `can_create` on the forms list.
    CreateForm,
    /// `can_manage` on the form.
    ManageForm,
    /// `can_create` on the curricula list.
    CreateCurriculum,
    EditCurriculum,
    CopyCurriculum,
    /// `can_manage_company` on one's own account: the navigation's admin pages.
    ManageCompany,
}

/// What the view says; a caller who cannot read the view is offered nothing.
pub async fn shown(w: &World, a: Option<&Actor>, can: Can) -> bool {
    let ctx = &w.ctx;
    let all = PageRequest::default();
    match can {
        Can::CreateMentorship => mentorships::list(ctx, a, MentorshipQuery::default(), all)
            .await
            .is_ok_and(|p| p.can_create),
        Can::EndMentorship => mentorships::get(ctx, a, w.mentorship)
            .await
            .is_ok_and(|m| m.capabilities.can_end),
        Can::AddTask => mentorships::get(ctx, a, w.mentorship)
            .await
            .is_ok_and(|m| m.capabilities.can_add_task),
        Can::EditTask => tasks::get(ctx, a, w.task)
            .await
            .is_ok_and(|t| t.capabilities.can_edit),
        Can::Move(to) => tasks::get(ctx, a, w.task)
            .await
            .is_ok_and(|t| t.allowed_transitions.contains(&to)),
        Can::Comment => tasks::get(ctx, a, w.task)
            .await
            .is_ok_and(|t| t.capabilities.can_comment),
        Can::EditMemo | Can::DeleteMemo => {
            let Ok(memos) = memos::list(ctx, a, w.task).await else {
                return false;
            };
            let memo = memos.iter().find(|m| m.memo.id == w.memo_by_mentee);
            memo.is_some_and(|m| match can {
                Can::EditMemo => m.capabilities.can_edit,
                _ => m.capabilities.can_delete,
            })
        }
        Can::CreateForm => forms::list(ctx, a, FormQuery::default(), all)
            .await
            .is_ok_and(|p| p.can_create),
        Can::ManageForm => forms::get(ctx, a, w.form).await.is_ok_and(|f| f.can_manage),
        Can::CreateCurriculum => curricula::list(ctx, a, false, all)
            .await
            .is_ok_and(|p| p.can_create),
        Can::EditCurriculum => curricula::get(ctx, a, w.curriculum)
            .await
            .is_ok_and(|c| c.capabilities.can_edit),
        Can::CopyCurriculum => curricula::get(ctx, a, w.curriculum)
            .await
            .is_ok_and(|c| c.capabilities.can_copy),
        Can::ManageCompany => users::me(a)
            .await
            .is_ok_and(|m| m.capabilities.can_manage_company),
    }
}
