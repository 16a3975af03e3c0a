//! A fault at each step of create and delete: a failed create undoes every step already done
//! and ends in `error` with the reason; a failed delete says so and deleting again finishes.

use entity::hosting::HostingStatus;
use service::hosting::{self, Op};
use service::jobs;
use service::testing::{on_every_backend, people};
use service::Registration;

use super::support::{all_there, faulty, finish, hosting_ctx, nothing_left, row};

const CREATE_STEPS: [&str; 9] = [
    "allocate",
    "seed",
    "disk",
    "define",
    "start",
    "wait",
    "rule",
    "nginx_test",
    "reload",
];

#[tokio::test]
async fn a_create_that_fails_at_any_step_leaves_nothing() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let ctx = hosting_ctx(&ctx);
        let p = people(&ctx).await;
        let me = Some(&p.mentee);
        // A live rule of someone else's must survive every failed reload and test.
        let other = hosting::create(&ctx, Some(&p.mentor)).await.unwrap();
        jobs::run_pending(&ctx).await.unwrap();
        all_there(&ctx, &other, backend).await;

        let mut first = None;
        for step in CREATE_STEPS {
            let broken = faulty(&ctx, Some(step));
            let h = match first.take() {
                None => hosting::create(&broken, me).await.expect(step),
                // Retrying from `error` is a create again.
                Some(_) => hosting::act(&broken, me, Op::Create).await.expect(step),
            };
            jobs::run_pending(&broken).await.unwrap();
            let r = row(&ctx, h.id).await;
            assert_eq!(r.status(), HostingStatus::Error, "{backend} {step}");
            let error = r.error.clone().unwrap_or_default();
            assert!(
                error.contains("injected fault"),
                "{backend} {step}: {error}"
            );
            nothing_left(&ctx, &h, &format!("{backend} {step}")).await;
            let events = hosting::events(&ctx, me).await.unwrap();
            assert!(
                events.iter().any(|e| e.step == "rollback"),
                "{step}: rollback on the timeline"
            );
            all_there(
                &ctx,
                &other,
                &format!("{backend} {step}: the other hosting"),
            )
            .await;
            first = Some(h);
        }

        // With the fault gone the retry succeeds.
        let h = hosting::act(&ctx, me, Op::Create).await.unwrap();
        jobs::run_pending(&ctx).await.unwrap();
        all_there(&ctx, &h, backend).await;
        finish(&ctx).await;
    })
    .await;
}

#[tokio::test]
async fn a_delete_that_fails_says_so_and_deleting_again_finishes() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let ctx = hosting_ctx(&ctx);
        let p = people(&ctx).await;
        let me = Some(&p.mentee);
        for step in ["destroy", "undefine", "unrule", "files", "release"] {
            let h = hosting::create(&ctx, me).await.expect(step);
            jobs::run_pending(&ctx).await.unwrap();
            all_there(&ctx, &h, step).await;

            let broken = faulty(&ctx, Some(step));
            hosting::act(&broken, me, Op::Delete).await.expect(step);
            jobs::run_pending(&broken).await.unwrap();
            let r = row(&ctx, h.id).await;
            assert_eq!(r.status(), HostingStatus::Error, "{backend} {step}");
            assert!(r.error.unwrap_or_default().contains(step), "{step}");

            hosting::act(&ctx, me, Op::Delete).await.expect(step);
            jobs::run_pending(&ctx).await.unwrap();
            assert_eq!(row(&ctx, h.id).await.status(), HostingStatus::Deleted);
            nothing_left(&ctx, &h, &format!("{backend} {step}")).await;
        }
        finish(&ctx).await;
    })
    .await;
}
