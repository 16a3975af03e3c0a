//! `/api/v1/companies` and `/api/v1/departments`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use entity::{company, department, Page, PageRequest};
use serde::{Deserialize, Serialize};
use service::org::{CompanyInput, DepartmentInput, Patch};
use utoipa::{IntoParams, ToSchema};

use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// 1-based page (default 1)
    pub page: Option<u64>,
    /// Items per page, at most 100 (default 20)
    pub per_page: Option<u64>,
    /// Departments of this company (default: the caller's)
    pub company_id: Option<i32>,
}

impl ListQuery {
    fn page(&self) -> PageRequest {
        PageRequest::new(self.page, self.per_page)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyList {
    pub items: Vec<company::Model>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// The caller may add to this list (false for lists nobody adds to directly)
    pub can_create: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentList {
    pub items: Vec<department::Model>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// The caller may add to this list (false for lists nobody adds to directly)
    pub can_create: bool,
}

impl From<Page<company::Model>> for CompanyList {
    fn from(p: Page<company::Model>) -> Self {
        CompanyList {
            items: p.items,
            total: p.total,
            page: p.page,
            per_page: p.per_page,
            can_create: p.can_create,
        }
    }
}

impl From<Page<department::Model>> for DepartmentList {
    fn from(p: Page<department::Model>) -> Self {
        DepartmentList {
            items: p.items,
            total: p.total,
            page: p.page,
            per_page: p.per_page,
            can_create: p.can_create,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateCompany {
    #[serde(default)]
    pub name: String,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateDepartment {
    #[serde(default)]
    pub name: String,
    pub description: Option<String>,
    /// Default: the caller's company.
    pub company_id: Option<i32>,
}

/// Absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Rename {
    pub name: Option<String>,
    pub description: Option<String>,
}

impl From<Rename> for Patch {
    fn from(r: Rename) -> Self {
        Patch {
            name: r.name,
            description: r.description,
        }
    }
}

/// Companies the caller may see: all for the platform admin, their own otherwise.
#[utoipa::path(get, path = "/api/v1/companies", tag = "organisation", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = CompanyList), (status = 401, body = Problem)))]
pub async fn list_companies(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<ApiJson<CompanyList>, ApiError> {
    Ok(ApiJson(
        service::org::list_companies(&state.ctx, Some(&actor), q.page())
            .await?
            .into(),
    ))
}

/// Create a company (platform admin).
#[utoipa::path(post, path = "/api/v1/companies", tag = "organisation", security(("bearer" = [])), request_body = CreateCompany,
    responses((status = 201, body = entity::company::Model), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_company(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiJson(body): ApiJson<CreateCompany>,
) -> Result<impl IntoResponse, ApiError> {
    let input = CompanyInput {
        name: body.name,
        description: body.description,
    };
    let created = service::org::create_company(&state.ctx, Some(&actor), input).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

#[utoipa::path(get, path = "/api/v1/companies/{id}", tag = "organisation", security(("bearer" = [])),
    responses((status = 200, body = entity::company::Model), (status = 404, body = Problem)))]
pub async fn get_company(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
) -> Result<ApiJson<company::Model>, ApiError> {
    Ok(ApiJson(
        service::org::get_company(&state.ctx, Some(&actor), id).await?,
    ))
}

/// Rename or describe a company (its admins, the platform admin).
#[utoipa::path(patch, path = "/api/v1/companies/{id}", tag = "organisation", security(("bearer" = [])), request_body = Rename,
    responses((status = 200, body = entity::company::Model), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_company(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<Rename>,
) -> Result<ApiJson<company::Model>, ApiError> {
    Ok(ApiJson(
        service::org::update_company(&state.ctx, Some(&actor), id, body.into()).await?,
    ))
}

/// Delete an empty company (platform admin); 409 while it has departments or people.
#[utoipa::path(delete, path = "/api/v1/companies/{id}", tag = "organisation", security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_company(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
) -> Result<StatusCode, ApiError> {
    service::org::delete_company(&state.ctx, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Departments of a company (default: the caller's), by name.
#[utoipa::path(get, path = "/api/v1/departments", tag = "organisation", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = DepartmentList), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_departments(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<ApiJson<DepartmentList>, ApiError> {
    let page =
        service::org::list_departments(&state.ctx, Some(&actor), q.company_id, q.page()).await?;
    Ok(ApiJson(page.into()))
}

/// Create a department (company admins).
#[utoipa::path(post, path = "/api/v1/departments", tag = "organisation", security(("bearer" = [])), request_body = CreateDepartment,
    responses((status = 201, body = entity::department::Model), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_department(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiJson(body): ApiJson<CreateDepartment>,
) -> Result<impl IntoResponse, ApiError> {
    let input = DepartmentInput {
        name: body.name,
        description: body.description,
        company_id: body.company_id,
    };
    let created = service::org::create_department(&state.ctx, Some(&actor), input).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

#[utoipa::path(get, path = "/api/v1/departments/{id}", tag = "organisation", security(("bearer" = [])),
    responses((status = 200, body = entity::department::Model), (status = 404, body = Problem)))]
pub async fn get_department(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
) -> Result<ApiJson<department::Model>, ApiError> {
    Ok(ApiJson(
        service::org::get_department(&state.ctx, Some(&actor), id).await?,
    ))
}

#[utoipa::path(patch, path = "/api/v1/departments/{id}", tag = "organisation", security(("bearer" = [])), request_body = Rename,
    responses((status = 200, body = entity::department::Model), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_department(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<Rename>,
) -> Result<ApiJson<department::Model>, ApiError> {
    Ok(ApiJson(
        service::org::update_department(&state.ctx, Some(&actor), id, body.into()).await?,
    ))
}

/// Delete an empty department; 409 while people are in it.
#[utoipa::path(delete, path = "/api/v1/departments/{id}", tag = "organisation", security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_department(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(id): ApiPath<i32>,
) -> Result<StatusCode, ApiError> {
    service::org::delete_department(&state.ctx, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
