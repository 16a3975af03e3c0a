//! The schema, one migration per change. A migration is never edited after it lands.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_identity;
mod m20261123_000002_organisation;
mod m20261123_000003_curricula;
mod m20261123_000004_mentoring;
mod m20261123_000005_forms;
mod m20261123_000006_task_list_indexes;
mod m20261130_000007_task_mentorship_status_index;
mod m20261130_000008_user_name_key;
mod m20261201_000009_workspaces;
mod m20261201_000010_hosting;
mod m20261201_000011_run_cancel;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_identity::Migration),
            Box::new(m20261123_000002_organisation::Migration),
            Box::new(m20261123_000003_curricula::Migration),
            Box::new(m20261123_000004_mentoring::Migration),
            Box::new(m20261123_000005_forms::Migration),
            Box::new(m20261123_000006_task_list_indexes::Migration),
            Box::new(m20261130_000007_task_mentorship_status_index::Migration),
            Box::new(m20261130_000008_user_name_key::Migration),
            Box::new(m20261201_000009_workspaces::Migration),
            Box::new(m20261201_000010_hosting::Migration),
            Box::new(m20261201_000011_run_cancel::Migration),
        ]
    }
}
