//! The fixture the permission matrix runs against, rebuilt to the same state before each attempt.

use entity::{memo, mentorship, task, MentorshipStatus, PageRequest, TaskStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use service::curricula::{self, CurriculumInput, TaskInput};
use service::forms::{self, FormInput, QuestionInput};
use service::mentorships::{self, MentorshipInput};
use service::tasks::{self, memos, TaskQuery};
use service::testing::People;
use service::{Actor, Ctx};

/// The fixture every operation runs against: mentorship `m` pairs the mentor with the mentee.
#[derive(Clone)]
pub struct World {
    pub ctx: Ctx,
    pub curriculum: i32,
    pub mentorship: i32,
    pub task: i32,
    pub other_mentee: i32,
    pub mentor: i32,
    pub memo_by_mentee: i32,
    /// Made by the mentor, sent to the mentee.
    pub form: i32,
}

impl World {
    /// A curriculum of one task, a mentorship on it (so the mentee has that task), the mentee's
    /// memo on the task, and the mentor's form sent to the mentee.
    pub async fn build(ctx: &Ctx, p: &People) -> World {
        let c = curricula::create(
            ctx,
            Some(&p.admin),
            CurriculumInput {
                title: "Onboarding".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        curricula::add_task(
            ctx,
            Some(&p.admin),
            c.id,
            TaskInput {
                title: "Laptop".into(),
                description: None,
                week: 1,
                expected_days: 2,
            },
        )
        .await
        .unwrap();
        let m = mentorships::create(
            ctx,
            Some(&p.company_admin),
            MentorshipInput {
                mentor_id: Some(p.mentor.id()),
                mentee_id: Some(p.mentee.id()),
                curriculum_id: Some(c.id),
                start_date: "2026-12-01".into(),
            },
        )
        .await
        .unwrap();
        let t = tasks::list(
            ctx,
            Some(&p.mentee),
            TaskQuery::default(),
            PageRequest::default(),
        )
        .await
        .unwrap()
        .items[0]
            .id;
        let memo = memos::add(ctx, Some(&p.mentee), t, "first").await.unwrap();
        let form = forms::create(ctx, Some(&p.mentor), survey(vec![p.mentee.id()]))
            .await
            .unwrap()
            .form
            .id;
        World {
            ctx: ctx.clone(),
            curriculum: c.id,
            mentorship: m.mentorship.id,
            task: t,
            other_mentee: p.other_mentee.id(),
            mentor: p.mentor.id(),
            memo_by_mentee: memo.memo.id,
            form,
        }
    }

    /// Puts the task back in `status` and the mentorship back to active between attempts.
    pub async fn reset(&self, status: TaskStatus) {
        task::Entity::update_many()
            .col_expr(task::Column::Status, Expr::value(status))
            .filter(task::Column::Id.eq(self.task))
            .exec(&self.ctx.db)
            .await
            .unwrap();
        mentorship::Entity::update_many()
            .col_expr(
                mentorship::Column::Status,
                Expr::value(MentorshipStatus::Active),
            )
            .filter(mentorship::Column::Id.eq(self.mentorship))
            .exec(&self.ctx.db)
            .await
            .unwrap();
    }

    /// The mentee's memo, written again if an allowed delete removed it.
    pub async fn memo(&mut self, author: &Actor) -> i32 {
        if memo::Entity::find_by_id(self.memo_by_mentee)
            .one(&self.ctx.db)
            .await
            .unwrap()
            .is_none()
        {
            self.memo_by_mentee = memos::add(&self.ctx, Some(author), self.task, "again")
                .await
                .unwrap()
                .memo
                .id;
        }
        self.memo_by_mentee
    }
}

pub fn survey(to: Vec<i32>) -> FormInput {
    FormInput {
        title: "Check-in".into(),
        description: None,
        questions: vec![QuestionInput {
            kind: "short_text".into(),
            label: "How is it going?".into(),
            required: true,
            options: None,
        }],
        recipient_ids: to,
        department_ids: Vec::new(),
        mentorship_id: None,
    }
}
