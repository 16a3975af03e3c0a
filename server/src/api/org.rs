//! `/api/v1/companies` and `/api/v1/departments`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use entity::{company, department, Page, PageRequest};
use serde::Deserialize;
use service::org::{CompanyInput, DepartmentInput, Patch};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{field, Conflict, Forbidden, Id, Invalid, NotFound};
use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 1-based page (default 1)
    #[param(minimum = 1)]
    pub page: Option<i64>,
    /// Items per page, at most 100 (default 20)
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
    /// Departments of this company (default: the caller's)
    pub company_id: Option<i32>,
}

impl ListQuery {
    fn page(&self) -> Result<PageRequest, ApiError> {
        super::page_request(self.page, self.per_page)
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateCompany {
    #[serde(default)]
    #[schema(required = true, schema_with = field::org_name)]
    pub name: String,
    #[schema(schema_with = field::org_description_or_null)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateDepartment {
    #[serde(default)]
    #[schema(required = true, schema_with = field::org_name)]
    pub name: String,
    #[schema(schema_with = field::org_description_or_null)]
    pub description: Option<String>,
    /// Default: the caller's company.
    pub company_id: Option<i32>,
}

/// Absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Rename {
    #[schema(schema_with = field::org_name_or_null)]
    pub name: Option<String>,
    #[schema(schema_with = field::org_description_or_null)]
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
#[utoipa::path(get, path = "/companies", tag = "organisation", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Page<entity::company::Model>), Invalid))]
pub async fn list_companies(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<ApiJson<Page<company::Model>>, ApiError> {
    Ok(ApiJson(
        service::org::list_companies(&state.ctx, Some(&actor), q.page()?).await?,
    ))
}

/// Create a company (platform admin).
#[utoipa::path(post, path = "/companies", tag = "organisation", security(("bearer" = [])), request_body = CreateCompany,
    responses((status = 201, body = entity::company::Model), Forbidden, Conflict, Invalid))]
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

#[utoipa::path(get, path = "/companies/{id}", tag = "organisation", security(("bearer" = [])), params(Id),
    responses((status = 200, body = entity::company::Model), NotFound))]
pub async fn get_company(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<company::Model>, ApiError> {
    Ok(ApiJson(
        service::org::get_company(&state.ctx, Some(&actor), id).await?,
    ))
}

/// Rename or describe a company (its admins, the platform admin).
#[utoipa::path(patch, path = "/companies/{id}", tag = "organisation", security(("bearer" = [])), params(Id), request_body = Rename,
    responses((status = 200, body = entity::company::Model), Forbidden, NotFound, Conflict, Invalid))]
pub async fn update_company(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Rename>,
) -> Result<ApiJson<company::Model>, ApiError> {
    Ok(ApiJson(
        service::org::update_company(&state.ctx, Some(&actor), id, body.into()).await?,
    ))
}

/// Delete an empty company (platform admin); 409 while it has departments or people.
#[utoipa::path(delete, path = "/companies/{id}", tag = "organisation", security(("bearer" = [])), params(Id),
    responses((status = 204, description = "Deleted"), Forbidden, NotFound, Conflict))]
pub async fn delete_company(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<StatusCode, ApiError> {
    service::org::delete_company(&state.ctx, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Departments of a company (default: the caller's), by name.
#[utoipa::path(get, path = "/departments", tag = "organisation", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Page<entity::department::Model>), NotFound, Invalid))]
pub async fn list_departments(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<ApiJson<Page<department::Model>>, ApiError> {
    Ok(ApiJson(
        service::org::list_departments(&state.ctx, Some(&actor), q.company_id, q.page()?).await?,
    ))
}

/// Create a department (company admins).
#[utoipa::path(post, path = "/departments", tag = "organisation", security(("bearer" = [])), request_body = CreateDepartment,
    responses((status = 201, body = entity::department::Model), Forbidden, NotFound, Conflict, Invalid))]
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

#[utoipa::path(get, path = "/departments/{id}", tag = "organisation", security(("bearer" = [])), params(Id),
    responses((status = 200, body = entity::department::Model), NotFound))]
pub async fn get_department(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<department::Model>, ApiError> {
    Ok(ApiJson(
        service::org::get_department(&state.ctx, Some(&actor), id).await?,
    ))
}

#[utoipa::path(patch, path = "/departments/{id}", tag = "organisation", security(("bearer" = [])), params(Id), request_body = Rename,
    responses((status = 200, body = entity::department::Model), Forbidden, NotFound, Conflict, Invalid))]
pub async fn update_department(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Rename>,
) -> Result<ApiJson<department::Model>, ApiError> {
    Ok(ApiJson(
        service::org::update_department(&state.ctx, Some(&actor), id, body.into()).await?,
    ))
}

/// Delete an empty department; 409 while people are in it.
#[utoipa::path(delete, path = "/departments/{id}", tag = "organisation", security(("bearer" = [])), params(Id),
    responses((status = 204, description = "Deleted"), Forbidden, NotFound, Conflict))]
pub async fn delete_department(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<StatusCode, ApiError> {
    service::org::delete_department(&state.ctx, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
