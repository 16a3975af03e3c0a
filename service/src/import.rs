//! Bulk import of people from CSV. Every row is checked before anything is written; a preview
//! shows each row with its problems, and an import with any problem writes nothing.
//!
//! Columns (header row required, any order, names in English): `email`, `name`, `role`, and
//! optionally `department` (a department name of the company) and `password`. A row without a
//! password gets a temporary one that must be changed at first sign-in.

use std::collections::{HashMap, HashSet};

use entity::{department, user, FieldError, Role};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::auth::password;
use crate::policy::{self, Action};
use crate::secrets::random_token;
use crate::users::{self, NewUser, Placement};
use crate::{Actor, Ctx, Result, ServiceError};

pub const MAX_ROWS: usize = 500;
pub const MAX_BYTES: usize = 512 * 1024;

pub use entity::import::{CreatedPerson, ImportReport, ImportRow};

struct Checked {
    input: NewUser,
    generated_password: bool,
}

/// Checks the file; with `commit`, imports it in one transaction if (and only if) it is valid.
pub async fn import_people(
    ctx: &Ctx,
    actor: Option<&Actor>,
    text: &str,
    commit: bool,
) -> Result<ImportReport> {
    let signed_in = policy::require(actor, Action::ViewOwnAccount)?;
    let company = signed_in.user.company_id.ok_or_else(|| {
        ServiceError::invalid(
            "company_id",
            "required",
            "import into a company you belong to",
        )
    })?;
    policy::require(actor, Action::ManageCompany(company))?;
    if text.trim().is_empty() {
        return Err(ServiceError::invalid(
            "file",
            "empty",
            "the file has no people in it",
        ));
    }
    if text.len() > MAX_BYTES {
        return Err(ServiceError::invalid(
            "file",
            "too_large",
            format!("the file is over {} KiB", MAX_BYTES / 1024),
        ));
    }

    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ServiceError::invalid("file", "unreadable", format!("not a CSV file: {e}")))?
        .iter()
        .map(|h| h.to_lowercase())
        .collect();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(email_col), Some(name_col), Some(role_col)) =
        (column("email"), column("name"), column("role"))
    else {
        return Err(ServiceError::invalid(
            "file",
            "missing_columns",
            "the header row needs the columns email, name and role",
        ));
    };
    let (department_col, password_col) = (column("department"), column("password"));

    let departments: HashMap<String, i32> = department::Entity::find()
        .filter(department::Column::CompanyId.eq(company))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|d| (d.name.to_lowercase(), d.id))
        .collect();

    let mut rows = Vec::new();
    let mut checked = Vec::new();
    let mut seen = HashSet::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        if rows.len() == MAX_ROWS {
            return Err(ServiceError::invalid(
                "file",
                "too_many_rows",
                format!("import at most {MAX_ROWS} people at a time"),
            ));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                rows.push(ImportRow {
                    line,
                    email: String::new(),
                    name: String::new(),
                    role: String::new(),
                    department: String::new(),
                    errors: vec![FieldError::new(
                        "",
                        "unreadable",
                        format!("this line is not valid CSV: {e}"),
                    )],
                });
                continue;
            }
        };
        let get = |col: Option<usize>| col.and_then(|c| record.get(c)).unwrap_or("").to_owned();
        let (email, name, role, dept, given_password) = (
            users::normalize_email(&get(Some(email_col))),
            get(Some(name_col)),
            get(Some(role_col)),
            get(department_col),
            get(password_col),
        );
        if email.is_empty() && name.is_empty() && role.is_empty() {
            continue; // a blank line
        }
        let mut errors = users::check_identity(&email, &name);
        let parsed_role = match crate::error::parse::<Role>("role", &role.to_lowercase()) {
            Ok(role) => Some(role),
            Err(wrong) => {
                errors.push(wrong);
                None
            }
        };
        let department_id = if dept.is_empty() {
            None
        } else {
            let id = departments.get(&dept.to_lowercase()).copied();
            if id.is_none() {
                errors.push(FieldError::new(
                    "department",
                    "unknown_department",
                    "no department with this name",
                ));
            }
            id
        };
        if !given_password.is_empty() {
            errors.extend(password::check_rules("password", &given_password, &email));
        }
        if !email.is_empty() && !seen.insert(email.clone()) {
            errors.push(FieldError::new(
                "email",
                "duplicate",
                "this email appears twice in the file",
            ));
        }
        if errors.is_empty() {
            let generated_password = given_password.is_empty();
            let password = if generated_password {
                random_token(12)
            } else {
                given_password
            };
            let mut input = NewUser::new(
                &email,
                &name,
                parsed_role.unwrap_or(Role::Mentee),
                &password,
            );
            input.department_id = department_id;
            checked.push((
                rows.len(),
                Checked {
                    input,
                    generated_password,
                },
            ));
        }
        rows.push(ImportRow {
            line,
            email,
            name,
            role,
            department: dept,
            errors,
        });
    }
    if rows.is_empty() {
        return Err(ServiceError::invalid(
            "file",
            "empty",
            "the file has no people in it",
        ));
    }

    // Emails already taken, in one query.
    let emails: Vec<String> = rows
        .iter()
        .map(|r| r.email.clone())
        .filter(|e| !e.is_empty())
        .collect();
    let taken: HashSet<String> = user::Entity::find()
        .filter(user::Column::Email.is_in(emails))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect();
    for row in rows.iter_mut().filter(|r| taken.contains(&r.email)) {
        row.errors.push(FieldError::new(
            "email",
            "taken",
            "an account with this email already exists",
        ));
    }
    let valid = rows.iter().all(|r| r.errors.is_empty());
    let mut report = ImportReport {
        rows,
        valid,
        created: Vec::new(),
    };
    if !commit {
        return Ok(report);
    }
    if !valid {
        // Nothing is written; every problem is named by its line.
        let problems = report
            .rows
            .iter()
            .flat_map(|r| {
                r.errors.iter().map(move |e| {
                    let field = if e.field.is_empty() {
                        format!("line {}", r.line)
                    } else {
                        format!("line {}: {}", r.line, e.field)
                    };
                    FieldError::new(&field, &e.code, e.message.clone())
                })
            })
            .collect();
        return Err(ServiceError::Invalid(problems));
    }

    // Hash first, then write everything in one short transaction.
    let mut prepared = Vec::with_capacity(checked.len());
    for (_, person) in checked {
        let temporary = person
            .generated_password
            .then(|| person.input.password.clone());
        let must_change = person.generated_password;
        prepared.push((users::prepare(person.input).await?, temporary, must_change));
    }
    let txn = crate::db::begin(&ctx.db).await?;
    for (person, temporary, must_change) in prepared {
        let placement = Placement {
            company_id: Some(company),
            platform_admin: false,
        };
        let created = users::store(&txn, person, placement, must_change).await?;
        report.created.push(CreatedPerson {
            id: created.id,
            email: created.email,
            temporary_password: temporary,
        });
    }
    sea_orm::TransactionSession::commit(txn).await?;
    tracing::info!(
        count = report.created.len(),
        by = signed_in.id(),
        "people imported"
    );
    Ok(report)
}
