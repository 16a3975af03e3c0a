//! Mentorships, tasks, their status machine, memos, notifications and dashboards, on every
//! configured backend.

use chrono::{Days, NaiveDate};
use entity::{MentorshipStatus, PageRequest, TaskStatus};
use service::curricula::{self, CurriculumInput, TaskInput};
use service::dashboard::{self, Dashboard};
use service::mentorships::{self, MentorshipInput};
use service::notifications::{self, today};
use service::tasks::{self, memos, TaskQuery};
use service::testing::{on_every_backend, people};
use service::{Actor, Ctx, Registration, ServiceError};

pub(crate) async fn two_task_curriculum(ctx: &Ctx, admin: &Actor) -> i32 {
    let c = curricula::create(
        ctx,
        Some(admin),
        CurriculumInput {
            title: "Onboarding".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for (title, week, days) in [("Laptop", 1, 2), ("First PR", 2, 3)] {
        curricula::add_task(
            ctx,
            Some(admin),
            c.id,
            TaskInput {
                title: title.into(),
                description: Some(format!("Do **{title}**")),
                week,
                expected_days: days,
            },
        )
        .await
        .unwrap();
    }
    c.id
}

pub(crate) fn input(
    mentor: &Actor,
    mentee: &Actor,
    curriculum: i32,
    start: &str,
) -> MentorshipInput {
    MentorshipInput {
        mentor_id: Some(mentor.id()),
        mentee_id: Some(mentee.id()),
        curriculum_id: Some(curriculum),
        start_date: start.into(),
    }
}

pub(crate) fn codes(e: &ServiceError) -> Vec<(String, String)> {
    e.fields().into_iter().map(|f| (f.field, f.code)).collect()
}

#[tokio::test]
async fn a_mentorship_generates_tasks_and_refuses_bad_pairs() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let c = two_task_curriculum(&ctx, &p.admin).await;

        // The new-mentorship form offers the company's mentors and mentees to admins only.
        let offered = mentorships::candidates(&ctx, Some(&p.company_admin))
            .await
            .unwrap()
            .expect("admins create mentorships");
        let (mentors, mentees) = (offered.mentors, offered.mentees);
        assert_eq!(
            offered.curricula,
            [(c, "Onboarding".to_owned())],
            "{backend}"
        );
        let ids = |v: &[(i32, String)]| v.iter().map(|(id, _)| *id).collect::<Vec<_>>();
        assert!(ids(&mentors).contains(&p.mentor.id()), "{backend}");
        assert!(!ids(&mentors).contains(&p.mentee.id()), "{backend}");
        assert!(ids(&mentees).contains(&p.mentee.id()), "{backend}");
        assert!(!ids(&mentees).contains(&p.foreign_mentee.id()), "{backend}");
        for no in [&p.mentor, &p.mentee] {
            let offered = mentorships::candidates(&ctx, Some(no)).await.unwrap();
            assert!(offered.is_none(), "{backend}: only admins pair people");
        }

        let e = mentorships::create(
            &ctx,
            Some(&p.company_admin),
            input(&p.mentee, &p.other_mentee, c, "2026-12-01"),
        )
        .await
        .unwrap_err();
        assert_eq!(
            codes(&e),
            [("mentor_id".into(), "not_a_mentor".into())],
            "{backend}"
        );
        let e = mentorships::create(
            &ctx,
            Some(&p.company_admin),
            input(&p.mentor, &p.mentor, c, "2026-12-01"),
        )
        .await
        .unwrap_err();
        assert!(
            codes(&e).contains(&("mentee_id".into(), "same_person".into())),
            "{backend}: {e:?}"
        );
        let e = mentorships::create(
            &ctx,
            Some(&p.company_admin),
            input(&p.mentor, &p.foreign_mentee, c + 1000, "soon"),
        )
        .await
        .unwrap_err();
        assert_eq!(
            codes(&e),
            [
                ("mentee_id".into(), "unknown".into()),
                ("curriculum_id".into(), "unknown".into()),
                ("start_date".into(), "invalid_date".into())
            ],
            "{backend}"
        );
        let e = mentorships::create(
            &ctx,
            Some(&p.mentor),
            input(&p.mentor, &p.mentee, c, "2026-12-01"),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(e, ServiceError::Forbidden),
            "{backend}: only admins pair people"
        );

        let m = mentorships::create(
            &ctx,
            Some(&p.company_admin),
            input(&p.mentor, &p.mentee, c, "2026-12-01"),
        )
        .await
        .expect(backend);
        assert_eq!(m.mentorship.status, MentorshipStatus::Active);
        assert_eq!(
            (m.mentor_name.as_str(), m.mentee_name.as_str()),
            ("Mentor A", "Mentee A")
        );
        assert_eq!(m.progress.total, 2, "{backend}");
        let again = mentorships::create(
            &ctx,
            Some(&p.company_admin),
            input(&p.mentor, &p.mentee, c, "2026-12-01"),
        )
        .await
        .unwrap_err();
        assert_eq!(again.fields()[0].code, "already_following", "{backend}");

        let listed = tasks::list(
            &ctx,
            Some(&p.mentee),
            TaskQuery {
                mentorship_id: Some(m.mentorship.id),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
        let dues: Vec<(String, NaiveDate, TaskStatus)> = listed
            .items
            .iter()
            .map(|t| (t.title.clone(), t.due_date, t.status))
            .collect();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert_eq!(
            dues,
            [
                ("Laptop".into(), day(3), TaskStatus::Todo),
                ("First PR".into(), day(11), TaskStatus::Todo)
            ],
            "{backend}"
        );

        // Who sees which tasks.
        let seen = |who: &Actor| {
            let ctx = ctx.clone();
            let who = who.clone();
            async move {
                tasks::list(
                    &ctx,
                    Some(&who),
                    TaskQuery::default(),
                    PageRequest::default(),
                )
                .await
                .unwrap()
                .total
            }
        };
        assert_eq!(seen(&p.mentee).await, 2, "{backend}");
        assert_eq!(seen(&p.mentor).await, 2, "{backend}");
        assert_eq!(seen(&p.company_admin).await, 2, "{backend}");
        assert_eq!(seen(&p.other_mentee).await, 0, "{backend}");
        assert_eq!(seen(&p.other_mentor).await, 0, "{backend}");
        assert_eq!(seen(&p.foreign_admin).await, 0, "{backend}");
        let first = listed.items[0].id;
        for outsider in [&p.other_mentee, &p.other_mentor, &p.foreign_admin] {
            let e = tasks::get(&ctx, Some(outsider), first).await.unwrap_err();
            assert!(
                matches!(e, ServiceError::NotFound { .. }),
                "{backend}: {e:?}"
            );
        }
        let e = tasks::list(
            &ctx,
            Some(&p.mentee),
            TaskQuery {
                sort: Some("colour".into()),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap_err();
        assert_eq!(e.fields()[0].code, "invalid_sort");

        // Both sides were told.
        let unread = |who: &Actor| {
            let ctx = ctx.clone();
            let who = who.clone();
            async move { notifications::unread_count(&ctx, Some(&who)).await.unwrap() }
        };
        assert_eq!(unread(&p.mentee).await, 1, "{backend}");
        assert_eq!(unread(&p.mentor).await, 1, "{backend}");
        assert_eq!(unread(&p.other_mentee).await, 0, "{backend}");
    })
    .await;
}

#[tokio::test]
async fn the_mentee_works_the_mentor_reviews_and_everything_is_recorded() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let c = two_task_curriculum(&ctx, &p.admin).await;
        let m = mentorships::create(
            &ctx,
            Some(&p.company_admin),
            input(&p.mentor, &p.mentee, c, "2026-12-01"),
        )
        .await
        .unwrap();
        let all = tasks::list(
            &ctx,
            Some(&p.mentee),
            TaskQuery::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
        let id = all.items[0].id;
        let go = |who: &Actor, to: TaskStatus, comment: Option<&str>| {
            let ctx = ctx.clone();
            let who = who.clone();
            let comment = comment.map(str::to_owned);
            async move { tasks::transition(&ctx, Some(&who), id, to, comment).await }
        };

        let e = go(&p.mentee, TaskStatus::Done, None).await.unwrap_err();
        assert_eq!(
            codes(&e),
            [("to".into(), "invalid_transition".into())],
            "{backend}"
        );
        let e = go(&p.mentor, TaskStatus::InProgress, None)
            .await
            .unwrap_err();
        assert!(
            matches!(e, ServiceError::Forbidden),
            "{backend}: the mentee starts their own task"
        );
        let e = go(&p.other_mentee, TaskStatus::InProgress, None)
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }), "{backend}");

        let started = go(&p.mentee, TaskStatus::InProgress, None)
            .await
            .expect(backend);
        assert!(started.started_at.is_some());
        let submitted = go(&p.mentee, TaskStatus::Review, None).await.unwrap();
        assert!(submitted.submitted_at.is_some());
        let e = go(&p.mentee, TaskStatus::Done, None).await.unwrap_err();
        assert!(
            matches!(e, ServiceError::Forbidden),
            "{backend}: mentees do not approve themselves"
        );
        let e = go(&p.other_mentor, TaskStatus::Done, None)
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }), "{backend}");
        let e = go(&p.mentor, TaskStatus::ChangesRequested, Some("  "))
            .await
            .unwrap_err();
        assert_eq!(
            codes(&e),
            [("comment".into(), "required".into())],
            "{backend}"
        );
        go(&p.mentor, TaskStatus::ChangesRequested, Some("Add tests"))
            .await
            .unwrap();
        go(&p.mentee, TaskStatus::InProgress, None).await.unwrap();
        go(&p.mentee, TaskStatus::Review, None).await.unwrap();
        let done = go(&p.mentor, TaskStatus::Done, None).await.unwrap();
        assert!(done.completed_at.is_some());

        let detail = tasks::get(&ctx, Some(&p.mentee), id).await.unwrap();
        let history: Vec<(TaskStatus, TaskStatus)> = detail
            .events
            .iter()
            .map(|e| (e.event.from_status, e.event.to_status))
            .collect();
        use TaskStatus::*;
        assert_eq!(
            history,
            [
                (Todo, InProgress),
                (InProgress, Review),
                (Review, ChangesRequested),
                (ChangesRequested, InProgress),
                (InProgress, Review),
                (Review, Done)
            ],
            "{backend}"
        );
        assert_eq!(detail.events[2].event.comment.as_deref(), Some("Add tests"));
        assert_eq!(detail.events[2].actor_name.as_deref(), Some("Mentor A"));
        assert!(
            detail.allowed_transitions.is_empty(),
            "{backend}: done is final"
        );
        assert!(detail.description_html.contains("<strong>Laptop</strong>"));

        // Memos: both sides write; authors edit their own; the other side is told.
        let before = notifications::unread_count(&ctx, Some(&p.mentor))
            .await
            .unwrap();
        let memo = memos::add(&ctx, Some(&p.mentee), id, "Done, see *PR*")
            .await
            .expect(backend);
        assert_eq!(memo.author_name.as_deref(), Some("Mentee A"));
        assert!(memo.body_html.contains("<em>PR</em>"));
        assert_eq!(
            notifications::unread_count(&ctx, Some(&p.mentor))
                .await
                .unwrap(),
            before + 1
        );
        let e = memos::add(&ctx, Some(&p.mentee), id, "   ")
            .await
            .unwrap_err();
        assert_eq!(codes(&e), [("body".into(), "required".into())]);
        let e = memos::add(&ctx, Some(&p.other_mentee), id, "hi")
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }));
        let e = memos::edit(&ctx, Some(&p.mentor), id, memo.memo.id, "mine now")
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{backend}");
        let edited = memos::edit(&ctx, Some(&p.mentee), id, memo.memo.id, "Done: PR #1")
            .await
            .unwrap();
        assert_eq!(edited.memo.body, "Done: PR #1");
        let e = memos::delete(&ctx, Some(&p.mentor), id, memo.memo.id)
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden));
        memos::delete(&ctx, Some(&p.company_admin), id, memo.memo.id)
            .await
            .unwrap();
        assert!(memos::list(&ctx, Some(&p.mentee), id)
            .await
            .unwrap()
            .is_empty());

        // Dashboards.
        match dashboard::for_caller(&ctx, Some(&p.mentee)).await.unwrap() {
            Dashboard::Mentee(d) => {
                assert_eq!(
                    (d.progress.total, d.progress.done, d.progress.percent()),
                    (2, 1, 50),
                    "{backend}"
                );
                assert_eq!(d.next_due.len(), 1);
                assert_eq!(d.mentorships.len(), 1);
            }
            other => panic!("{other:?}"),
        }
        let second = all.items[1].id;
        tasks::transition(&ctx, Some(&p.mentee), second, InProgress, None)
            .await
            .unwrap();
        tasks::transition(&ctx, Some(&p.mentee), second, Review, None)
            .await
            .unwrap();
        match dashboard::for_caller(&ctx, Some(&p.mentor)).await.unwrap() {
            Dashboard::Mentor(d) => {
                assert_eq!(d.mentees.len(), 1);
                assert_eq!(d.mentees[0].progress.done, 1);
                assert_eq!(d.awaiting_review_total, 1, "{backend}");
                assert_eq!(d.awaiting_review[0].id, second);
                // The mentor's own totals are the sum of their mentees'.
                assert_eq!((d.tasks.total, d.tasks.done, d.tasks.in_review), (2, 1, 1));
            }
            other => panic!("{other:?}"),
        }
        match dashboard::for_caller(&ctx, Some(&p.other_mentor))
            .await
            .unwrap()
        {
            Dashboard::Mentor(d) => assert!(d.mentees.is_empty() && d.awaiting_review.is_empty()),
            other => panic!("{other:?}"),
        }
        match dashboard::for_caller(&ctx, Some(&p.company_admin))
            .await
            .unwrap()
        {
            Dashboard::Admin(d) => {
                assert_eq!((d.mentors, d.mentees, d.admins), (2, 2, 2), "{backend}");
                assert_eq!(d.active_mentorships, 1);
                assert_eq!((d.tasks.total, d.tasks.done, d.tasks.in_review), (2, 1, 1));
                assert_eq!(d.departments.len(), 1);
                assert_eq!(d.departments[0].percent, 50);
            }
            other => panic!("{other:?}"),
        }

        // Ending the mentorship freezes its tasks.
        let e = mentorships::set_status(
            &ctx,
            Some(&p.mentee),
            m.mentorship.id,
            MentorshipStatus::Ended,
        )
        .await
        .unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden));
        let ended = mentorships::set_status(
            &ctx,
            Some(&p.mentor),
            m.mentorship.id,
            MentorshipStatus::Ended,
        )
        .await
        .unwrap();
        assert_eq!(ended.mentorship.status, MentorshipStatus::Ended);
        assert!(ended.mentorship.ended_at.is_some());
        let e = tasks::transition(&ctx, Some(&p.mentor), second, Done, None)
            .await
            .unwrap_err();
        assert_eq!(e.fields()[0].code, "mentorship_closed", "{backend}");
        let e = mentorships::set_status(
            &ctx,
            Some(&p.mentor),
            m.mentorship.id,
            MentorshipStatus::Cancelled,
        )
        .await
        .unwrap_err();
        assert_eq!(e.fields()[0].code, "invalid_transition");
    })
    .await;
}

#[tokio::test]
async fn overdue_tasks_are_announced_once_and_hand_made_tasks_too() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let c = two_task_curriculum(&ctx, &p.admin).await;
        let long_ago = today().checked_sub_days(Days::new(60)).unwrap();
        let m = mentorships::create(
            &ctx,
            Some(&p.company_admin),
            input(&p.mentor, &p.mentee, c, &long_ago.to_string()),
        )
        .await
        .unwrap();
        assert_eq!(m.progress.overdue, 2, "{backend}");
        // The dashboards count the same, each in its one grouped query.
        match dashboard::for_caller(&ctx, Some(&p.mentee)).await.unwrap() {
            Dashboard::Mentee(d) => assert_eq!((d.progress.total, d.progress.overdue), (2, 2)),
            other => panic!("{other:?}"),
        }
        match dashboard::for_caller(&ctx, Some(&p.company_admin))
            .await
            .unwrap()
        {
            Dashboard::Admin(d) => assert_eq!((d.tasks.total, d.tasks.overdue), (2, 2)),
            other => panic!("{other:?}"),
        }
        match dashboard::for_caller(&ctx, Some(&p.mentor)).await.unwrap() {
            Dashboard::Mentor(d) => {
                assert_eq!(d.mentees[0].progress.overdue, 2, "{backend}");
                assert_eq!(d.awaiting_review_total, 0);
            }
            other => panic!("{other:?}"),
        }
        notifications::mark_all_read(&ctx, Some(&p.mentee))
            .await
            .unwrap();
        assert_eq!(
            notifications::sweep_overdue(&ctx).await.unwrap(),
            2,
            "{backend}"
        );
        assert_eq!(
            notifications::sweep_overdue(&ctx).await.unwrap(),
            0,
            "{backend}: once"
        );
        let page = notifications::list(&ctx, Some(&p.mentee), true, PageRequest::default())
            .await
            .unwrap();
        assert_eq!(page.total, 2);
        assert!(page.items.iter().all(|n| n.kind == "task_overdue"));
        let read = notifications::mark_read(&ctx, Some(&p.mentee), page.items[0].id)
            .await
            .unwrap();
        assert!(read.read_at.is_some());
        let e = notifications::mark_read(&ctx, Some(&p.mentor), page.items[1].id)
            .await
            .unwrap_err();
        assert!(
            matches!(e, ServiceError::NotFound { .. }),
            "someone else's notification"
        );

        let overdue = tasks::list(
            &ctx,
            Some(&p.mentor),
            TaskQuery {
                overdue: Some(true),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
        assert_eq!(overdue.total, 2);
        assert!(overdue.items.iter().all(|t| t.overdue));

        // By hand: the mentor adds, the mentee may not.
        let added = tasks::create(
            &ctx,
            Some(&p.mentor),
            tasks::NewTask {
                mentorship_id: Some(m.mentorship.id),
                title: "Write a blog post".into(),
                description: None,
                due_date: "2027-01-15".into(),
            },
        )
        .await
        .expect(backend);
        assert_eq!(
            (added.week, added.position, added.status),
            (2, 2, TaskStatus::Todo)
        );
        let e = tasks::create(
            &ctx,
            Some(&p.mentee),
            tasks::NewTask {
                mentorship_id: Some(m.mentorship.id),
                title: "Skip".into(),
                description: None,
                due_date: "2027-01-15".into(),
            },
        )
        .await
        .unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{backend}");
        let e = tasks::create(
            &ctx,
            Some(&p.mentor),
            tasks::NewTask {
                mentorship_id: Some(m.mentorship.id),
                title: "".into(),
                description: None,
                due_date: "15/01/2027".into(),
            },
        )
        .await
        .unwrap_err();
        assert_eq!(
            codes(&e),
            [
                ("due_date".into(), "invalid_date".into()),
                ("title".into(), "required".into())
            ]
        );
        let moved = tasks::update(
            &ctx,
            Some(&p.mentor),
            added.id,
            tasks::TaskPatch {
                due_date: Some("2027-02-01".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(moved.due_date, NaiveDate::from_ymd_opt(2027, 2, 1).unwrap());
        tasks::delete(&ctx, Some(&p.mentor), added.id)
            .await
            .unwrap();
        let e = tasks::get(&ctx, Some(&p.mentor), added.id)
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }));
    })
    .await;
}
