//! Companies and departments. A company admin manages their own company; the platform admin
//! manages all. Deleting is allowed only when nothing belongs to the record any more.

use chrono::Utc;
use entity::{company, department, user, FieldError, Page, PageRequest};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::Deserialize;

use crate::error::Problems;
use crate::policy::{self, Action, Caller};
use crate::{Actor, Ctx, Result, ServiceError};

pub const NAME_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 2000;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CompanyInput {
    pub name: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DepartmentInput {
    pub name: String,
    pub description: Option<String>,
    /// Defaults to the caller's company.
    pub company_id: Option<i32>,
}

/// A partial update: absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Patch {
    pub name: Option<String>,
    pub description: Option<String>,
}

/// The trimmed name and description a company or department gets, or every problem with them.
fn named(name: &str, description: &str) -> Result<(String, String)> {
    let (name, description) = (name.trim().to_owned(), description.trim().to_owned());
    let mut problems = Problems::default();
    problems.line("name", &name, true, NAME_MAX);
    problems.text("description", &description, false, DESCRIPTION_MAX);
    problems.into_result()?;
    Ok((name, description))
}

/// A patch applied to what a record has now.
fn patched(patch: Patch, name: &str, description: &str) -> Result<(String, String)> {
    named(
        patch.name.as_deref().unwrap_or(name),
        patch.description.as_deref().unwrap_or(description),
    )
}

fn name_taken() -> ServiceError {
    ServiceError::Conflict(FieldError::new(
        "name",
        "taken",
        "this name is already in use",
    ))
}

fn in_use(what: &str) -> ServiceError {
    ServiceError::Conflict(FieldError::new(
        "",
        "not_empty",
        format!("the {what} still has members; move or remove them first"),
    ))
}

/// Maps a unique-constraint violation to "name taken" (two writers racing past the check).
fn name_conflict(e: sea_orm::DbErr) -> ServiceError {
    match ServiceError::from(e) {
        ServiceError::Conflict(_) => name_taken(),
        other => other,
    }
}

// ---------------------------------------------------------------------------------------------
// Companies

pub async fn create_company(
    ctx: &Ctx,
    actor: Option<&Actor>,
    input: CompanyInput,
) -> Result<company::Model> {
    policy::require(actor, Action::CreateCompany)?;
    let (name, description) = named(&input.name, input.description.as_deref().unwrap_or(""))?;
    if company_name_taken(&ctx.db, &name, None).await? {
        return Err(name_taken());
    }
    let now = Utc::now();
    company::ActiveModel {
        name: Set(name),
        description: Set(description),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await
    .map_err(name_conflict)
}

async fn company_name_taken(
    db: &impl ConnectionTrait,
    name: &str,
    except: Option<i32>,
) -> Result<bool> {
    let mut q = company::Entity::find().filter(company::Column::Name.eq(name));
    if let Some(id) = except {
        q = q.filter(company::Column::Id.ne(id));
    }
    Ok(q.count(db).await? > 0)
}

/// The platform admin sees every company; everyone else sees their own.
pub async fn list_companies(
    ctx: &Ctx,
    actor: Option<&Actor>,
    page: PageRequest,
) -> Result<Page<company::Model>> {
    let actor = policy::require(actor, Action::ViewOwnAccount)?;
    let caller = Caller::from(actor);
    let mut q = company::Entity::find().order_by_asc(company::Column::Name);
    if !caller.platform_admin {
        q = q.filter(company::Column::Id.eq(caller.company_id.unwrap_or(-1)));
    }
    let can_create = policy::allowed(Some(caller), Action::CreateCompany);
    Ok(crate::db::page(ctx, q, page).await?.creatable(can_create))
}

async fn find_company(ctx: &Ctx, id: i32) -> Result<company::Model> {
    company::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or(ServiceError::NotFound { what: "company" })
}

pub async fn get_company(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<company::Model> {
    policy::require_visible(actor, id, Action::ViewCompany(id), "company")?;
    find_company(ctx, id).await
}

pub async fn update_company(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    patch: Patch,
) -> Result<company::Model> {
    policy::require_visible(actor, id, Action::ManageCompany(id), "company")?;
    let current = find_company(ctx, id).await?;
    let (name, description) = patched(patch, &current.name, &current.description)?;
    if company_name_taken(&ctx.db, &name, Some(id)).await? {
        return Err(name_taken());
    }
    let mut active: company::ActiveModel = current.into();
    active.name = Set(name);
    active.description = Set(description);
    active.updated_at = Set(Utc::now());
    active.update(&ctx.db).await.map_err(name_conflict)
}

pub async fn delete_company(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<()> {
    policy::require(actor, Action::DeleteCompany(id))?;
    find_company(ctx, id).await?;
    let members = user::Entity::find()
        .filter(user::Column::CompanyId.eq(id))
        .count(&ctx.db)
        .await?;
    let departments = department::Entity::find()
        .filter(department::Column::CompanyId.eq(id))
        .count(&ctx.db)
        .await?;
    if members + departments > 0 {
        return Err(in_use("company"));
    }
    company::Entity::delete_by_id(id).exec(&ctx.db).await?;
    Ok(())
}

/// The company accounts join when nobody says which: the oldest one, created on first need.
pub(crate) async fn default_company(db: &impl ConnectionTrait) -> Result<company::Model> {
    if let Some(c) = company::Entity::find()
        .order_by_asc(company::Column::Id)
        .one(db)
        .await?
    {
        return Ok(c);
    }
    let now = Utc::now();
    Ok(company::ActiveModel {
        name: Set("My company".into()),
        description: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

// ---------------------------------------------------------------------------------------------
// Departments

async fn find_department(ctx: &Ctx, id: i32) -> Result<department::Model> {
    department::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or(ServiceError::NotFound { what: "department" })
}

async fn department_name_taken(
    db: &impl ConnectionTrait,
    company: i32,
    name: &str,
    except: Option<i32>,
) -> Result<bool> {
    let mut q = department::Entity::find()
        .filter(department::Column::CompanyId.eq(company))
        .filter(department::Column::Name.eq(name));
    if let Some(id) = except {
        q = q.filter(department::Column::Id.ne(id));
    }
    Ok(q.count(db).await? > 0)
}

fn target_company(actor: &Actor, explicit: Option<i32>) -> Result<i32> {
    explicit
        .or(actor.user.company_id)
        .ok_or_else(|| ServiceError::invalid("company_id", "required", "choose a company"))
}

pub async fn create_department(
    ctx: &Ctx,
    actor: Option<&Actor>,
    input: DepartmentInput,
) -> Result<department::Model> {
    let signed_in = policy::require(actor, Action::ViewOwnAccount)?;
    let company = target_company(signed_in, input.company_id)?;
    policy::require_visible(actor, company, Action::ManageCompany(company), "company")?;
    find_company(ctx, company).await?;
    let (name, description) = named(&input.name, input.description.as_deref().unwrap_or(""))?;
    if department_name_taken(&ctx.db, company, &name, None).await? {
        return Err(name_taken());
    }
    let now = Utc::now();
    department::ActiveModel {
        company_id: Set(company),
        name: Set(name),
        description: Set(description),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await
    .map_err(name_conflict)
}

/// Departments of `company` (default: the caller's), by name.
pub async fn list_departments(
    ctx: &Ctx,
    actor: Option<&Actor>,
    company: Option<i32>,
    page: PageRequest,
) -> Result<Page<department::Model>> {
    let signed_in = policy::require(actor, Action::ViewOwnAccount)?;
    let company = target_company(signed_in, company)?;
    policy::require_visible(actor, company, Action::ViewCompany(company), "company")?;
    let found = crate::db::page(
        ctx,
        department::Entity::find()
            .filter(department::Column::CompanyId.eq(company))
            .order_by_asc(department::Column::Name),
        page,
    )
    .await?;
    let can_create = policy::allowed(
        Some(Caller::from(signed_in)),
        Action::ManageCompany(company),
    );
    Ok(found.creatable(can_create))
}

pub async fn get_department(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
) -> Result<department::Model> {
    policy::require(actor, Action::ViewOwnAccount)?;
    let found = find_department(ctx, id).await?;
    policy::require_visible(
        actor,
        found.company_id,
        Action::ViewCompany(found.company_id),
        "department",
    )?;
    Ok(found)
}

pub async fn update_department(
    ctx: &Ctx,
    actor: Option<&Actor>,
    id: i32,
    patch: Patch,
) -> Result<department::Model> {
    let current = get_department(ctx, actor, id).await?;
    policy::require(actor, Action::ManageCompany(current.company_id))?;
    let (name, description) = patched(patch, &current.name, &current.description)?;
    if department_name_taken(&ctx.db, current.company_id, &name, Some(id)).await? {
        return Err(name_taken());
    }
    let mut active: department::ActiveModel = current.into();
    active.name = Set(name);
    active.description = Set(description);
    active.updated_at = Set(Utc::now());
    active.update(&ctx.db).await.map_err(name_conflict)
}

pub async fn delete_department(ctx: &Ctx, actor: Option<&Actor>, id: i32) -> Result<()> {
    let current = get_department(ctx, actor, id).await?;
    policy::require(actor, Action::ManageCompany(current.company_id))?;
    let members = user::Entity::find()
        .filter(user::Column::DepartmentId.eq(id))
        .count(&ctx.db)
        .await?;
    if members > 0 {
        return Err(in_use("department"));
    }
    department::Entity::delete_by_id(id).exec(&ctx.db).await?;
    Ok(())
}

/// Checks that `department` exists and belongs to `company` (for placing a person).
pub(crate) async fn check_department(
    db: &impl ConnectionTrait,
    company: i32,
    department: i32,
) -> Result<()> {
    match department::Entity::find_by_id(department).one(db).await? {
        Some(d) if d.company_id == company => Ok(()),
        _ => Err(ServiceError::invalid(
            "department_id",
            "unknown_department",
            "no such department in this company",
        )),
    }
}
