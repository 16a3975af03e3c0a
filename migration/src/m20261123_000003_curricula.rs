//! Curricula and their task templates.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Curriculum::Table)
                .col(pk_auto(Curriculum::Id))
                .col(integer(Curriculum::CompanyId))
                .col(string_len(Curriculum::Title, 200))
                .col(text(Curriculum::Description))
                .col(boolean(Curriculum::IsTemplate).default(false))
                .col(integer_null(Curriculum::CreatedBy))
                .col(timestamp_with_time_zone(Curriculum::CreatedAt))
                .col(timestamp_with_time_zone(Curriculum::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Curriculum::Table, Curriculum::CompanyId)
                        .to(Company::Table, Company::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Curriculum::Table, Curriculum::CreatedBy)
                        .to(User::Table, User::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_curriculum_company")
                .table(Curriculum::Table)
                .col(Curriculum::CompanyId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TaskTemplate::Table)
                .col(pk_auto(TaskTemplate::Id))
                .col(integer(TaskTemplate::CurriculumId))
                .col(integer(TaskTemplate::Week))
                .col(integer(TaskTemplate::Position))
                .col(string_len(TaskTemplate::Title, 200))
                .col(text(TaskTemplate::Description))
                .col(integer(TaskTemplate::ExpectedDays))
                .col(timestamp_with_time_zone(TaskTemplate::CreatedAt))
                .col(timestamp_with_time_zone(TaskTemplate::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(TaskTemplate::Table, TaskTemplate::CurriculumId)
                        .to(Curriculum::Table, Curriculum::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_task_template_order")
                .table(TaskTemplate::Table)
                .col(TaskTemplate::CurriculumId)
                .col(TaskTemplate::Week)
                .col(TaskTemplate::Position)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(TaskTemplate::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Curriculum::Table).to_owned())
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Curriculum {
    Table,
    Id,
    CompanyId,
    Title,
    Description,
    IsTemplate,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TaskTemplate {
    Table,
    Id,
    CurriculumId,
    Week,
    Position,
    Title,
    Description,
    ExpectedDays,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Company {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum User {
    Table,
    Id,
}
