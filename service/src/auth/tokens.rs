//! Integration tokens: a short-lived access JWT (HS256) and an opaque, rotating refresh token
//! stored only as its SHA-256. Presenting a refresh token twice revokes its whole family.

use chrono::Utc;
use entity::{refresh_token, token_family, user};
use jsonwebtoken::{
    errors::ErrorKind as JwtError, Algorithm, DecodingKey, EncodingKey, Header, Validation,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};

use super::cache::FamilyState;
use crate::secrets::{random_token, sha256_hex};
use crate::{Actor, AuthMethod, Ctx, Result, ServiceError};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    /// The user's token version when minted.
    pub ver: i32,
    /// Token family (one integration login).
    pub fam: String,
    pub iat: i64,
    pub exp: i64,
    pub typ: String,
}

fn token_error(code: &'static str) -> ServiceError {
    let message = match code {
        "token_expired" => "the access token has expired; refresh it",
        "token_revoked" => "the token has been revoked; sign in again",
        _ => "the token is not valid",
    };
    ServiceError::Unauthenticated { code, message }
}

/// Signs in an integration: a new token family with its first refresh token.
pub async fn issue_pair(ctx: &Ctx, user: &user::Model) -> Result<TokenPair> {
    let family_id = uuid::Uuid::new_v4().to_string();
    let txn = crate::db::begin(&ctx.db).await?;
    token_family::ActiveModel {
        id: Set(family_id.clone()),
        user_id: Set(user.id),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let refresh = store_refresh(ctx, &txn, &family_id).await?;
    txn.commit().await?;
    pair(ctx, user, &family_id, refresh)
}

fn pair(
    ctx: &Ctx,
    user: &user::Model,
    family_id: &str,
    refresh_token: String,
) -> Result<TokenPair> {
    let ttl = ctx.settings.access_token_ttl;
    let access_token = mint_access(ctx, user, family_id, ttl)?;
    Ok(TokenPair {
        access_token,
        refresh_token,
        token_type: "bearer".into(),
        expires_in: ttl.num_seconds(),
    })
}

/// Mints an access JWT. Public so tests can forge expired or foreign tokens.
pub fn mint_access(
    ctx: &Ctx,
    user: &user::Model,
    family_id: &str,
    ttl: chrono::Duration,
) -> Result<String> {
    let now = Utc::now();
    let claims = Claims {
        sub: user.id.to_string(),
        ver: user.token_version,
        fam: family_id.to_owned(),
        iat: now.timestamp(),
        exp: (now + ttl).timestamp(),
        typ: "access".into(),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&ctx.keys.jwt),
    )
    .map_err(|e| ServiceError::Internal(format!("jwt encode: {e}")))
}

async fn store_refresh(ctx: &Ctx, db: &impl ConnectionTrait, family_id: &str) -> Result<String> {
    let token = random_token(32);
    let now = Utc::now();
    refresh_token::ActiveModel {
        family_id: Set(family_id.to_owned()),
        token_hash: Set(sha256_hex(&token)),
        expires_at: Set(now + ctx.settings.refresh_token_ttl),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Trades a refresh token for a new pair. The old one is spent; spending it again is treated as
/// theft and ends the family.
pub async fn refresh(ctx: &Ctx, presented: &str) -> Result<TokenPair> {
    if presented.is_empty() {
        return Err(ServiceError::invalid(
            "refresh_token",
            "required",
            "refresh_token is required",
        ));
    }
    let txn = crate::db::begin(&ctx.db).await?;
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(sha256_hex(presented)))
        .one(&txn)
        .await?
    else {
        return Err(token_error("token_invalid"));
    };
    let family = token_family::Entity::find_by_id(row.family_id.clone())
        .one(&txn)
        .await?
        .ok_or_else(|| token_error("token_invalid"))?;
    if family.revoked_at.is_some() {
        return Err(token_error("token_revoked"));
    }
    let now = Utc::now();
    // Spend the token only if nobody spent it first: the row count tells a replay (or a racing
    // twin request) apart from the first use.
    let spent = refresh_token::Entity::update_many()
        .col_expr(
            refresh_token::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if spent != 1 {
        revoke_family(&txn, &family.id).await?;
        txn.commit().await?;
        ctx.auth.forget_family(&family.id);
        tracing::warn!(family = %family.id, user = family.user_id, "refresh token reused; family revoked");
        return Err(token_error("token_revoked"));
    }
    if row.expires_at < now {
        return Err(token_error("token_expired"));
    }
    let user = user::Entity::find_by_id(family.user_id)
        .one(&txn)
        .await?
        .filter(|u| u.is_active)
        .ok_or_else(|| token_error("token_revoked"))?;
    let refresh = store_refresh(ctx, &txn, &family.id).await?;
    txn.commit().await?;
    pair(ctx, &user, &family.id, refresh)
}

/// Resolves an `Authorization: Bearer` access token to the caller.
pub async fn authenticate_bearer(ctx: &Ctx, token: &str) -> Result<Actor> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 5;
    validation.set_required_spec_claims(&["exp", "sub"]);
    let claims = jsonwebtoken::decode::<Claims>(
        token,
        &DecodingKey::from_secret(&ctx.keys.jwt),
        &validation,
    )
    .map_err(|e| match e.kind() {
        JwtError::ExpiredSignature => token_error("token_expired"),
        _ => token_error("token_invalid"),
    })?
    .claims;
    if claims.typ != "access" {
        return Err(token_error("token_invalid"));
    }
    let user_id: i32 = claims
        .sub
        .parse()
        .map_err(|_| token_error("token_invalid"))?;
    let user = super::login::user_by_id(ctx, user_id)
        .await?
        .ok_or_else(|| token_error("token_invalid"))?;
    if !user.is_active || user.token_version != claims.ver {
        return Err(token_error("token_revoked"));
    }
    match family_state(ctx, &claims.fam).await? {
        Some(f) if !f.revoked && f.user_id == user.id => Ok(Actor {
            user,
            via: AuthMethod::Bearer {
                family_id: claims.fam,
            },
        }),
        _ => Err(token_error("token_revoked")),
    }
}

/// The family from the cache, or the database (then cached).
async fn family_state(ctx: &Ctx, family_id: &str) -> Result<Option<FamilyState>> {
    if let Some(state) = ctx.auth.families.get(family_id) {
        return Ok(Some(state));
    }
    let stamp = ctx.auth.families.stamp();
    let found = token_family::Entity::find_by_id(family_id.to_owned())
        .one(&ctx.db)
        .await?
        .map(|f| FamilyState {
            user_id: f.user_id,
            revoked: f.revoked_at.is_some(),
        });
    if let Some(state) = found {
        ctx.auth.families.insert(family_id.to_owned(), state, stamp);
    }
    Ok(found)
}

/// Ends the caller's integration login (its token family). A session caller has nothing to end
/// here: the browser logout deletes the session.
pub async fn logout_token(ctx: &Ctx, actor: &Actor) -> Result<()> {
    if let AuthMethod::Bearer { family_id } = &actor.via {
        revoke_family(&ctx.db, family_id).await?;
        ctx.auth.forget_family(family_id);
    }
    Ok(())
}

async fn revoke_family(db: &impl ConnectionTrait, family_id: &str) -> Result<()> {
    token_family::Entity::update_many()
        .col_expr(
            token_family::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(token_family::Column::Id.eq(family_id))
        .filter(token_family::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every integration login of a user (password change, "log out everywhere"). Call
/// `ctx.auth.forget_user` once the transaction has committed.
pub async fn revoke_all_for_user(db: &impl ConnectionTrait, user_id: i32) -> Result<()> {
    token_family::Entity::update_many()
        .col_expr(
            token_family::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(token_family::Column::UserId.eq(user_id))
        .filter(token_family::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
