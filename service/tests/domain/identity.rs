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
        // More right sign-ins at once than the limit (an integration's workers): they wait for
        // each other's slots, none is throttled.
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..(2 * throttle::ACCOUNT_LIMIT + 2) {
            let ctx = ctx.clone();
            set.spawn(
                async move { auth::login(&ctx, "kim@example.com", PASSWORD, Some(office)).await },
            );
        }
        while let Some(outcome) = set.join_next().await {
            outcome.unwrap().expect(backend);
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

fn codes(err: &ServiceError) -> Vec<(String, String)> {
    err.fields()
        .into_iter()
        .map(|f| (f.field, f.code))
        .collect()
}

#[tokio::test]
async fn overlong_identity_input_is_refused_before_any_work() {
    on_every_backend(Registration::Open, |ctx, backend| async move {
        // First-admin setup.
        let token = service::setup::issue_token(&ctx).await.unwrap().unwrap();
        let e = service::setup::complete(
            &ctx,
            service::setup::FirstAdmin {
                token,
                email: format!("{}@example.com", "b".repeat(users::EMAIL_MAX)),
                name: "Boss".into(),
                password: "q".repeat(auth::password::MAX_LEN + 1),
                company: None,
            },
        )
        .await
        .unwrap_err();
        let got = codes(&e);
        assert!(
            got.contains(&("email".into(), "too_long".into()))
                && got.contains(&("password".into(), "too_long".into())),
            "{backend}: {got:?}"
        );

        let admin = users::create_by_operator(
            &ctx,
            NewUser::new("root@example.com", "Root", Role::Admin, PASSWORD),
        )
        .await
        .unwrap();
        let admin = service::testing::actor(admin);
        let long_email = format!("{}@example.com", "a".repeat(users::EMAIL_MAX));
        let long_password = "p".repeat(auth::password::MAX_LEN + 1);
        let ip: IpAddr = "192.0.2.11".parse().unwrap();

        // Sign-in: 422 too_long, and not even a throttle row was written.
        let e = auth::login(&ctx, &long_email, PASSWORD, Some(ip))
            .await
            .unwrap_err();
        assert_eq!(
            codes(&e),
            [("email".into(), "too_long".into())],
            "{backend}"
        );
        let e = auth::login(&ctx, "root@example.com", &long_password, Some(ip))
            .await
            .unwrap_err();
        assert_eq!(
            codes(&e),
            [("password".into(), "too_long".into())],
            "{backend}"
        );
        let rows = <entity::login_throttle::Entity as sea_orm::EntityTrait>::find()
            .all(&ctx.db)
            .await
            .unwrap();
        assert!(rows.is_empty(), "{backend}: {rows:?}");

        // Password change: an overlong current password is not hashed to be compared.
        let e = users::change_password(&ctx, Some(&admin), &long_password, "a new good passphrase")
            .await
            .unwrap_err();
        assert!(
            codes(&e).contains(&("current_password".into(), "too_long".into())),
            "{backend}: {e:?}"
        );
        let e = users::change_password(&ctx, Some(&admin), PASSWORD, &long_password)
            .await
            .unwrap_err();
        assert!(
            codes(&e).contains(&("new_password".into(), "too_long".into())),
            "{backend}: {e:?}"
        );

        // Creating accounts: by an admin, by registration.
        let e = users::create_user(
            &ctx,
            Some(&admin),
            NewUser::new(&long_email, "Kim", Role::Mentee, &long_password),
        )
        .await
        .unwrap_err();
        let got = codes(&e);
        assert!(
            got.contains(&("email".into(), "too_long".into()))
                && got.contains(&("password".into(), "too_long".into())),
            "{backend}: {got:?}"
        );
        let e = users::register(
            &ctx,
            users::SignUp {
                email: "new@example.com".into(),
                name: "New".into(),
                password: long_password.clone(),
            },
        )
        .await
        .unwrap_err();
        assert_eq!(
            codes(&e),
            [("password".into(), "too_long".into())],
            "{backend}"
        );
    })
    .await;
}

#[tokio::test]
async fn company_admins_unlock_their_people() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let people = service::testing::people(&ctx).await;
        let email = people.mentee.user.email.clone();
        for _ in 0..throttle::ACCOUNT_LIMIT {
            let _ = auth::login(&ctx, &email, "a wrong guess", None).await;
        }
        let locked = auth::login(&ctx, &email, PASSWORD, None).await;
        assert!(
            matches!(locked, Err(ServiceError::RateLimited { .. })),
            "{backend}"
        );
        let id = people.mentee.id();
        let refused = |who: &service::Actor| {
            let ctx = ctx.clone();
            let who = who.clone();
            async move { users::unlock(&ctx, Some(&who), id).await.unwrap_err() }
        };
        assert_eq!(
            refused(&people.mentor).await.code(),
            "forbidden",
            "{backend}"
        );
        assert_eq!(
            refused(&people.foreign_admin).await.code(),
            "not-found",
            "{backend}"
        );
        assert_eq!(
            users::unlock(&ctx, None, id).await.unwrap_err().code(),
            "sign_in_required"
        );
        users::unlock(&ctx, Some(&people.company_admin), id)
            .await
            .expect(backend);
        auth::login(&ctx, &email, PASSWORD, None)
            .await
            .expect(backend);
    })
    .await;
}

#[tokio::test]
async fn housekeeping_forgets_only_keys_with_nothing_left_to_remember() {
    use chrono::{Duration, Utc};
    use entity::login_throttle;
    use sea_orm::{EntityTrait, Set};
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let now = Utc::now();
        let row =
            |key: &str, started: chrono::DateTime<Utc>, blocked: Option<chrono::DateTime<Utc>>| {
                login_throttle::ActiveModel {
                    key: Set(key.to_owned()),
                    failures: Set(3),
                    window_started_at: Set(started),
                    blocked_until: Set(blocked),
                }
            };
        let long_ago = now - Duration::hours(2);
        login_throttle::Entity::insert_many([
            row("account:stale@example.com", long_ago, None),
            row(
                "account:unblocked@example.com",
                long_ago,
                Some(now - Duration::hours(1)),
            ),
            row("account:fresh@example.com", now, None),
            row(
                "account:blocked@example.com",
                long_ago,
                Some(now + Duration::minutes(10)),
            ),
        ])
        .exec(&ctx.db)
        .await
        .unwrap();
        assert_eq!(throttle::sweep(&ctx.db).await.unwrap(), 2, "{backend}");
        let mut left: Vec<String> = login_throttle::Entity::find()
            .all(&ctx.db)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.key)
            .collect();
        left.sort();
        assert_eq!(
            left,
            ["account:blocked@example.com", "account:fresh@example.com"]
        );
    })
    .await;
}
