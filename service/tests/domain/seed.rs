//! `nuri seed`: a whole demo company in one transaction, usable at once.

use entity::{mentorship, task, user, PageRequest, TaskStatus};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use service::dashboard::{self, Dashboard};
use service::seed::{self, SeedSpec};
use service::testing::on_every_backend;
use service::{auth, Registration};

#[tokio::test]
async fn a_seeded_company_has_everything_and_people_can_sign_in() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let spec = SeedSpec {
            users: 60,
            mentorships: 80,
            tasks_per_mentorship: 4,
        };
        let r = seed::run(&ctx, spec).await.expect(backend);
        let in_company = |c: i32| user::Column::CompanyId.eq(c);
        assert_eq!(
            user::Entity::find()
                .filter(in_company(r.company_id))
                .count(&ctx.db)
                .await
                .unwrap(),
            60
        );
        assert_eq!(mentorship::Entity::find().count(&ctx.db).await.unwrap(), 80);
        assert_eq!(r.tasks, 320);
        for status in TaskStatus::ALL {
            let n = task::Entity::find()
                .filter(task::Column::Status.eq(status))
                .count(&ctx.db)
                .await
                .unwrap();
            assert!(n > 0, "{backend}: some tasks are {status}");
        }

        let mentor = auth::login::login(&ctx, &r.mentor_email, &r.password, None)
            .await
            .expect("the seeded password works");
        let actor = service::Actor {
            user: mentor,
            via: service::AuthMethod::Session,
        };
        match dashboard::for_caller(&ctx, Some(&actor)).await.unwrap() {
            Dashboard::Mentor(d) => {
                assert!(!d.mentees.is_empty(), "{backend}");
                assert!(d.mentees.iter().all(|m| m.progress.total == 4));
            }
            other => panic!("{other:?}"),
        }
        let tasks = service::tasks::list(
            &ctx,
            Some(&actor),
            Default::default(),
            PageRequest::new(None, Some(50)),
        )
        .await
        .unwrap();
        assert!(tasks.total > 0);
        assert!(seed::run(&ctx, SeedSpec { users: 2, ..spec })
            .await
            .is_err());
    })
    .await;
}
