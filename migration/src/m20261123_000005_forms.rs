//! Forms (surveys): questions in order, the people a form was sent to, one response per person
//! with one answer per question. Indexes follow the list, results and "sent to me" lookups.

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

fn index(
    name: &str,
    table: impl IntoIden + 'static,
    cols: Vec<DynIden>,
    unique: bool,
) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        m.create_table(
            Table::create()
                .table(Form::Table)
                .col(pk_auto(Form::Id))
                .col(integer(Form::CompanyId))
                .col(integer(Form::CreatedBy))
                .col(string_len(Form::Title, 200))
                .col(text(Form::Description))
                .col(integer_null(Form::MentorshipId))
                .col(timestamp_with_time_zone_null(Form::ClosedAt))
                .col(timestamp_with_time_zone(Form::CreatedAt))
                .col(timestamp_with_time_zone(Form::UpdatedAt))
                .foreign_key(&mut fk(
                    (Form::Table, Form::CompanyId),
                    (Company::Table, Company::Id),
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    (Form::Table, Form::CreatedBy),
                    (User::Table, User::Id),
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    (Form::Table, Form::MentorshipId),
                    (Mentorship::Table, Mentorship::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_form_company",
            Form::Table,
            vec![Form::CompanyId.into_iden(), Form::CreatedAt.into_iden()],
            false,
        ))
        .await?;
        m.create_index(index(
            "idx_form_creator",
            Form::Table,
            vec![Form::CreatedBy.into_iden(), Form::CreatedAt.into_iden()],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(FormQuestion::Table)
                .col(pk_auto(FormQuestion::Id))
                .col(integer(FormQuestion::FormId))
                .col(integer(FormQuestion::Position))
                .col(string_len(FormQuestion::Kind, 24))
                .col(string_len(FormQuestion::Label, 500))
                .col(boolean(FormQuestion::Required))
                .col(text(FormQuestion::Options))
                .foreign_key(&mut fk(
                    (FormQuestion::Table, FormQuestion::FormId),
                    (Form::Table, Form::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_form_question_form",
            FormQuestion::Table,
            vec![
                FormQuestion::FormId.into_iden(),
                FormQuestion::Position.into_iden(),
            ],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(FormRecipient::Table)
                .col(pk_auto(FormRecipient::Id))
                .col(integer(FormRecipient::FormId))
                .col(integer(FormRecipient::UserId))
                .foreign_key(&mut fk(
                    (FormRecipient::Table, FormRecipient::FormId),
                    (Form::Table, Form::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (FormRecipient::Table, FormRecipient::UserId),
                    (User::Table, User::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_form_recipient_pair",
            FormRecipient::Table,
            vec![
                FormRecipient::FormId.into_iden(),
                FormRecipient::UserId.into_iden(),
            ],
            true,
        ))
        .await?;
        m.create_index(index(
            "idx_form_recipient_user",
            FormRecipient::Table,
            vec![FormRecipient::UserId.into_iden()],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(FormResponse::Table)
                .col(pk_auto(FormResponse::Id))
                .col(integer(FormResponse::FormId))
                .col(integer(FormResponse::UserId))
                .col(timestamp_with_time_zone(FormResponse::SubmittedAt))
                .col(timestamp_with_time_zone(FormResponse::UpdatedAt))
                .foreign_key(&mut fk(
                    (FormResponse::Table, FormResponse::FormId),
                    (Form::Table, Form::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (FormResponse::Table, FormResponse::UserId),
                    (User::Table, User::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_form_response_pair",
            FormResponse::Table,
            vec![
                FormResponse::FormId.into_iden(),
                FormResponse::UserId.into_iden(),
            ],
            true,
        ))
        .await?;
        m.create_index(index(
            "idx_form_response_user",
            FormResponse::Table,
            vec![FormResponse::UserId.into_iden()],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(FormAnswer::Table)
                .col(pk_auto(FormAnswer::Id))
                .col(integer(FormAnswer::ResponseId))
                .col(integer(FormAnswer::QuestionId))
                .col(text(FormAnswer::Value))
                .foreign_key(&mut fk(
                    (FormAnswer::Table, FormAnswer::ResponseId),
                    (FormResponse::Table, FormResponse::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (FormAnswer::Table, FormAnswer::QuestionId),
                    (FormQuestion::Table, FormQuestion::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_form_answer_pair",
            FormAnswer::Table,
            vec![
                FormAnswer::ResponseId.into_iden(),
                FormAnswer::QuestionId.into_iden(),
            ],
            true,
        ))
        .await?;
        m.create_index(index(
            "idx_form_answer_question",
            FormAnswer::Table,
            vec![FormAnswer::QuestionId.into_iden()],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            FormAnswer::Table.into_iden(),
            FormResponse::Table.into_iden(),
            FormRecipient::Table.into_iden(),
            FormQuestion::Table.into_iden(),
            Form::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Form {
    Table,
    Id,
    CompanyId,
    CreatedBy,
    Title,
    Description,
    MentorshipId,
    ClosedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FormQuestion {
    Table,
    Id,
    FormId,
    Position,
    Kind,
    Label,
    Required,
    Options,
}

#[derive(DeriveIden)]
enum FormRecipient {
    Table,
    Id,
    FormId,
    UserId,
}

#[derive(DeriveIden)]
enum FormResponse {
    Table,
    Id,
    FormId,
    UserId,
    SubmittedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FormAnswer {
    Table,
    Id,
    ResponseId,
    QuestionId,
    Value,
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
enum Mentorship {
    Table,
    Id,
}
