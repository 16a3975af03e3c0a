//! Mentorships, the tasks they generate, each task's status history and memos, and in-app
//! notifications. Indexes follow the dashboards' and lists' queries.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

fn index(name: &str, table: impl IntoIden + 'static, cols: Vec<DynIden>) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        m.create_table(
            Table::create()
                .table(Mentorship::Table)
                .col(pk_auto(Mentorship::Id))
                .col(integer(Mentorship::CompanyId))
                .col(integer(Mentorship::MentorId))
                .col(integer(Mentorship::MenteeId))
                .col(integer_null(Mentorship::CurriculumId))
                .col(string_len(Mentorship::Status, 16))
                .col(date(Mentorship::StartDate))
                .col(timestamp_with_time_zone_null(Mentorship::EndedAt))
                .col(integer_null(Mentorship::CreatedBy))
                .col(timestamp_with_time_zone(Mentorship::CreatedAt))
                .col(timestamp_with_time_zone(Mentorship::UpdatedAt))
                .foreign_key(&mut fk(
                    (Mentorship::Table, Mentorship::CompanyId),
                    (Company::Table, Company::Id),
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    (Mentorship::Table, Mentorship::MentorId),
                    (User::Table, User::Id),
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    (Mentorship::Table, Mentorship::MenteeId),
                    (User::Table, User::Id),
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    (Mentorship::Table, Mentorship::CurriculumId),
                    (Curriculum::Table, Curriculum::Id),
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    (Mentorship::Table, Mentorship::CreatedBy),
                    (User::Table, User::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_mentorship_company",
                vec![
                    Mentorship::CompanyId.into_iden(),
                    Mentorship::Status.into_iden(),
                ],
            ),
            (
                "idx_mentorship_mentor",
                vec![
                    Mentorship::MentorId.into_iden(),
                    Mentorship::Status.into_iden(),
                ],
            ),
            (
                "idx_mentorship_mentee",
                vec![
                    Mentorship::MenteeId.into_iden(),
                    Mentorship::Status.into_iden(),
                ],
            ),
        ] {
            m.create_index(index(name, Mentorship::Table, cols)).await?;
        }

        m.create_table(
            Table::create()
                .table(Task::Table)
                .col(pk_auto(Task::Id))
                .col(integer(Task::CompanyId))
                .col(integer(Task::MentorshipId))
                .col(integer(Task::AssigneeId))
                .col(integer_null(Task::TemplateId))
                .col(string_len(Task::Title, 200))
                .col(text(Task::Description))
                .col(integer(Task::Week))
                .col(integer(Task::Position))
                .col(date(Task::DueDate))
                .col(string_len(Task::Status, 24))
                .col(timestamp_with_time_zone_null(Task::StartedAt))
                .col(timestamp_with_time_zone_null(Task::SubmittedAt))
                .col(timestamp_with_time_zone_null(Task::CompletedAt))
                .col(boolean(Task::OverdueNotified).default(false))
                .col(timestamp_with_time_zone(Task::CreatedAt))
                .col(timestamp_with_time_zone(Task::UpdatedAt))
                .foreign_key(&mut fk(
                    (Task::Table, Task::CompanyId),
                    (Company::Table, Company::Id),
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    (Task::Table, Task::MentorshipId),
                    (Mentorship::Table, Mentorship::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Task::Table, Task::AssigneeId),
                    (User::Table, User::Id),
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    (Task::Table, Task::TemplateId),
                    (TaskTemplate::Table, TaskTemplate::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_task_mentorship",
                vec![
                    Task::MentorshipId.into_iden(),
                    Task::Week.into_iden(),
                    Task::Position.into_iden(),
                ],
            ),
            (
                "idx_task_assignee",
                vec![
                    Task::AssigneeId.into_iden(),
                    Task::Status.into_iden(),
                    Task::DueDate.into_iden(),
                ],
            ),
            (
                "idx_task_company_status",
                vec![
                    Task::CompanyId.into_iden(),
                    Task::Status.into_iden(),
                    Task::DueDate.into_iden(),
                ],
            ),
            (
                "idx_task_overdue",
                vec![Task::OverdueNotified.into_iden(), Task::DueDate.into_iden()],
            ),
        ] {
            m.create_index(index(name, Task::Table, cols)).await?;
        }

        m.create_table(
            Table::create()
                .table(TaskEvent::Table)
                .col(pk_auto(TaskEvent::Id))
                .col(integer(TaskEvent::TaskId))
                .col(integer_null(TaskEvent::ActorId))
                .col(string_len(TaskEvent::FromStatus, 24))
                .col(string_len(TaskEvent::ToStatus, 24))
                .col(text_null(TaskEvent::Comment))
                .col(timestamp_with_time_zone(TaskEvent::CreatedAt))
                .foreign_key(&mut fk(
                    (TaskEvent::Table, TaskEvent::TaskId),
                    (Task::Table, Task::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (TaskEvent::Table, TaskEvent::ActorId),
                    (User::Table, User::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_task_event_task",
            TaskEvent::Table,
            vec![TaskEvent::TaskId.into_iden()],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Memo::Table)
                .col(pk_auto(Memo::Id))
                .col(integer(Memo::TaskId))
                .col(integer_null(Memo::AuthorId))
                .col(text(Memo::Body))
                .col(timestamp_with_time_zone(Memo::CreatedAt))
                .col(timestamp_with_time_zone(Memo::UpdatedAt))
                .foreign_key(&mut fk(
                    (Memo::Table, Memo::TaskId),
                    (Task::Table, Task::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Memo::Table, Memo::AuthorId),
                    (User::Table, User::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_memo_task",
            Memo::Table,
            vec![Memo::TaskId.into_iden(), Memo::CreatedAt.into_iden()],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Notification::Table)
                .col(pk_auto(Notification::Id))
                .col(integer(Notification::UserId))
                .col(string_len(Notification::Kind, 32))
                .col(integer_null(Notification::ActorId))
                .col(string_len(Notification::Subject, 200))
                .col(string_len(Notification::Link, 200))
                .col(timestamp_with_time_zone_null(Notification::ReadAt))
                .col(timestamp_with_time_zone(Notification::CreatedAt))
                .foreign_key(&mut fk(
                    (Notification::Table, Notification::UserId),
                    (User::Table, User::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Notification::Table, Notification::ActorId),
                    (User::Table, User::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_notification_user",
            Notification::Table,
            vec![
                Notification::UserId.into_iden(),
                Notification::ReadAt.into_iden(),
            ],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Notification::Table.into_iden(),
            Memo::Table.into_iden(),
            TaskEvent::Table.into_iden(),
            Task::Table.into_iden(),
            Mentorship::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Mentorship {
    Table,
    Id,
    CompanyId,
    MentorId,
    MenteeId,
    CurriculumId,
    Status,
    StartDate,
    EndedAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Task {
    Table,
    Id,
    CompanyId,
    MentorshipId,
    AssigneeId,
    TemplateId,
    Title,
    Description,
    Week,
    Position,
    DueDate,
    Status,
    StartedAt,
    SubmittedAt,
    CompletedAt,
    OverdueNotified,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TaskEvent {
    Table,
    Id,
    TaskId,
    ActorId,
    FromStatus,
    ToStatus,
    Comment,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Memo {
    Table,
    Id,
    TaskId,
    AuthorId,
    Body,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
    UserId,
    Kind,
    ActorId,
    Subject,
    Link,
    ReadAt,
    CreatedAt,
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

#[derive(DeriveIden)]
enum Curriculum {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TaskTemplate {
    Table,
    Id,
}
