//! Hosting: one VM per person (its recorded state, ports and placement), the timeline of its
//! transitions, and the SSH keys people add for their guests.

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
        // The unique keys are what keeps parallel creates apart: one live hosting per person,
        // one hosting per port, one VM per name, on every backend.
        m.create_table(
            Table::create()
                .table(Hosting::Table)
                .col(pk_auto(Hosting::Id))
                .col(integer(Hosting::UserId))
                .col(integer_null(Hosting::CompanyId))
                .col(integer_null(Hosting::LiveOwner).unique_key())
                .col(string_len(Hosting::Status, 20))
                .col(string_len_null(Hosting::Op, 20))
                .col(string_len_null(Hosting::Step, 40))
                .col(string_len_null(Hosting::Host, 300))
                .col(string_len(Hosting::VmName, 100).unique_key())
                .col(integer_null(Hosting::SshPort).unique_key())
                .col(integer_null(Hosting::HttpPort).unique_key())
                .col(integer(Hosting::MemoryMib))
                .col(integer(Hosting::Vcpus))
                .col(integer(Hosting::DiskMib))
                .col(integer_null(Hosting::JobId))
                .col(text_null(Hosting::Error))
                .col(timestamp_with_time_zone(Hosting::CreatedAt))
                .col(timestamp_with_time_zone(Hosting::UpdatedAt))
                .col(timestamp_with_time_zone_null(Hosting::ReadyAt))
                .foreign_key(&mut fk(
                    (Hosting::Table, Hosting::UserId),
                    (User::Table, User::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_hosting_status")
                .table(Hosting::Table)
                .col(Hosting::Status)
                .col(Hosting::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(HostingEvent::Table)
                .col(pk_auto(HostingEvent::Id))
                .col(integer(HostingEvent::HostingId))
                .col(string_len(HostingEvent::FromStatus, 20))
                .col(string_len(HostingEvent::ToStatus, 20))
                .col(string_len(HostingEvent::Step, 40))
                .col(text(HostingEvent::Message))
                .col(timestamp_with_time_zone(HostingEvent::At))
                .foreign_key(&mut fk(
                    (HostingEvent::Table, HostingEvent::HostingId),
                    (Hosting::Table, Hosting::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_hosting_event_hosting")
                .table(HostingEvent::Table)
                .col(HostingEvent::HostingId)
                .col(HostingEvent::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SshKey::Table)
                .col(pk_auto(SshKey::Id))
                .col(integer(SshKey::UserId))
                .col(string_len(SshKey::Name, 100))
                .col(string_len(SshKey::Algorithm, 60))
                .col(text(SshKey::PublicKey))
                .col(string_len(SshKey::Fingerprint, 100))
                .col(timestamp_with_time_zone(SshKey::CreatedAt))
                .foreign_key(&mut fk(
                    (SshKey::Table, SshKey::UserId),
                    (User::Table, User::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_ssh_key_user_fingerprint")
                .table(SshKey::Table)
                .col(SshKey::UserId)
                .col(SshKey::Fingerprint)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SshKey::Table.into_iden(),
            HostingEvent::Table.into_iden(),
            Hosting::Table.into_iden(),
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
enum Hosting {
    Table,
    Id,
    UserId,
    CompanyId,
    LiveOwner,
    Status,
    Op,
    Step,
    Host,
    VmName,
    SshPort,
    HttpPort,
    MemoryMib,
    Vcpus,
    DiskMib,
    JobId,
    Error,
    CreatedAt,
    UpdatedAt,
    ReadyAt,
}

#[derive(DeriveIden)]
enum HostingEvent {
    Table,
    Id,
    HostingId,
    FromStatus,
    ToStatus,
    Step,
    Message,
    At,
}

#[derive(DeriveIden)]
enum SshKey {
    Table,
    Id,
    UserId,
    Name,
    Algorithm,
    PublicKey,
    Fingerprint,
    CreatedAt,
}
