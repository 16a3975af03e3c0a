//! Workspaces, their Jupyter servers, notebook runs, and the job table every long-running piece
//! of work goes through (with the steps each job took).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Workspace::Table)
                .col(pk_auto(Workspace::Id))
                .col(integer(Workspace::UserId))
                .col(string_len(Workspace::Name, 100))
                .col(text(Workspace::Description))
                .col(timestamp_with_time_zone(Workspace::CreatedAt))
                .col(timestamp_with_time_zone(Workspace::UpdatedAt))
                .foreign_key(&mut fk(
                    (Workspace::Table, Workspace::UserId),
                    (User::Table, User::Id),
                ))
                .to_owned(),
        )
        .await?;
        // A name is taken once per owner; the index also serves "my workspaces by name".
        m.create_index(
            Index::create()
                .name("idx_workspace_user_name")
                .table(Workspace::Table)
                .col(Workspace::UserId)
                .col(Workspace::Name)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Job::Table)
                .col(pk_auto(Job::Id))
                .col(string_len(Job::Kind, 40))
                .col(integer(Job::SubjectId))
                .col(string_len(Job::State, 20))
                .col(integer(Job::Attempts).default(0))
                .col(timestamp_with_time_zone_null(Job::LeaseUntil))
                .col(text_null(Job::Error))
                .col(timestamp_with_time_zone(Job::CreatedAt))
                .col(timestamp_with_time_zone(Job::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_job_state")
                .table(Job::Table)
                .col(Job::State)
                .col(Job::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(JobStep::Table)
                .col(pk_auto(JobStep::Id))
                .col(integer(JobStep::JobId))
                .col(string_len(JobStep::Step, 40))
                .col(text(JobStep::Detail))
                .col(timestamp_with_time_zone(JobStep::At))
                .foreign_key(&mut fk(
                    (JobStep::Table, JobStep::JobId),
                    (Job::Table, Job::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_job_step_job")
                .table(JobStep::Table)
                .col(JobStep::JobId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(JupyterServer::Table)
                .col(integer(JupyterServer::WorkspaceId).primary_key())
                .col(string_len(JupyterServer::State, 20))
                .col(integer_null(JupyterServer::Port).unique_key())
                .col(string_len(JupyterServer::Token, 100))
                .col(integer_null(JupyterServer::Pid))
                .col(integer_null(JupyterServer::JobId))
                .col(timestamp_with_time_zone_null(JupyterServer::StartedAt))
                .col(timestamp_with_time_zone_null(JupyterServer::ReadyAt))
                .col(timestamp_with_time_zone_null(JupyterServer::LastActivity))
                .col(text_null(JupyterServer::Error))
                .col(timestamp_with_time_zone(JupyterServer::UpdatedAt))
                .foreign_key(&mut fk(
                    (JupyterServer::Table, JupyterServer::WorkspaceId),
                    (Workspace::Table, Workspace::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(NotebookRun::Table)
                .col(pk_auto(NotebookRun::Id))
                .col(integer(NotebookRun::WorkspaceId))
                .col(integer(NotebookRun::UserId))
                .col(string_len(NotebookRun::Status, 20))
                .col(text(NotebookRun::Notebooks))
                .col(timestamp_with_time_zone(NotebookRun::CreatedAt))
                .col(timestamp_with_time_zone_null(NotebookRun::StartedAt))
                .col(timestamp_with_time_zone_null(NotebookRun::FinishedAt))
                .foreign_key(&mut fk(
                    (NotebookRun::Table, NotebookRun::WorkspaceId),
                    (Workspace::Table, Workspace::Id),
                ))
                .foreign_key(&mut fk(
                    (NotebookRun::Table, NotebookRun::UserId),
                    (User::Table, User::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_notebook_run_workspace")
                .table(NotebookRun::Table)
                .col(NotebookRun::WorkspaceId)
                .col(NotebookRun::Id)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            NotebookRun::Table.into_iden(),
            JupyterServer::Table.into_iden(),
            JobStep::Table.into_iden(),
            Job::Table.into_iden(),
            Workspace::Table.into_iden(),
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
}

#[derive(DeriveIden)]
enum Workspace {
    Table,
    Id,
    UserId,
    Name,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Job {
    Table,
    Id,
    Kind,
    SubjectId,
    State,
    Attempts,
    LeaseUntil,
    Error,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum JobStep {
    Table,
    Id,
    JobId,
    Step,
    Detail,
    At,
}

#[derive(DeriveIden)]
enum JupyterServer {
    Table,
    WorkspaceId,
    State,
    Port,
    Token,
    Pid,
    JobId,
    StartedAt,
    ReadyAt,
    LastActivity,
    Error,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NotebookRun {
    Table,
    Id,
    WorkspaceId,
    UserId,
    Status,
    Notebooks,
    CreatedAt,
    StartedAt,
    FinishedAt,
}
