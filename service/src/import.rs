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

/// A line of the file as written (blank lines are skipped).
struct Line {
    line: usize,
    email: String,
    name: String,
    role: String,
    department: String,
    password: String,
    /// The CSV reader could not read this line.
    unreadable: Option<FieldError>,
}

/// A person from a line without problems, ready to be created.
struct Person {
    input: NewUser,
    /// The password was generated (shown once; to be changed at first sign-in).
    generated_password: bool,
}

/// A CSV file's text: UTF-8, without the byte-order mark Excel's "CSV UTF-8" writes. `None` for
/// any other encoding (Excel's plain "CSV" on Korean Windows is CP949): see [`not_utf8`].
pub fn text_of(bytes: &[u8]) -> Option<&str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).ok()
}

/// Why a file [`text_of`] could not read is refused, with what to do about it.
pub fn not_utf8() -> ServiceError {
    ServiceError::invalid(
        "file",
        "not_utf8",
        "the file is not UTF-8 text: in Excel, save it as \"CSV UTF-8\"",
    )
}

/// Checks the file; with `commit`, imports it in one transaction if (and only if) it is valid.
pub async fn import_users(
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
    let lines = read(text)?;
    let (rows, people) = check(ctx, company, lines).await?;
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
        return Err(ServiceError::Invalid(by_line(&report.rows)));
    }
    report.created = create(ctx, company, people).await?;
    tracing::info!(
        count = report.created.len(),
        by = signed_in.id(),
        "people imported"
    );
    Ok(report)
}

fn empty() -> ServiceError {
    ServiceError::invalid("file", "empty", "the file has no people in it")
}

/// Reads the CSV into lines, refusing a file that is empty, too large, has no usable header or
/// too many people.
fn read(text: &str) -> Result<Vec<Line>> {
    if text.trim().is_empty() {
        return Err(empty());
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
    let (Some(email), Some(name), Some(role)) = (column("email"), column("name"), column("role"))
    else {
        return Err(ServiceError::invalid(
            "file",
            "missing_columns",
            "the header row needs the columns email, name and role",
        ));
    };
    let (department, password) = (column("department"), column("password"));

    let mut lines = Vec::new();
    for (index, record) in reader.records().enumerate() {
        if lines.len() == MAX_ROWS {
            return Err(ServiceError::invalid(
                "file",
                "too_many_rows",
                format!("import at most {MAX_ROWS} people at a time"),
            ));
        }
        let mut line = Line {
            line: index + 2,
            email: String::new(),
            name: String::new(),
            role: String::new(),
            department: String::new(),
            password: String::new(),
            unreadable: None,
        };
        match record {
            Ok(record) => {
                let get =
                    |col: Option<usize>| col.and_then(|c| record.get(c)).unwrap_or("").to_owned();
                line.email = users::normalize_email(&get(Some(email)));
                line.name = get(Some(name));
                line.role = get(Some(role));
                line.department = get(department);
                line.password = get(password);
                if line.email.is_empty() && line.name.is_empty() && line.role.is_empty() {
                    continue; // a blank line
                }
            }
            Err(e) => {
                line.unreadable = Some(FieldError::new(
                    "",
                    "unreadable",
                    format!("this line is not valid CSV: {e}"),
                ));
            }
        }
        lines.push(line);
    }
    if lines.is_empty() {
        return Err(empty());
    }
    Ok(lines)
}

/// Checks every line against the rules and the company (its departments, the emails already
/// taken): a report row per line, and the people of the lines without problems.
async fn check(ctx: &Ctx, company: i32, lines: Vec<Line>) -> Result<(Vec<ImportRow>, Vec<Person>)> {
    let departments: HashMap<String, i32> = department::Entity::find()
        .filter(department::Column::CompanyId.eq(company))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|d| (d.name.to_lowercase(), d.id))
        .collect();
    let mut rows = Vec::with_capacity(lines.len());
    let mut people = Vec::new();
    let mut seen = HashSet::new();
    for line in lines {
        let (row, person) = check_line(line, &departments, &mut seen);
        rows.push(row);
        people.extend(person);
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
    Ok((rows, people))
}

/// One line's problems (`seen` holds the emails of the lines before it); the person when there
/// are none.
fn check_line(
    line: Line,
    departments: &HashMap<String, i32>,
    seen: &mut HashSet<String>,
) -> (ImportRow, Option<Person>) {
    let Line {
        line,
        email,
        name,
        role,
        department,
        password,
        unreadable,
    } = line;
    let mut errors = Vec::new();
    let mut person = None;
    if let Some(unreadable) = unreadable {
        errors.push(unreadable);
    } else {
        errors = users::check_identity(&email, &name);
        let parsed_role = crate::error::parse::<Role>("role", &role.to_lowercase());
        errors.extend(parsed_role.clone().err());
        let department_id = match department.as_str() {
            "" => None,
            named => {
                let id = departments.get(&named.to_lowercase()).copied();
                if id.is_none() {
                    errors.push(FieldError::new(
                        "department",
                        "unknown_department",
                        "no department with this name",
                    ));
                }
                id
            }
        };
        if !password.is_empty() {
            errors.extend(password::check_rules("password", &password, &email));
        }
        if !email.is_empty() && !seen.insert(email.clone()) {
            errors.push(FieldError::new(
                "email",
                "duplicate",
                "this email appears twice in the file",
            ));
        }
        if let (Ok(role), true) = (parsed_role, errors.is_empty()) {
            let generated_password = password.is_empty();
            let password = if generated_password {
                random_token(12)
            } else {
                password
            };
            let mut input = NewUser::new(&email, &name, role, &password);
            input.department_id = department_id;
            person = Some(Person {
                input,
                generated_password,
            });
        }
    }
    let row = ImportRow {
        line,
        email,
        name,
        role,
        department,
        errors,
    };
    (row, person)
}

/// Every problem of the rows, its field named by its line.
fn by_line(rows: &[ImportRow]) -> Vec<FieldError> {
    rows.iter()
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
        .collect()
}

/// Creates the people in `company`: every password hashed first, then one short transaction.
async fn create(ctx: &Ctx, company: i32, people: Vec<Person>) -> Result<Vec<CreatedPerson>> {
    let mut prepared = Vec::with_capacity(people.len());
    for person in people {
        let temporary = person
            .generated_password
            .then(|| person.input.password.clone());
        let must_change = person.generated_password;
        prepared.push((users::prepare(person.input).await?, temporary, must_change));
    }
    let txn = crate::db::begin(&ctx.db).await?;
    let mut created = Vec::with_capacity(prepared.len());
    for (person, temporary, must_change) in prepared {
        let placement = Placement {
            company_id: Some(company),
            platform_admin: false,
        };
        let stored = users::store(&txn, person, placement, must_change).await?;
        created.push(CreatedPerson {
            id: stored.id,
            email: stored.email,
            temporary_password: temporary,
        });
    }
    sea_orm::TransactionSession::commit(txn).await?;
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_utf8_with_or_without_a_byte_order_mark() {
        assert_eq!(text_of(b"\xEF\xBB\xBFemail,name"), Some("email,name"));
        assert_eq!(text_of("이름".as_bytes()), Some("이름"));
        // "이름" in CP949, as Excel's plain CSV writes it on Korean Windows.
        assert_eq!(text_of(b"\xC0\xCC\xB8\xA7"), None);
    }
}
