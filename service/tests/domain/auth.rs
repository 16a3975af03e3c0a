//! Identity rules against real databases: SQLite always, PostgreSQL / MariaDB when configured.

use std::net::IpAddr;

use entity::Role;
use service::auth::{self, tokens};
use service::testing::{backends, ctx, on_every_backend, TestDb};
use service::users::{self, NewUser, SignUp};
use service::{Actor, AuthMethod, Ctx, Registration, ServiceError};

use service::testing::PASSWORD;

fn new_user(email: &str, role: Role) -> NewUser {
    NewUser::new(email, "Kim Nuri", role, PASSWORD)
}

async fn make(ctx: &Ctx, email: &str, role: Role) -> Actor {
    let user = users::create_by_operator(ctx, new_user(email, role))
        .await
        .expect("create user");
    Actor {
        user,
        via: AuthMethod::Session,
    }
}

fn code(err: &ServiceError) -> &'static str {
    err.code()
}

#[tokio::test]
async fn login_accepts_the_right_password_and_hides_which_part_was_wrong() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        make(&ctx, "Admin@Example.com", Role::Admin).await;
        let user = auth::login(&ctx, "  admin@example.COM ", PASSWORD, None)
            .await
            .expect(backend);
        assert_eq!(
            user.email, "admin@example.com",
            "{backend}: emails are normalised"
        );

        let wrong = auth::login(&ctx, "admin@example.com", "wrong password!", None)
            .await
            .unwrap_err();
        let unknown = auth::login(&ctx, "nobody@example.com", PASSWORD, None)
            .await
            .unwrap_err();
        assert_eq!(code(&wrong), "invalid_credentials", "{backend}");
        assert_eq!(
            wrong.to_string(),
            unknown.to_string(),
            "{backend}: same answer for both"
        );
        assert_eq!(code(&unknown), code(&wrong));

        let empty = auth::login(&ctx, "", "", None).await.unwrap_err();
        let fields: Vec<String> = empty.fields().into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["email", "password"], "{backend}");
    })
    .await;
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account_and_per_address() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        make(&ctx, "a@example.com", Role::Mentee).await;
        make(&ctx, "b@example.com", Role::Mentee).await;
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        for _ in 0..auth::throttle::ACCOUNT_LIMIT {
            let e = auth::login(&ctx, "a@example.com", "not the password", Some(ip))
                .await
                .unwrap_err();
            assert_eq!(code(&e), "invalid_credentials", "{backend}");
        }
        // Blocked now, even with the right password.
        match auth::login(&ctx, "a@example.com", PASSWORD, Some(ip)).await {
            Err(ServiceError::RateLimited { retry_after_secs }) => {
                assert!(
                    retry_after_secs > 0 && retry_after_secs <= 15 * 60,
                    "{backend}"
                )
            }
            other => panic!("{backend}: expected rate limit, got {other:?}"),
        }
        // Another account from another address is unaffected.
        let other: IpAddr = "192.0.2.8".parse().unwrap();
        auth::login(&ctx, "b@example.com", PASSWORD, Some(other))
            .await
            .expect(backend);

        // The address limit: many accounts from one address.
        let attacker: IpAddr = "198.51.100.1".parse().unwrap();
        for i in 0..auth::throttle::ADDRESS_LIMIT {
            let _ = auth::login(
                &ctx,
                &format!("guess{i}@example.com"),
                "nope nope nope",
                Some(attacker),
            )
            .await;
        }
        let e = auth::login(&ctx, "b@example.com", PASSWORD, Some(attacker))
            .await
            .unwrap_err();
        assert!(
            matches!(e, ServiceError::RateLimited { .. }),
            "{backend}: {e:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn new_accounts_are_validated_and_emails_are_unique() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let admin = make(&ctx, "admin@example.com", Role::Admin).await;
        let bad = NewUser::new("not-an-email", "  ", Role::Mentee, "short");
        let err = users::create_user(&ctx, Some(&admin), bad)
            .await
            .unwrap_err();
        let mut fields: Vec<(String, String)> = err
            .fields()
            .into_iter()
            .map(|f| (f.field, f.code))
            .collect();
        fields.sort();
        assert_eq!(
            fields,
            [
                ("email".to_string(), "invalid_email".to_string()),
                ("name".into(), "required".into()),
                ("password".into(), "too_short".into())
            ],
            "{backend}"
        );

        users::create_user(
            &ctx,
            Some(&admin),
            new_user("mentor@example.com", Role::Mentor),
        )
        .await
        .expect(backend);
        let dup = users::create_user(
            &ctx,
            Some(&admin),
            new_user("MENTOR@example.com", Role::Mentee),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(&dup, ServiceError::Conflict(f) if f.field == "email" && f.code == "taken"),
            "{backend}: {dup:?}"
        );
        assert_eq!(
            users::count(&ctx.db).await.unwrap(),
            2,
            "{backend}: nothing half-written"
        );
    })
    .await;
}

#[tokio::test]
async fn only_admins_create_accounts() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let mentee = make(&ctx, "mentee@example.com", Role::Mentee).await;
        let mentor = make(&ctx, "mentor@example.com", Role::Mentor).await;
        for actor in [&mentee, &mentor] {
            let e = users::create_user(&ctx, Some(actor), new_user("x@example.com", Role::Admin))
                .await
                .unwrap_err();
            assert!(matches!(e, ServiceError::Forbidden), "{backend}: {e:?}");
        }
        let e = users::create_user(&ctx, None, new_user("x@example.com", Role::Mentee))
            .await
            .unwrap_err();
        assert_eq!(code(&e), "sign_in_required", "{backend}");
    })
    .await;
}

#[tokio::test]
async fn access_and_refresh_tokens_rotate_and_reuse_revokes_the_family() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let actor = make(&ctx, "api@example.com", Role::Mentor).await;
        let first = tokens::issue_pair(&ctx, &actor.user).await.unwrap();
        assert_eq!(first.token_type, "bearer");
        assert_eq!(first.expires_in, 900);
        let me = auth::authenticate_bearer(&ctx, &first.access_token)
            .await
            .expect(backend);
        assert_eq!(me.user.id, actor.user.id);

        let second = auth::refresh(&ctx, &first.refresh_token)
            .await
            .expect(backend);
        assert_ne!(second.refresh_token, first.refresh_token);
        auth::authenticate_bearer(&ctx, &second.access_token)
            .await
            .expect(backend);

        // Replaying the spent token is theft: the whole family ends, the newest tokens too.
        let replay = auth::refresh(&ctx, &first.refresh_token).await.unwrap_err();
        assert_eq!(code(&replay), "token_revoked", "{backend}");
        let after = auth::refresh(&ctx, &second.refresh_token)
            .await
            .unwrap_err();
        assert_eq!(code(&after), "token_revoked", "{backend}");
        let access = auth::authenticate_bearer(&ctx, &second.access_token)
            .await
            .unwrap_err();
        assert_eq!(code(&access), "token_revoked", "{backend}");

        // Another login of the same user is untouched.
        let other = tokens::issue_pair(&ctx, &actor.user).await.unwrap();
        auth::authenticate_bearer(&ctx, &other.access_token)
            .await
            .expect(backend);

        let unknown = auth::refresh(&ctx, "no-such-token").await.unwrap_err();
        assert_eq!(code(&unknown), "token_invalid", "{backend}");
    })
    .await;
}

#[tokio::test]
async fn forged_expired_and_logged_out_tokens_are_refused() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let actor = make(&ctx, "api@example.com", Role::Mentee).await;
        let pair = tokens::issue_pair(&ctx, &actor.user).await.unwrap();

        let forged = {
            let other = service::testing::ctx(ctx.db.clone(), Registration::Invite);
            tokens::mint_access(&other, &actor.user, "fam", chrono::Duration::minutes(5)).unwrap()
        };
        assert_eq!(
            code(&auth::authenticate_bearer(&ctx, &forged).await.unwrap_err()),
            "token_invalid"
        );
        assert_eq!(
            code(
                &auth::authenticate_bearer(&ctx, "garbage")
                    .await
                    .unwrap_err()
            ),
            "token_invalid"
        );

        let family = match auth::authenticate_bearer(&ctx, &pair.access_token)
            .await
            .unwrap()
            .via
        {
            AuthMethod::Bearer { family_id } => family_id,
            other => panic!("{other:?}"),
        };
        let expired =
            tokens::mint_access(&ctx, &actor.user, &family, chrono::Duration::seconds(-120))
                .unwrap();
        assert_eq!(
            code(&auth::authenticate_bearer(&ctx, &expired).await.unwrap_err()),
            "token_expired",
            "{backend}"
        );

        let bearer = auth::authenticate_bearer(&ctx, &pair.access_token)
            .await
            .unwrap();
        auth::logout_token(&ctx, &bearer).await.unwrap();
        assert_eq!(
            code(
                &auth::authenticate_bearer(&ctx, &pair.access_token)
                    .await
                    .unwrap_err()
            ),
            "token_revoked"
        );
        assert_eq!(
            code(&auth::refresh(&ctx, &pair.refresh_token).await.unwrap_err()),
            "token_revoked"
        );
    })
    .await;
}

#[tokio::test]
async fn password_change_and_logout_everywhere_end_every_session_and_token() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let actor = make(&ctx, "me@example.com", Role::Mentee).await;
        let pair = tokens::issue_pair(&ctx, &actor.user).await.unwrap();
        let version = actor.user.token_version;
        assert!(auth::resolve_session_user(&ctx, actor.user.id, version)
            .await
            .unwrap()
            .is_some());

        let wrong =
            users::change_password(&ctx, Some(&actor), "not it at all", "a brand new secret")
                .await
                .unwrap_err();
        assert_eq!(wrong.fields()[0].code, "wrong_password", "{backend}");
        let weak = users::change_password(&ctx, Some(&actor), PASSWORD, "short")
            .await
            .unwrap_err();
        assert_eq!(weak.fields()[0].field, "new_password", "{backend}");

        let updated = users::change_password(&ctx, Some(&actor), PASSWORD, "a brand new secret")
            .await
            .expect(backend);
        assert_eq!(updated.token_version, version + 1);
        assert!(
            auth::resolve_session_user(&ctx, actor.user.id, version)
                .await
                .unwrap()
                .is_none(),
            "{backend}"
        );
        assert_eq!(
            code(
                &auth::authenticate_bearer(&ctx, &pair.access_token)
                    .await
                    .unwrap_err()
            ),
            "token_revoked"
        );
        assert!(auth::login(&ctx, "me@example.com", PASSWORD, None)
            .await
            .is_err());
        auth::login(&ctx, "me@example.com", "a brand new secret", None)
            .await
            .expect(backend);

        let actor = Actor {
            user: updated,
            via: AuthMethod::Session,
        };
        let pair = tokens::issue_pair(&ctx, &actor.user).await.unwrap();
        let after = users::logout_everywhere(&ctx, Some(&actor)).await.unwrap();
        assert!(
            auth::resolve_session_user(&ctx, actor.user.id, actor.user.token_version)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            auth::resolve_session_user(&ctx, after.id, after.token_version)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            auth::authenticate_bearer(&ctx, &pair.access_token)
                .await
                .is_err(),
            "{backend}"
        );
        assert!(
            auth::refresh(&ctx, &pair.refresh_token).await.is_err(),
            "{backend}"
        );
    })
    .await;
}

#[tokio::test]
async fn setup_creates_exactly_one_first_admin() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        assert!(service::setup::needs_setup(&ctx).await.unwrap());
        let stale = service::setup::issue_token(&ctx).await.unwrap().unwrap();
        let token = service::setup::issue_token(&ctx).await.unwrap().unwrap();
        let first = |token: &str| service::setup::FirstAdmin {
            token: token.into(),
            email: "boss@example.com".into(),
            name: "Boss".into(),
            password: PASSWORD.into(),
            company: Some("Nuri Labs".into()),
        };
        let e = service::setup::complete(&ctx, first(&stale))
            .await
            .unwrap_err();
        assert_eq!(
            code(&e),
            "setup_token_invalid",
            "{backend}: each start replaces the token"
        );
        let e = service::setup::complete(
            &ctx,
            service::setup::FirstAdmin {
                password: "x".into(),
                ..first(&token)
            },
        )
        .await
        .unwrap_err();
        assert_eq!(e.fields()[0].field, "password", "{backend}");

        let admin = service::setup::complete(&ctx, first(&token))
            .await
            .expect(backend);
        assert_eq!(admin.role, Role::Admin);
        let again = service::setup::complete(&ctx, first(&token))
            .await
            .unwrap_err();
        assert!(
            matches!(again, ServiceError::Conflict(_)),
            "{backend}: {again:?}"
        );
        assert!(!service::setup::needs_setup(&ctx).await.unwrap());
        assert!(service::setup::issue_token(&ctx).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn registration_follows_the_instance_setting() {
    let sign_up = || SignUp {
        email: "new@example.com".into(),
        name: "New Person".into(),
        password: PASSWORD.into(),
    };
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let e = users::register(&ctx, sign_up()).await.unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{backend}");
    })
    .await;
    on_every_backend(Registration::Open, |ctx, backend| async move {
        let user = users::register(&ctx, sign_up()).await.expect(backend);
        assert_eq!(user.role, Role::Mentee, "open registration makes mentees");
    })
    .await;
}

#[tokio::test]
async fn migrations_roll_back_and_forward() {
    use migration::{Migrator, MigratorTrait};
    for backend in backends() {
        let (tdb, db) = TestDb::new(backend).await;
        Migrator::down(&db, None)
            .await
            .unwrap_or_else(|e| panic!("{backend}: down: {e}"));
        Migrator::up(&db, None)
            .await
            .unwrap_or_else(|e| panic!("{backend}: up: {e}"));
        let ctx = ctx(db.clone(), Registration::Invite);
        assert_eq!(
            service::health::details(&ctx, None)
                .await
                .unwrap_err()
                .code(),
            "sign_in_required"
        );
        assert!(service::health::ping(&ctx).await.unwrap() >= 0.0);
        tdb.finish(db).await;
    }
}
