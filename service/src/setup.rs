//! First start: while no user exists, a one-time setup token (printed by `nuri serve`) lets one
//! person create the first admin. The token is stored hashed and dies with its first use.

use chrono::Utc;
use entity::{setting, Role};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde::Deserialize;

use crate::error::text_problem;
use crate::secrets::{random_token, sha256_hex};
use crate::users::{self, NewUser};
use crate::{Ctx, Result, ServiceError};

const TOKEN_KEY: &str = "setup_token_sha256";

#[derive(Debug, Clone, Deserialize)]
pub struct FirstAdmin {
    pub token: String,
    pub email: String,
    pub name: String,
    pub password: String,
    /// The first company's name ("My company" when left empty; it can be renamed later).
    #[serde(default)]
    pub company: Option<String>,
}

pub async fn needs_setup(ctx: &Ctx) -> Result<bool> {
    Ok(users::count(&ctx.db).await? == 0)
}

/// A fresh setup token when the instance has no user yet (each start replaces the last one).
pub async fn issue_token(ctx: &Ctx) -> Result<Option<String>> {
    if !needs_setup(ctx).await? {
        setting::Entity::delete_by_id(TOKEN_KEY.to_owned())
            .exec(&ctx.db)
            .await?;
        return Ok(None);
    }
    let token = random_token(24);
    let row = setting::ActiveModel {
        key: Set(TOKEN_KEY.to_owned()),
        value: Set(sha256_hex(&token)),
        updated_at: Set(Utc::now()),
    };
    setting::Entity::insert(row)
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(setting::Column::Key)
                .update_columns([setting::Column::Value, setting::Column::UpdatedAt])
                .to_owned(),
        )
        .exec(&ctx.db)
        .await?;
    Ok(Some(token))
}

fn invalid_token() -> ServiceError {
    ServiceError::Unauthenticated {
        code: "setup_token_invalid",
        message: "this setup link is not valid; use the one `nuri serve` printed last",
    }
}

/// Creates the first admin. Consuming the token and creating the user happen together, so two
/// racing requests cannot both succeed.
pub async fn complete(ctx: &Ctx, input: FirstAdmin) -> Result<entity::user::Model> {
    if !needs_setup(ctx).await? {
        return Err(ServiceError::Conflict(entity::FieldError::new(
            "",
            "already_set_up",
            "nuri is already set up; sign in instead",
        )));
    }
    // The token is looked at first (no hashing for a caller without it), then the password is
    // checked and hashed before the transaction: argon2 must not hold the write lock. The
    // transaction consumes the token, so of two racing requests only one succeeds.
    let token_hash = sha256_hex(input.token.trim());
    let known = setting::Entity::find()
        .filter(setting::Column::Key.eq(TOKEN_KEY))
        .filter(setting::Column::Value.eq(token_hash.as_str()))
        .count(&ctx.db)
        .await?;
    if known != 1 {
        return Err(invalid_token());
    }
    let first = NewUser::new(&input.email, &input.name, Role::Admin, &input.password);
    let prepared = users::check(first)?.hash().await?;
    let txn = crate::db::begin(&ctx.db).await?;
    let consumed = setting::Entity::delete_many()
        .filter(setting::Column::Key.eq(TOKEN_KEY))
        .filter(setting::Column::Value.eq(token_hash))
        .exec(&txn)
        .await?
        .rows_affected;
    if consumed != 1 {
        return Err(invalid_token());
    }
    let company = match input
        .company
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(name) => {
            if let Some((code, message)) = text_problem(name, true, crate::org::NAME_MAX, false) {
                return Err(ServiceError::invalid("company", code, message));
            }
            let now = chrono::Utc::now();
            entity::company::ActiveModel {
                name: Set(name.to_owned()),
                description: Set(String::new()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
        None => crate::org::default_company(&txn).await?,
    };
    let placement = users::Placement {
        company_id: Some(company.id),
        platform_admin: true,
    };
    let admin = users::store(&txn, prepared, placement, false).await?;
    txn.commit().await?;
    tracing::info!(user = admin.id, "first admin created through setup");
    Ok(admin)
}
