//! Caller resolution is cached per process: a revocation made through this process takes effect
//! at once, one made by another replica (or straight in the database) within the cache's bound.

use std::time::{Duration, Instant};

use crate::common::*;
use axum::http::{Method, StatusCode};
use axum::Router;
use entity::Role;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use service::auth::cache::TTL;
use service::{Actor, AuthMethod, Registration};

/// What the bound allows on a loaded test machine beyond the cache's life.
const SLACK: Duration = Duration::from_millis(500);

async fn me(router: &Router, auth: Auth<'_>) -> StatusCode {
    let req = request(Method::GET, "/api/v1/auth/me", auth)
        .body(axum::body::Body::empty())
        .unwrap();
    TestApp::send_to(router, req).await.status
}

/// Polls `router` until `auth` is refused; returns how long that took.
async fn refused_within(router: &Router, auth: Auth<'_>, bound: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let status = me(router, auth).await;
        if status == StatusCode::UNAUTHORIZED {
            return start.elapsed();
        }
        assert_eq!(status, StatusCode::OK);
        assert!(
            start.elapsed() <= bound,
            "still accepted {:?} after the revocation",
            start.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn revocation_here_is_immediate_and_on_a_replica_within_a_second() {
    let app = TestApp::new(Registration::Invite).await;
    let user = app.user("me@x.test", Role::Mentee).await;
    let replica = app.replica();
    let token = app.tokens("me@x.test").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let cookie = app.session("me@x.test").await;
    for router in [&app.router, &replica] {
        assert_eq!(me(router, Auth::Bearer(&token)).await, StatusCode::OK);
        assert_eq!(me(router, Auth::Cookie(&cookie)).await, StatusCode::OK);
    }

    // "Log out everywhere" through the first process: it stops accepting both at once.
    let actor = Actor {
        user,
        via: AuthMethod::Session,
    };
    service::users::logout_everywhere(&app.ctx, Some(&actor))
        .await
        .unwrap();
    assert_eq!(
        me(&app.router, Auth::Bearer(&token)).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        me(&app.router, Auth::Cookie(&cookie)).await,
        StatusCode::UNAUTHORIZED
    );
    // The replica follows within the cache's life.
    let took = refused_within(&replica, Auth::Bearer(&token), TTL + SLACK).await;
    eprintln!("replica refused the token after {took:?}");
    refused_within(&replica, Auth::Cookie(&cookie), TTL + SLACK).await;
    app.finish().await;
}

#[tokio::test]
async fn a_logout_or_a_deactivation_elsewhere_reaches_this_process_within_a_second() {
    let app = TestApp::new(Registration::Invite).await;
    let user = app.user("me@x.test", Role::Mentee).await;
    let replica = app.replica();
    let pair = app.tokens("me@x.test").await;
    let token = pair["access_token"].as_str().unwrap().to_owned();
    let cookie = app.session("me@x.test").await;
    assert_eq!(me(&app.router, Auth::Bearer(&token)).await, StatusCode::OK);
    assert_eq!(me(&app.router, Auth::Cookie(&cookie)).await, StatusCode::OK);

    // The browser signs out and the integration logs out, both on the replica.
    for auth in [Auth::Cookie(&cookie), Auth::Bearer(&token)] {
        let r = TestApp::send_to(
            &replica,
            request(Method::POST, "/api/v1/auth/logout", auth)
                .header("origin", format!("http://{HOST}"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        assert_eq!(me(&replica, auth).await, StatusCode::UNAUTHORIZED);
        refused_within(&app.router, auth, TTL + SLACK).await;
    }

    // A deactivation written straight into the database (no nuri process involved).
    let token = app.tokens("me@x.test").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(me(&app.router, Auth::Bearer(&token)).await, StatusCode::OK);
    let row = entity::user::Entity::find_by_id(user.id)
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    let mut active: entity::user::ActiveModel = row.into();
    active.is_active = Set(false);
    active.update(&app.ctx.db).await.unwrap();
    refused_within(&app.router, Auth::Bearer(&token), TTL + SLACK).await;
    app.finish().await;
}
