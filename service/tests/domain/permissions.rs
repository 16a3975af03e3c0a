//! The permission matrix, through the real service functions: every mentoring and forms
//! operation is tried by anonymous, the mentee, another mentee, the mentor, another mentor, the
//! company's admin and another company's admin, and must be allowed or refused exactly as listed.
//! REST and the server functions call these same functions, so they inherit the matrix.

use std::future::Future;
use std::pin::Pin;

use entity::{memo, mentorship, task, MentorshipStatus, PageRequest, TaskStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use service::curricula::{self, CurriculumInput, TaskInput};
use service::forms::{self, FormInput, FormPatch, QuestionInput};
use service::mentorships::{self, MentorshipInput};
use service::tasks::{self, memos, NewTask, TaskPatch, TaskQuery};
use service::testing::{on_every_backend, people};
use service::{Actor, Ctx, Registration, ServiceError};

type Outcome = Pin<Box<dyn Future<Output = Result<(), ServiceError>>>>;

/// The fixture every operation runs against: mentorship `m` pairs the mentor with the mentee.
#[derive(Clone)]
struct World {
    ctx: Ctx,
    curriculum: i32,
    mentorship: i32,
    task: i32,
    other_mentee: i32,
    mentor: i32,
    memo_by_mentee: i32,
    /// Made by the mentor, sent to the mentee.
    form: i32,
}

impl World {
    /// Puts the task back in `status` and the mentorship back to active between attempts.
    async fn reset(&self, status: TaskStatus) {
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
    async fn memo(&mut self, author: &Actor) -> i32 {
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

fn survey(to: Vec<i32>) -> FormInput {
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
        mentorship_id: None,
    }
}

fn done<T>(r: Result<T, ServiceError>) -> Result<(), ServiceError> {
    r.map(|_| ())
}

/// An operation against the world, as a caller.
type Op = fn(World, Option<Actor>) -> Outcome;

#[tokio::test]
async fn every_mentoring_operation_by_every_kind_of_caller() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let c = curricula::create(
            &ctx,
            Some(&p.admin),
            CurriculumInput {
                title: "Onboarding".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        curricula::add_task(
            &ctx,
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
            &ctx,
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
            &ctx,
            Some(&p.mentee),
            TaskQuery::default(),
            PageRequest::default(),
        )
        .await
        .unwrap()
        .items[0]
            .id;
        let memo = memos::add(&ctx, Some(&p.mentee), t, "first").await.unwrap();
        let form = forms::create(&ctx, Some(&p.mentor), survey(vec![p.mentee.id()]))
            .await
            .unwrap()
            .form
            .id;
        let mut world = World {
            ctx: ctx.clone(),
            curriculum: c.id,
            mentorship: m.mentorship.id,
            task: t,
            other_mentee: p.other_mentee.id(),
            mentor: p.mentor.id(),
            memo_by_mentee: memo.memo.id,
            form,
        };

        let (y, n) = (true, false);
        // Columns: anonymous, mentee, other mentee, mentor, other mentor, admin, other company's admin.
        let ops: Vec<(&str, TaskStatus, Op, [bool; 7])> = vec![
            (
                "view mentorship",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        done(mentorships::get(&w.ctx, a.as_ref(), w.mentorship).await)
                    })
                },
                [n, y, n, y, n, y, n],
            ),
            (
                "create mentorship",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        let r = mentorships::create(
                            &w.ctx,
                            a.as_ref(),
                            MentorshipInput {
                                mentor_id: Some(w.mentor),
                                mentee_id: Some(w.other_mentee),
                                curriculum_id: Some(w.curriculum),
                                start_date: "2026-12-01".into(),
                            },
                        )
                        .await;
                        if let Ok(created) = &r {
                            // Undo, so the next caller meets the same world.
                            mentorship::Entity::delete_by_id(created.mentorship.id)
                                .exec(&w.ctx.db)
                                .await
                                .unwrap();
                        }
                        done(r)
                    })
                },
                [n, n, n, n, n, y, n],
            ),
            (
                "end mentorship",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        done(
                            mentorships::set_status(
                                &w.ctx,
                                a.as_ref(),
                                w.mentorship,
                                MentorshipStatus::Ended,
                            )
                            .await,
                        )
                    })
                },
                [n, n, n, y, n, y, n],
            ),
            (
                "see the task in lists",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        let page = tasks::list(
                            &w.ctx,
                            a.as_ref(),
                            TaskQuery::default(),
                            PageRequest::default(),
                        )
                        .await?;
                        if page.items.iter().any(|t| t.id == w.task) {
                            Ok(())
                        } else {
                            Err(ServiceError::NotFound { what: "task" })
                        }
                    })
                },
                [n, y, n, y, n, y, n],
            ),
            (
                "view task",
                TaskStatus::Todo,
                |w, a| Box::pin(async move { done(tasks::get(&w.ctx, a.as_ref(), w.task).await) }),
                [n, y, n, y, n, y, n],
            ),
            (
                "add a task by hand",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        done(
                            tasks::create(
                                &w.ctx,
                                a.as_ref(),
                                NewTask {
                                    mentorship_id: Some(w.mentorship),
                                    title: "Extra".into(),
                                    description: None,
                                    due_date: "2027-01-01".into(),
                                },
                            )
                            .await,
                        )
                    })
                },
                [n, n, n, y, n, y, n],
            ),
            (
                "edit a task",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        done(
                            tasks::update(
                                &w.ctx,
                                a.as_ref(),
                                w.task,
                                TaskPatch {
                                    title: Some("Laptop set-up".into()),
                                    ..Default::default()
                                },
                            )
                            .await,
                        )
                    })
                },
                [n, n, n, y, n, y, n],
            ),
            (
                "start the task",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        done(
                            tasks::transition(
                                &w.ctx,
                                a.as_ref(),
                                w.task,
                                TaskStatus::InProgress,
                                None,
                            )
                            .await,
                        )
                    })
                },
                [n, y, n, n, n, y, n],
            ),
            (
                "send the task to review",
                TaskStatus::InProgress,
                |w, a| {
                    Box::pin(async move {
                        done(
                            tasks::transition(&w.ctx, a.as_ref(), w.task, TaskStatus::Review, None)
                                .await,
                        )
                    })
                },
                [n, y, n, n, n, y, n],
            ),
            (
                "approve the task",
                TaskStatus::Review,
                |w, a| {
                    Box::pin(async move {
                        done(
                            tasks::transition(&w.ctx, a.as_ref(), w.task, TaskStatus::Done, None)
                                .await,
                        )
                    })
                },
                [n, n, n, y, n, y, n],
            ),
            (
                "request changes",
                TaskStatus::Review,
                |w, a| {
                    Box::pin(async move {
                        done(
                            tasks::transition(
                                &w.ctx,
                                a.as_ref(),
                                w.task,
                                TaskStatus::ChangesRequested,
                                Some("again".into()),
                            )
                            .await,
                        )
                    })
                },
                [n, n, n, y, n, y, n],
            ),
            (
                "read memos",
                TaskStatus::Todo,
                |w, a| Box::pin(async move { done(memos::list(&w.ctx, a.as_ref(), w.task).await) }),
                [n, y, n, y, n, y, n],
            ),
            (
                "write a memo",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(
                        async move { done(memos::add(&w.ctx, a.as_ref(), w.task, "hello").await) },
                    )
                },
                [n, y, n, y, n, y, n],
            ),
            (
                "edit the mentee's memo",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        done(
                            memos::edit(&w.ctx, a.as_ref(), w.task, w.memo_by_mentee, "edited")
                                .await,
                        )
                    })
                },
                [n, y, n, n, n, n, n],
            ),
            (
                "delete the mentee's memo",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        done(memos::delete(&w.ctx, a.as_ref(), w.task, w.memo_by_mentee).await)
                    })
                },
                [n, y, n, n, n, y, n],
            ),
            (
                "build and send a form",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        done(forms::create(&w.ctx, a.as_ref(), survey(vec![w.other_mentee])).await)
                    })
                },
                [n, n, n, y, y, y, n],
            ),
            (
                "read the form",
                TaskStatus::Todo,
                |w, a| Box::pin(async move { done(forms::get(&w.ctx, a.as_ref(), w.form).await) }),
                [n, y, n, y, n, y, n],
            ),
            (
                "answer the form",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        done(forms::submit(&w.ctx, a.as_ref(), w.form, vec![json!("Fine")]).await)
                    })
                },
                [n, y, n, n, n, n, n],
            ),
            (
                "see the form's results",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move { done(forms::results(&w.ctx, a.as_ref(), w.form).await) })
                },
                [n, n, n, y, n, y, n],
            ),
            (
                "export the form's answers",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(
                        async move { done(forms::export_csv(&w.ctx, a.as_ref(), w.form).await) },
                    )
                },
                [n, n, n, y, n, y, n],
            ),
            (
                "close the form",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        let r = forms::update(
                            &w.ctx,
                            a.as_ref(),
                            w.form,
                            FormPatch {
                                closed: Some(true),
                                ..Default::default()
                            },
                        )
                        .await;
                        if r.is_ok() {
                            forms::update(
                                &w.ctx,
                                a.as_ref(),
                                w.form,
                                FormPatch {
                                    closed: Some(false),
                                    ..Default::default()
                                },
                            )
                            .await
                            .unwrap();
                        }
                        done(r)
                    })
                },
                [n, n, n, y, n, y, n],
            ),
        ];
        let callers = [
            None,
            Some(p.mentee.clone()),
            Some(p.other_mentee.clone()),
            Some(p.mentor.clone()),
            Some(p.other_mentor.clone()),
            Some(p.company_admin.clone()),
            Some(p.foreign_admin.clone()),
        ];
        let mut wrong = Vec::new();
        for (name, status, op, expected) in &ops {
            for (caller, allowed) in callers.iter().zip(expected) {
                world.reset(*status).await;
                world.memo(&p.mentee).await;
                let result = op(world.clone(), caller.clone()).await;
                let who = caller
                    .as_ref()
                    .map_or("anonymous".to_owned(), |a| a.user.email.clone());
                match (result, allowed) {
                    (Ok(()), true) => {}
                    (
                        Err(
                            ServiceError::Forbidden
                            | ServiceError::NotFound { .. }
                            | ServiceError::Unauthenticated { .. },
                        ),
                        false,
                    ) => {}
                    // Another company's admin may pair people, but only their own: ours are
                    // "unknown" to them, exactly like ids that do not exist.
                    (Err(ServiceError::Invalid(f)), false)
                        if f.iter().all(|e| e.code.starts_with("unknown")) => {}
                    (other, _) => wrong.push(format!(
                        "{name} by {who}: expected {}, got {other:?}",
                        if *allowed { "allowed" } else { "refused" }
                    )),
                }
            }
        }
        assert!(wrong.is_empty(), "{backend}:\n{}", wrong.join("\n"));
    })
    .await;
}
