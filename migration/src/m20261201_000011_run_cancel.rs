//! `notebook_run.cancel_requested_at`: someone asked to cancel a running run. The worker running
//! it, on whichever replica, reads the flag from the row, stops the run and records `cancelled`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(NotebookRun::Table)
                .add_column(
                    ColumnDef::new(NotebookRun::CancelRequestedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(NotebookRun::Table)
                .drop_column(NotebookRun::CancelRequestedAt)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum NotebookRun {
    Table,
    CancelRequestedAt,
}
