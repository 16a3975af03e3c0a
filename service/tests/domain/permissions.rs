//! The permission matrix, through the real service functions: every mentoring and forms
//! operation is tried by anonymous, the mentee, another mentee, the mentor, another mentor, the
//! company's admin and another company's admin, and must be allowed or refused exactly as listed.
//! REST and the server functions call these same functions, so they inherit the matrix. Where a
//! page offers the operation, the capability its view carries must say the same.

use std::future::Future;
use std::pin::Pin;

use entity::{mentorship, MentorshipStatus, PageRequest, TaskStatus};
use sea_orm::EntityTrait;
use serde_json::json;
use service::curricula::{self, CurriculumInput, CurriculumPatch};
use service::forms::{self, FormPatch};
use service::mentorships::{self, MentorshipInput};
use service::tasks::{self, memos, NewTask, TaskPatch, TaskQuery};
use service::testing::{on_every_backend, people};
use service::users::{self, UserQuery};
use service::{Actor, Registration, ServiceError};

mod capabilities;
mod world;

use capabilities::Can;
use world::{survey, World};

type Outcome = Pin<Box<dyn Future<Output = Result<(), ServiceError>>>>;

fn done<T>(r: Result<T, ServiceError>) -> Result<(), ServiceError> {
    r.map(|_| ())
}

/// An operation against the world, as a caller.
type Op = fn(World, Option<Actor>) -> Outcome;

/// An operation's name, the task status it starts from, the operation, who may do it (one column
/// per caller) and the capability a page reads before offering it.
type Row = (&'static str, TaskStatus, Op, [bool; 7], Option<Can>);

#[tokio::test]
async fn every_mentoring_operation_by_every_kind_of_caller() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let mut world = World::build(&ctx, &p).await;
        let (y, n) = (true, false);
        // Columns: anonymous, mentee, other mentee, mentor, other mentor, admin, other company's admin.
        let ops: Vec<Row> = vec![
            (
                "view mentorship",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        done(mentorships::get(&w.ctx, a.as_ref(), w.mentorship).await)
                    })
                },
                [n, y, n, y, n, y, n],
                None,
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
                Some(Can::CreateMentorship),
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
                Some(Can::EndMentorship),
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
                None,
            ),
            (
                "view task",
                TaskStatus::Todo,
                |w, a| Box::pin(async move { done(tasks::get(&w.ctx, a.as_ref(), w.task).await) }),
                [n, y, n, y, n, y, n],
                None,
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
                Some(Can::AddTask),
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
                Some(Can::EditTask),
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
                Some(Can::Move(TaskStatus::InProgress)),
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
                Some(Can::Move(TaskStatus::Review)),
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
                Some(Can::Move(TaskStatus::Done)),
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
                Some(Can::Move(TaskStatus::ChangesRequested)),
            ),
            (
                "read memos",
                TaskStatus::Todo,
                |w, a| Box::pin(async move { done(memos::list(&w.ctx, a.as_ref(), w.task).await) }),
                [n, y, n, y, n, y, n],
                None,
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
                Some(Can::Comment),
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
                Some(Can::EditMemo),
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
                Some(Can::DeleteMemo),
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
                Some(Can::CreateForm),
            ),
            (
                "read the form",
                TaskStatus::Todo,
                |w, a| Box::pin(async move { done(forms::get(&w.ctx, a.as_ref(), w.form).await) }),
                [n, y, n, y, n, y, n],
                None,
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
                None,
            ),
            (
                "see the form's results",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move { done(forms::results(&w.ctx, a.as_ref(), w.form).await) })
                },
                [n, n, n, y, n, y, n],
                Some(Can::ManageForm),
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
                Some(Can::ManageForm),
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
                Some(Can::ManageForm),
            ),
            (
                "create a curriculum",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        let input = CurriculumInput {
                            title: "Another".into(),
                            ..Default::default()
                        };
                        let created = curricula::create(&w.ctx, a.as_ref(), input).await?;
                        curricula::delete(&w.ctx, a.as_ref(), created.id).await
                    })
                },
                [n, n, n, n, n, y, y],
                Some(Can::CreateCurriculum),
            ),
            (
                "change the curriculum",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        let patch = CurriculumPatch {
                            title: Some("Onboarding".into()),
                            ..Default::default()
                        };
                        done(curricula::update(&w.ctx, a.as_ref(), w.curriculum, patch).await)
                    })
                },
                [n, n, n, n, n, y, n],
                Some(Can::EditCurriculum),
            ),
            (
                "copy the curriculum",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        let copy = curricula::copy(&w.ctx, a.as_ref(), w.curriculum, None).await?;
                        curricula::delete(&w.ctx, a.as_ref(), copy.curriculum.id).await
                    })
                },
                [n, n, n, n, n, y, n],
                Some(Can::CopyCurriculum),
            ),
            (
                "list the company's people",
                TaskStatus::Todo,
                |w, a| {
                    Box::pin(async move {
                        let all = PageRequest::default();
                        done(users::list(&w.ctx, a.as_ref(), UserQuery::default(), all).await)
                    })
                },
                [n, n, n, n, n, y, y],
                Some(Can::ManageCompany),
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
        for (name, status, op, expected, can) in &ops {
            for (caller, allowed) in callers.iter().zip(expected) {
                world.reset(*status).await;
                world.memo(&p.mentee).await;
                let shown = match can {
                    Some(can) => Some((*can, capabilities::shown(&world, caller.as_ref(), *can).await)),
                    None => None,
                };
                let result = op(world.clone(), caller.clone()).await;
                let who = caller
                    .as_ref()
                    .map_or("anonymous".to_owned(), |a| a.user.email.clone());
                // Another company's admin may pair people and send forms, but only their own:
                // ours are "unknown" to them, exactly like ids that do not exist.
                let unknown_to_them = matches!(&result, Err(ServiceError::Invalid(f))
                    if f.iter().all(|e| e.code.starts_with("unknown")));
                // The view offers what the caller may do: what succeeds, or what only failed
                // because the records are not theirs.
                let permitted = result.is_ok() || unknown_to_them;
                if let Some((can, shown)) = shown.filter(|(_, shown)| *shown != permitted) {
                    wrong.push(format!(
                        "{name} by {who}: the view says {can:?} is {shown}, but the operation gave {result:?}"
                    ));
                }
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
                    (Err(ServiceError::Invalid(_)), false) if unknown_to_them => {}
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
