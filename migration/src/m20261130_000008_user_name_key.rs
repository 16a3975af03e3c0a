//! `user.name_key`: the name in natural order ("멘티 2" before "멘티 10"), which people lists sort
//! by in the database (see `entity::natural`). Existing names are keyed here; from now on
//! whoever writes a name writes its key.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "idx_user_company_name_key";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(User::Table)
                .add_column(
                    ColumnDef::new(User::NameKey)
                        .string_len(entity::natural::KEY_MAX as u32)
                        .not_null()
                        .default(""),
                )
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let rows = db
            .query_all(
                &Query::select()
                    .columns([User::Id, User::Name])
                    .from(User::Table)
                    .to_owned(),
            )
            .await?;
        for row in rows {
            let id: i32 = row.try_get("", "id")?;
            let name: String = row.try_get("", "name")?;
            db.execute(
                &Query::update()
                    .table(User::Table)
                    .value(User::NameKey, entity::natural::key(&name))
                    .and_where(Expr::col(User::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name(INDEX)
                .table(User::Table)
                .col(User::CompanyId)
                .col(User::NameKey)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name(INDEX).table(User::Table).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(User::Table)
                .drop_column(User::NameKey)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum User {
    Table,
    Id,
    Name,
    NameKey,
    CompanyId,
}
