//! The task board: true counts per status, each column paged on its own, admins choosing whose
//! board first, and the bounds of every page parameter.

use entity::{MentorshipStatus, TaskStatus};
use service::mentorships;
use service::tasks::{self, BoardQuery, NewTask};
use service::testing::{on_every_backend, people};
use service::{Registration, ServiceError};

use crate::mentoring::{codes, input, two_task_curriculum};

/// Column `status` of a board: (its total, the cards on this page).
fn column(board: &entity::mentoring::Board, status: TaskStatus) -> (u64, usize) {
    let c = board
        .columns
        .iter()
        .find(|c| c.status == status)
        .expect("every status has a column");
    (c.tasks.total, c.tasks.items.len())
}

#[tokio::test]
async fn the_board_counts_every_column_and_pages_each_on_its_own() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let c = two_task_curriculum(&ctx, &p.admin).await;
        let m = mentorships::create(
            &ctx,
            Some(&p.company_admin),
            input(&p.mentor, &p.mentee, c, "2026-12-01"),
        )
        .await
        .expect(backend);
        let mid = m.mentorship.id;
        // 2 from the curriculum and 43 by hand: more than two pages of the default 20.
        for n in 0..43 {
            let task = NewTask {
                mentorship_id: Some(mid),
                title: format!("Task {n}"),
                description: None,
                due_date: "2027-01-15".into(),
            };
            tasks::create(&ctx, Some(&p.mentor), task)
                .await
                .expect(backend);
        }
        let first = tasks::list(
            &ctx,
            Some(&p.mentee),
            Default::default(),
            Default::default(),
        )
        .await
        .unwrap()
        .items[0]
            .id;
        tasks::transition(&ctx, Some(&p.mentee), first, TaskStatus::InProgress, None)
            .await
            .expect(backend);

        for reader in [&p.mentee, &p.mentor] {
            let board = tasks::board(&ctx, Some(reader), BoardQuery::default())
                .await
                .expect(backend);
            assert!(
                board.choose.is_none(),
                "{backend}: only whole-company readers choose"
            );
            assert_eq!(board.columns.len(), 5);
            let order: Vec<TaskStatus> = board.columns.iter().map(|c| c.status).collect();
            assert_eq!(order, TaskStatus::ALL);
            assert_eq!(column(&board, TaskStatus::Todo), (44, 20), "{backend}");
            assert_eq!(column(&board, TaskStatus::InProgress), (1, 1), "{backend}");
            assert_eq!(column(&board, TaskStatus::Done), (0, 0));
            for c in &board.columns {
                assert!(
                    c.tasks.items.iter().all(|t| t.status == c.status),
                    "{backend}"
                );
            }
        }
        // The third page of "to do" holds the last 4; the other columns stay on their first.
        let mut pages = [None; 5];
        pages[0] = Some(3);
        let query = BoardQuery {
            pages,
            ..Default::default()
        };
        let board = tasks::board(&ctx, Some(&p.mentee), query).await.unwrap();
        assert_eq!(column(&board, TaskStatus::Todo), (44, 4), "{backend}");
        assert_eq!(board.columns[0].tasks.page, 3);
        assert_eq!(column(&board, TaskStatus::InProgress), (1, 1));

        // An admin names a mentorship first; a search narrows the choice.
        let board = tasks::board(&ctx, Some(&p.company_admin), BoardQuery::default())
            .await
            .unwrap();
        assert!(board.columns.is_empty(), "{backend}");
        let choices = board.choose.expect("admins choose first");
        assert_eq!(choices.len(), 1);
        assert_eq!((choices[0].id, choices[0].mentee_id), (mid, p.mentee.id()));
        assert_eq!(choices[0].mentor_name, "Mentor A");
        for (q, found) in [("mentee a", 1), ("MENTEE", 1), ("nobody", 0), ("%", 0)] {
            let query = BoardQuery {
                q: Some(q.into()),
                ..Default::default()
            };
            let board = tasks::board(&ctx, Some(&p.company_admin), query)
                .await
                .unwrap();
            assert_eq!(board.choose.unwrap().len(), found, "{backend}: {q}");
        }
        let query = BoardQuery {
            mentorship_id: Some(mid),
            ..Default::default()
        };
        let board = tasks::board(&ctx, Some(&p.company_admin), query)
            .await
            .unwrap();
        assert_eq!(board.subject.as_deref(), Some("Mentee A"));
        assert_eq!(column(&board, TaskStatus::Todo), (44, 20), "{backend}");
        // Everything overdue is a question worth asking company-wide: no choice needed.
        let query = BoardQuery {
            overdue: true,
            ..Default::default()
        };
        let board = tasks::board(&ctx, Some(&p.company_admin), query)
            .await
            .unwrap();
        assert!(
            board.choose.is_none() && board.columns.len() == 5,
            "{backend}"
        );

        // Someone else's mentorship is not found; another company's admin sees none of it.
        for stranger in [&p.other_mentee, &p.foreign_admin] {
            let query = BoardQuery {
                mentorship_id: Some(mid),
                ..Default::default()
            };
            let e = tasks::board(&ctx, Some(stranger), query).await.unwrap_err();
            assert!(
                matches!(e, ServiceError::NotFound { .. }),
                "{backend}: {e:?}"
            );
        }
        let board = tasks::board(&ctx, Some(&p.other_mentee), BoardQuery::default())
            .await
            .unwrap();
        assert!(
            board.columns.iter().all(|c| c.tasks.total == 0),
            "{backend}"
        );

        // An ended mentorship leaves the default board but opens by name.
        mentorships::set_status(&ctx, Some(&p.mentor), mid, MentorshipStatus::Ended)
            .await
            .expect(backend);
        let board = tasks::board(&ctx, Some(&p.mentee), BoardQuery::default())
            .await
            .unwrap();
        assert_eq!(column(&board, TaskStatus::Todo), (0, 0), "{backend}");
        let query = BoardQuery {
            mentorship_id: Some(mid),
            ..Default::default()
        };
        let board = tasks::board(&ctx, Some(&p.mentee), query).await.unwrap();
        assert_eq!(column(&board, TaskStatus::Todo), (44, 20), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn each_page_parameter_out_of_range_is_its_own_field_error() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let query = BoardQuery {
            per_page: Some(101),
            pages: [None, Some(0), None, None, Some(-4)],
            ..Default::default()
        };
        let e = tasks::board(&ctx, Some(&p.mentee), query)
            .await
            .unwrap_err();
        let fields: Vec<String> = codes(&e)
            .into_iter()
            .map(|(f, code)| format!("{f}:{code}"))
            .collect();
        assert_eq!(
            fields,
            [
                "per_page:out_of_range",
                "in_progress_page:out_of_range",
                "done_page:out_of_range"
            ],
            "{backend}"
        );
        let e = tasks::board(&ctx, None, BoardQuery::default())
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::Unauthenticated { .. }), "{e:?}");
    })
    .await;
}
