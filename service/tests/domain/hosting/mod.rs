mod faults;
mod guest_real;
mod lifecycle;
mod nginx;
mod reconcile;
mod support;

use service::Actor;

/// A mentee of company A made straight in the database (no password hashing: these tests need
/// many people, none of whom signs in).
async fn person(ctx: &service::Ctx, email: &str, company: Option<i32>) -> Actor {
    use sea_orm::{ActiveModelTrait, Set};
    let now = chrono::Utc::now();
    let user = entity::user::ActiveModel {
        email: Set(email.to_owned()),
        name: Set(email.to_owned()),
        name_key: Set(entity::natural::key(email)),
        role: Set(entity::Role::Mentee),
        company_id: Set(company),
        department_id: Set(None),
        is_platform_admin: Set(false),
        is_active: Set(true),
        token_version: Set(0),
        must_change_password: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await
    .expect("person");
    service::testing::actor(user)
}
