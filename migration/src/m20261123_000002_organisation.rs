//! Organisation: companies and departments; every user belongs to a company (the platform admin
//! may not), optionally to a department. An existing instance gets one company holding everyone,
//! and its first admin becomes the platform admin.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Company::Table)
                .col(pk_auto(Company::Id))
                .col(string_len_uniq(Company::Name, 100))
                .col(text(Company::Description))
                .col(timestamp_with_time_zone(Company::CreatedAt))
                .col(timestamp_with_time_zone(Company::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Department::Table)
                .col(pk_auto(Department::Id))
                .col(integer(Department::CompanyId))
                .col(string_len(Department::Name, 100))
                .col(text(Department::Description))
                .col(timestamp_with_time_zone(Department::CreatedAt))
                .col(timestamp_with_time_zone(Department::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Department::Table, Department::CompanyId)
                        .to(Company::Table, Company::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_department_company_name")
                .table(Department::Table)
                .col(Department::CompanyId)
                .col(Department::Name)
                .unique()
                .to_owned(),
        )
        .await?;

        // SQLite adds one column per ALTER and cannot add constraints to an existing table, so
        // the foreign keys exist on PostgreSQL and MariaDB; the service checks ids on all three.
        for col in [
            ColumnDef::new(User::CompanyId).integer().null().to_owned(),
            ColumnDef::new(User::DepartmentId)
                .integer()
                .null()
                .to_owned(),
            ColumnDef::new(User::IsPlatformAdmin)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
        ] {
            m.alter_table(Table::alter().table(User::Table).add_column(col).to_owned())
                .await?;
        }
        if m.get_database_backend() != DbBackend::Sqlite {
            for (name, col, table, target) in [
                (
                    "fk_user_company",
                    User::CompanyId,
                    Company::Table.into_iden(),
                    Company::Id.into_iden(),
                ),
                (
                    "fk_user_department",
                    User::DepartmentId,
                    Department::Table.into_iden(),
                    Department::Id.into_iden(),
                ),
            ] {
                m.create_foreign_key(
                    ForeignKey::create()
                        .name(name)
                        .from(User::Table, col)
                        .to(table, target)
                        .on_delete(ForeignKeyAction::Restrict)
                        .to_owned(),
                )
                .await?;
            }
        }
        for (name, col) in [
            ("idx_user_company", User::CompanyId),
            ("idx_user_department", User::DepartmentId),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(User::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        adopt_existing_users(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Foreign keys first: MariaDB refuses to drop an index a foreign key still uses.
        if m.get_database_backend() != DbBackend::Sqlite {
            for name in ["fk_user_company", "fk_user_department"] {
                m.drop_foreign_key(ForeignKey::drop().name(name).table(User::Table).to_owned())
                    .await?;
            }
        }
        for name in ["idx_user_company", "idx_user_department"] {
            m.drop_index(Index::drop().name(name).table(User::Table).to_owned())
                .await?;
        }
        for col in [User::IsPlatformAdmin, User::DepartmentId, User::CompanyId] {
            m.alter_table(
                Table::alter()
                    .table(User::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table(Department::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Company::Table).to_owned())
            .await?;
        Ok(())
    }
}

/// Users that existed before companies: one company holds them all, the first admin runs the
/// platform.
async fn adopt_existing_users(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let scalar = |row: Option<sea_orm_migration::sea_orm::QueryResult>| {
        row.and_then(|r| r.try_get::<Option<i32>>("", "id").ok().flatten())
    };
    let first_admin = Query::select()
        .expr_as(Expr::col(User::Id).min(), Alias::new("id"))
        .from(User::Table)
        .and_where(Expr::col(User::Role).eq("admin"))
        .to_owned();
    let Some(first_admin) = scalar(db.query_one(&first_admin).await?) else {
        return Ok(());
    };
    let insert = Query::insert()
        .into_table(Company::Table)
        .columns([
            Company::Name,
            Company::Description,
            Company::CreatedAt,
            Company::UpdatedAt,
        ])
        .values_panic([
            "My company".into(),
            "".into(),
            Expr::current_timestamp(),
            Expr::current_timestamp(),
        ])
        .to_owned();
    db.execute(&insert).await?;
    let latest = Query::select()
        .expr_as(Expr::col(Company::Id).max(), Alias::new("id"))
        .from(Company::Table)
        .to_owned();
    let company_id = scalar(db.query_one(&latest).await?)
        .ok_or_else(|| DbErr::Custom("the default company was not created".into()))?;
    db.execute(
        &Query::update()
            .table(User::Table)
            .value(User::CompanyId, company_id)
            .to_owned(),
    )
    .await?;
    db.execute(
        &Query::update()
            .table(User::Table)
            .value(User::IsPlatformAdmin, true)
            .and_where(Expr::col(User::Id).eq(first_admin))
            .to_owned(),
    )
    .await?;
    Ok(())
}

#[derive(DeriveIden)]
enum Company {
    Table,
    Id,
    Name,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Department {
    Table,
    Id,
    CompanyId,
    Name,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum User {
    Table,
    Id,
    Role,
    CompanyId,
    DepartmentId,
    IsPlatformAdmin,
}
