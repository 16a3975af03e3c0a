//! Identity hardening (issue #10) against real databases: sign-in throttling that holds under
//! parallel guesses, and overlong identity input refused before any work.

use std::net::IpAddr;

use entity::Role;
use service::auth::{self, throttle};
use service::testing::{on_every_backend, PASSWORD};
use service::users::{self, NewUser};
use service::{Ctx, Registration, ServiceError};

const BURST: usize = 30;

/// `BURST` sign-ins at once; how many got a verdict (wrong password) and how many were throttled.
async fn burst(ctx: &Ctx, email: &str, password: &str, client: Option<IpAddr>) -> (usize, usize) {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..BURST {
        let (ctx, email, password) = (ctx.clone(), email.to_owned(), password.to_owned());
        set.spawn(async move { auth::login(&ctx, &email, &password, client).await });
    }
    let (mut judged, mut throttled) = (0, 0);
    while let Some(outcome) = set.join_next().await {
        match outcome.unwrap() {
            Err(e) if e.code() == "invalid_credentials" => judged += 1,
            Err(ServiceError::RateLimited { retry_after_secs }) => {
                assert!((1..=15 * 60).contains(&retry_after_secs));
                throttled += 1;
            }
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    (judged, throttled)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_get_at_most_the_limit_of_verdicts() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        users::create_by_operator(
            &ctx,
            NewUser::new("kim@example.com", "Kim", Role::Mentee, PASSWORD),
        )
        .await
        .unwrap();
        let ip: IpAddr = "192.0.2.9".parse().unwrap();
        let (judged, throttled) = burst(&ctx, "kim@example.com", "a wrong guess", Some(ip)).await;
        assert!(
            judged <= throttle::ACCOUNT_LIMIT as usize && judged > 0,
            "{backend}: {judged} guesses were judged"
        );
        assert_eq!(judged + throttled, BURST, "{backend}");
        // The right password right after the burst: still refused, the account is blocked.
        let late = auth::login(&ctx, "kim@example.com", PASSWORD, Some(ip)).await;
        assert!(
            matches!(late, Err(ServiceError::RateLimited { .. })),
            "{backend}: {late:?}"
        );

        // Per address: many accounts guessed at once from one address.
        let attacker: IpAddr = "198.51.100.2".parse().unwrap();
        let mut set = tokio::task::JoinSet::new();
        for i in 0..(throttle::ADDRESS_LIMIT as usize + BURST) {
            let ctx = ctx.clone();
            set.spawn(async move {
                auth::login(
                    &ctx,
                    &format!("guess{i}@example.com"),
                    "nope nope",
                    Some(attacker),
                )
                .await
            });
        }
        let mut judged = 0;
        while let Some(outcome) = set.join_next().await {
            if outcome
                .unwrap()
                .is_err_and(|e| e.code() == "invalid_credentials")
            {
                judged += 1;
            }
        }
        assert!(
            judged <= throttle::ADDRESS_LIMIT as usize,
            "{backend}: {judged} guesses from one address were judged"
        );
    })
    .await;
}

#[tokio::test]
async fn a_right_password_gives_its_attempt_back() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        users::create_by_operator(
            &ctx,
            NewUser::new("kim@example.com", "Kim", Role::Mentee, PASSWORD),
        )
        .await
        .unwrap();
        let office: IpAddr = "192.0.2.10".parse().unwrap();
        // More successful sign-ins from one address than its limit: none is throttled.
        for _ in 0..=throttle::ADDRESS_LIMIT {
            auth::login(&ctx, "kim@example.com", PASSWORD, Some(office))
                .await
                .expect(backend);
        }
        // Failures below the limit, then a success: the account starts afresh.
        for _ in 1..throttle::ACCOUNT_LIMIT {
            let e = auth::login(&ctx, "kim@example.com", "a wrong guess", Some(office))
                .await
                .unwrap_err();
            assert_eq!(e.code(), "invalid_credentials", "{backend}");
        }
        auth::login(&ctx, "kim@example.com", PASSWORD, Some(office))
            .await
            .expect(backend);
        for _ in 1..throttle::ACCOUNT_LIMIT {
            let e = auth::login(&ctx, "kim@example.com", "a wrong guess", None)
                .await
                .unwrap_err();
            assert_eq!(e.code(), "invalid_credentials", "{backend}");
        }
    })
    .await;
}
