//! List totals: exact when the page is not full, shared for at most `db::TOTALS_TTL` when large.

use entity::{mentorship, MentorshipStatus, PageRequest};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use service::seed::{self, SeedSpec};
use service::tasks::{self, NewTask, TaskQuery};
use service::testing::on_every_backend;
use service::{auth, db, Actor, AuthMethod, Registration};

#[tokio::test]
async fn large_totals_lag_a_write_by_at_most_a_second_and_small_ones_never() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let spec = SeedSpec {
            users: 60,
            mentorships: 300,
            tasks_per_mentorship: 4,
        };
        let r = seed::run(&ctx, spec).await.expect(backend);
        assert!(r.tasks as u64 >= db::TOTALS_FROM);
        let admin = Actor {
            user: auth::login(&ctx, &r.admin_email, &r.password, None)
                .await
                .unwrap(),
            via: AuthMethod::Session,
        };
        let list = |query: TaskQuery, page: u64| {
            let (ctx, admin) = (ctx.clone(), admin.clone());
            async move {
                tasks::list(
                    &ctx,
                    Some(&admin),
                    query,
                    PageRequest::new(Some(page), Some(50)),
                )
                .await
                .unwrap()
            }
        };
        let all = r.tasks as u64;
        assert_eq!(list(TaskQuery::default(), 1).await.total, all, "{backend}");

        let m = mentorship::Entity::find()
            .filter(mentorship::Column::CompanyId.eq(r.company_id))
            .filter(mentorship::Column::Status.eq(MentorshipStatus::Active))
            .order_by_asc(mentorship::Column::Id)
            .one(&ctx.db)
            .await
            .unwrap()
            .expect("an active mentorship");
        let mine = TaskQuery {
            mentorship_id: Some(m.id),
            ..Default::default()
        };
        let before = list(mine.clone(), 1).await.total;
        tasks::create(
            &ctx,
            Some(&admin),
            NewTask {
                mentorship_id: Some(m.id),
                title: "One more".into(),
                description: None,
                due_date: "2026-12-24".into(),
            },
        )
        .await
        .expect(backend);

        // A small list is exact at once; the large total may lag, but not past its life.
        assert_eq!(list(mine, 1).await.total, before + 1, "{backend}");
        let lagging = list(TaskQuery::default(), 1).await.total;
        assert!(lagging == all || lagging == all + 1, "{backend}: {lagging}");
        tokio::time::sleep(db::TOTALS_TTL + std::time::Duration::from_millis(50)).await;
        assert_eq!(
            list(TaskQuery::default(), 1).await.total,
            all + 1,
            "{backend}"
        );

        // The last page and a page past the end both know the exact total.
        let last_page = (all + 1).div_ceil(50);
        let last = list(TaskQuery::default(), last_page).await;
        assert_eq!(last.items.len() as u64, (all + 1) - (last_page - 1) * 50);
        assert_eq!(last.total, all + 1, "{backend}");
        let past = list(TaskQuery::default(), last_page + 3).await;
        assert!(past.items.is_empty());
        assert_eq!(past.total, all + 1, "{backend}");
    })
    .await;
}
