//! Identity: users, their credentials, browser sessions, API token families, login throttling and
//! instance settings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(User::Table)
                .col(pk_auto(User::Id))
                .col(string_len_uniq(User::Email, 254))
                .col(string_len(User::Name, 100))
                .col(string_len(User::Role, 16))
                .col(boolean(User::IsActive).default(true))
                .col(integer(User::TokenVersion).default(0))
                .col(boolean(User::MustChangePassword).default(false))
                .col(timestamp_with_time_zone(User::CreatedAt))
                .col(timestamp_with_time_zone(User::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Credential::Table)
                .col(integer(Credential::UserId).primary_key())
                .col(string_len(Credential::PasswordHash, 255))
                .col(timestamp_with_time_zone(Credential::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Credential::Table, Credential::UserId)
                        .to(User::Table, User::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Session::Table)
                .col(string_len(Session::Id, 64).primary_key())
                .col(text(Session::Data))
                .col(timestamp_with_time_zone(Session::ExpiresAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_session_expires_at")
                .table(Session::Table)
                .col(Session::ExpiresAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(TokenFamily::Table)
                .col(string_len(TokenFamily::Id, 36).primary_key())
                .col(integer(TokenFamily::UserId))
                .col(timestamp_with_time_zone(TokenFamily::CreatedAt))
                .col(timestamp_with_time_zone_null(TokenFamily::RevokedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(TokenFamily::Table, TokenFamily::UserId)
                        .to(User::Table, User::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RefreshToken::Table)
                .col(pk_auto(RefreshToken::Id))
                .col(string_len(RefreshToken::FamilyId, 36))
                .col(string_len_uniq(RefreshToken::TokenHash, 64))
                .col(timestamp_with_time_zone(RefreshToken::ExpiresAt))
                .col(timestamp_with_time_zone_null(RefreshToken::UsedAt))
                .col(timestamp_with_time_zone(RefreshToken::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(RefreshToken::Table, RefreshToken::FamilyId)
                        .to(TokenFamily::Table, TokenFamily::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LoginThrottle::Table)
                .col(string_len(LoginThrottle::Key, 300).primary_key())
                .col(integer(LoginThrottle::Failures))
                .col(timestamp_with_time_zone(LoginThrottle::WindowStartedAt))
                .col(timestamp_with_time_zone_null(LoginThrottle::BlockedUntil))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Setting::Table)
                .col(string_len(Setting::Key, 64).primary_key())
                .col(text(Setting::Value))
                .col(timestamp_with_time_zone(Setting::UpdatedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Setting::Table.into_iden(),
            LoginThrottle::Table.into_iden(),
            RefreshToken::Table.into_iden(),
            TokenFamily::Table.into_iden(),
            Session::Table.into_iden(),
            Credential::Table.into_iden(),
            User::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum User {
    Table,
    Id,
    Email,
    Name,
    Role,
    IsActive,
    TokenVersion,
    MustChangePassword,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Credential {
    Table,
    UserId,
    PasswordHash,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum TokenFamily {
    Table,
    Id,
    UserId,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum RefreshToken {
    Table,
    Id,
    FamilyId,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Key,
    Failures,
    WindowStartedAt,
    BlockedUntil,
}

#[derive(DeriveIden)]
enum Setting {
    Table,
    Key,
    Value,
    UpdatedAt,
}
