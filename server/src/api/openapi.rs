//! What the OpenAPI document says beyond each handler's own `#[utoipa::path]`: the document's
//! frame, the path parameters, the error responses every handler shares, the responses the
//! extractors give before a handler runs, and request-field schemas that carry the service's
//! limits.

use serde::Deserialize;
use serde_json::{json, Map, Value};
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::schema::{Object, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, KnownFormat, Ref, RefOr, ResponseBuilder};
use utoipa::{IntoParams, IntoResponses, Modify, OpenApi};

use crate::problem::{Problem, PROBLEM_JSON};

#[derive(OpenApi)]
#[openapi(
    info(title = "nuri API", description = "REST API of nuri, the self-hosted team platform. \
        Authenticate with `POST /api/v1/auth/login` and send `Authorization: Bearer <access_token>`. \
        Errors are `application/problem+json` (RFC 9457) with a stable `code` and per-field `errors`."),
    components(schemas(Problem, entity::FieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-in, tokens and the current user"),
        (name = "users", description = "People"),
        (name = "organisation", description = "Companies and departments"),
        (name = "curricula", description = "Curricula and their task templates"),
        (name = "mentoring", description = "Mentorships, tasks, memos and dashboards"),
        (name = "notifications", description = "The caller's in-app notifications"),
        (name = "forms", description = "Forms (surveys): build, send, answer, results and CSV export"),
        (name = "workspaces", description = "Personal analysis workspaces, their JupyterLab and notebook runs"),
        (name = "files", description = "Files in a workspace: list, upload, download (folders as zip), move, delete, preview"),
        (name = "hosting", description = "Personal web hosting on a VM: create, start, stop, restart, delete, the timeline; SSH keys; the admin overview"),
        (name = "operations", description = "Health and version"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Path parameters: handlers extract these very structs, so the names in the document are the
// names the router fills.

/// `/{id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct Id {
    /// The id of the record the path names
    pub id: i32,
}

/// `/curricula/{id}/tasks/{task_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CurriculumTask {
    /// The curriculum's id
    pub id: i32,
    /// The id of one of its tasks
    pub task_id: i32,
}

/// `/tasks/{id}/memos/{memo_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TaskMemo {
    /// The task's id
    pub id: i32,
    /// The id of one of its memos
    pub memo_id: i32,
}

// ---------------------------------------------------------------------------------------------
// Errors a handler lists when its service call can give them.

/// Signed in, but not allowed to do this.
#[derive(IntoResponses)]
#[response(status = 403, content_type = "application/problem+json")]
pub struct Forbidden(pub Problem);

/// No such record, or one the caller may not see.
#[derive(IntoResponses)]
#[response(status = 404, content_type = "application/problem+json")]
pub struct NotFound(pub Problem);

/// It conflicts with what is stored (taken, in use, changed meanwhile, closed).
#[derive(IntoResponses)]
#[response(status = 409, content_type = "application/problem+json")]
pub struct Conflict(pub Problem);

/// Storing it would go over the owner's quota (`quota_exceeded`).
#[derive(IntoResponses)]
#[response(status = 413, content_type = "application/problem+json")]
pub struct QuotaExceeded(pub Problem);

/// What it needs is not there now (no hypervisor answers, say); the message says how to fix it.
#[derive(IntoResponses)]
#[response(status = 503, content_type = "application/problem+json")]
pub struct Unavailable(pub Problem);

/// A field breaks a rule; `errors` names each.
#[derive(IntoResponses)]
#[response(status = 422, content_type = "application/problem+json")]
pub struct Invalid(pub Problem);

// ---------------------------------------------------------------------------------------------
// What the extractors answer before any handler runs, added to every operation they serve.

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                PROBLEM_JSON,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .flatten()
}

/// Says what the extractors do before a handler runs. Adds, where the handler did not describe
/// them itself, their answers: `RequireActor` (401 for secured operations), `ApiPath` (404 for a
/// path that names nothing), `ApiQuery` (400 for a malformed query) and `ApiJson` (400, 415,
/// 422 for a body that is not JSON, not sent as JSON, or not an object of the expected shape).
/// An optional body (`Option<ApiJson<T>>`) is a `T` or no body at all, never `null`.
pub fn describe_extractors(doc: &mut utoipa::openapi::OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for op in operations(item) {
            if let Some(body) = op.request_body.as_mut().filter(|b| b.required.is_none()) {
                for content in body.content.values_mut() {
                    if let Some(RefOr::T(Schema::OneOf(one_of))) = &mut content.schema {
                        one_of.items.retain(|s| !is_null(s));
                        if one_of.items.len() == 1 {
                            content.schema = one_of.items.pop();
                        }
                    }
                }
            }
            let params = op.parameters.as_deref().unwrap_or_default();
            let has = |place: ParameterIn| params.iter().any(|p| p.parameter_in == place);
            let mut add = Vec::new();
            if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                add.push(("401", "Not signed in, or the token is invalid or expired"));
                add.push((
                    "403",
                    "Not allowed, or the account must change its password first (`password_change_required`)",
                ));
            }
            if has(ParameterIn::Path) {
                add.push(("404", "No such record, or one the caller may not see"));
            }
            if has(ParameterIn::Query) {
                add.push(("400", "A query parameter is malformed"));
            }
            let json_body = op
                .request_body
                .as_ref()
                .is_some_and(|b| b.content.contains_key("application/json"));
            if json_body {
                add.push(("400", "The body is not well-formed JSON"));
                add.push(("415", "The body is not sent as application/json"));
                add.push((
                    "422",
                    "The body is not the expected object, or a field breaks a rule",
                ));
            }
            for (status, description) in add {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| problem(description));
            }
        }
    }
}

fn is_null(schema: &RefOr<Schema>) -> bool {
    matches!(schema, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::new(Type::Null))
}

// ---------------------------------------------------------------------------------------------
// Request fields with the service's own limits (`#[schema(schema_with = …)]`).

/// What `str::trim` removes: Unicode White_Space.
const TRIMMED: &str =
    "\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
/// Control characters (Unicode Cc), and those of them multi-line text may hold.
const CONTROL: &str = "\\u0000-\\u001F\\u007F-\\u009F";
const CONTROL_BUT_LINE_BREAKS: &str = "\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F";

/// Text as the service takes it (`service::error::text_problem`): trimmed, then at most `max`
/// characters without control characters. The pattern says exactly that, white space around
/// it included, which `maxLength` could not.
fn string(min: usize, max: usize, multiline: bool, nullable: bool) -> Object {
    let ty = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::new(Type::String)
    };
    let control = if multiline {
        CONTROL_BUT_LINE_BREAKS
    } else {
        CONTROL
    };
    let lines = if multiline { "" } else { "one line, " };
    let mut o = ObjectBuilder::new()
        .schema_type(ty)
        .min_length((min > 0).then_some(min))
        .pattern(Some(format!(
            "^[{TRIMMED}]*[^{control}]{{0,{max}}}[{TRIMMED}]*$"
        )))
        .build();
    o.description = Some(format!(
        "{lines}at most {max} characters once surrounding white space is trimmed, \
         no control characters"
    ));
    o
}

fn int32(min: i32, max: i32, nullable: bool) -> Object {
    let ty = if nullable {
        SchemaType::from_iter([Type::Integer, Type::Null])
    } else {
        SchemaType::new(Type::Integer)
    };
    ObjectBuilder::new()
        .schema_type(ty)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
        .minimum(Some(min))
        .maximum(Some(max))
        .build()
}

/// Schemas for `#[schema(schema_with = …)]`: `*_or_null` are for PATCH fields, where `null`
/// and absence both leave the value as it is.
pub mod field {
    use super::*;

    use service::{curricula, forms, org, tasks, users};

    pub fn person_name() -> Object {
        string(1, users::NAME_MAX, false, false)
    }
    pub fn person_name_or_null() -> Object {
        string(1, users::NAME_MAX, false, true)
    }
    pub fn search() -> Object {
        string(0, service::users::SEARCH_MAX, false, false)
    }
    /// An address like `name@example.com` (the service checks its shape).
    pub fn email() -> Object {
        string(1, users::EMAIL_MAX, false, false)
    }
    pub fn org_name() -> Object {
        string(1, org::NAME_MAX, false, false)
    }
    pub fn org_name_or_null() -> Object {
        string(1, org::NAME_MAX, false, true)
    }
    pub fn org_description_or_null() -> Object {
        string(0, org::DESCRIPTION_MAX, true, true)
    }
    pub fn title() -> Object {
        string(1, curricula::TITLE_MAX, false, false)
    }
    pub fn title_or_null() -> Object {
        string(1, curricula::TITLE_MAX, false, true)
    }
    pub fn copy_title() -> Object {
        string(0, curricula::TITLE_MAX, false, true)
    }
    pub fn description_or_null() -> Object {
        string(0, curricula::DESCRIPTION_MAX, true, true)
    }
    pub fn form_title() -> Object {
        string(1, forms::TITLE_MAX, false, false)
    }
    pub fn form_title_or_null() -> Object {
        string(1, forms::TITLE_MAX, false, true)
    }
    pub fn form_description_or_null() -> Object {
        string(0, forms::DESCRIPTION_MAX, true, true)
    }
    pub fn question_label() -> Object {
        string(1, forms::LABEL_MAX, false, false)
    }
    pub fn memo() -> Object {
        string(1, tasks::memos::BODY_MAX, true, false)
    }
    pub fn comment_or_null() -> Object {
        string(0, tasks::transition::COMMENT_MAX, true, true)
    }

    pub fn week() -> Object {
        int32(1, curricula::WEEKS, false)
    }
    pub fn week_or_null() -> Object {
        int32(1, curricula::WEEKS, true)
    }
    pub fn expected_days() -> Object {
        int32(1, curricula::EXPECTED_DAYS_MAX, false)
    }
    pub fn expected_days_or_null() -> Object {
        int32(1, curricula::EXPECTED_DAYS_MAX, true)
    }

    /// A password as the service takes it (not trimmed: every character counts).
    pub fn new_password() -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(service::auth::password::MIN_LEN))
            .max_length(Some(service::auth::password::MAX_LEN))
            .build()
    }

    /// An ISO 8601 calendar date (`2026-12-01`).
    pub fn date() -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .build()
    }
    pub fn date_or_null() -> Object {
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .build()
    }
}

/// `sort` of a list: each key the service sorts by, `-` in front for descending.
pub fn sort<C>(keys: &[(&'static str, C)]) -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(service::sort::values(keys)))
            .build(),
    )
}

// ---------------------------------------------------------------------------------------------
// Links: how to get from a response to the operations on what it returns.

/// Links each response that returns records to the operations on one of them: a created record
/// (`id`), a page (`items/0/id`) or a list (`0/id`) leads to every operation whose path adds one
/// parameter to this one's (`/tasks` → `/tasks/{id}`, `/tasks/{id}/memos/{memo_id}`), the
/// other parameters passed on. Generated clients and the fuzzer's stateful phase follow these.
pub fn link_records(doc: &mut Value) {
    let schemas = doc["components"]["schemas"].clone();
    let mut ops = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                ops.push((path.clone(), method.clone(), op["operationId"].clone()));
            }
        }
    }
    for (path, method, _) in &ops {
        for status in ["200", "201"] {
            let response = &doc["paths"][path][method]["responses"][status];
            let schema = resolve(&response["content"]["application/json"]["schema"], &schemas);
            let Some(pointer) = record_id(&schema, &schemas, method, status) else {
                continue;
            };
            let mut links = Map::new();
            for (target, _, operation_id) in &ops {
                let Some(added) = added_param(path, target) else {
                    continue;
                };
                let mut parameters = Map::new();
                for name in template_params(path) {
                    parameters.insert(name.clone(), json!(format!("$request.path.{name}")));
                }
                parameters.insert(added, json!(format!("$response.body#{pointer}")));
                let name = operation_id.as_str().unwrap_or_default().to_owned();
                links.insert(
                    name,
                    json!({"operationId": operation_id, "parameters": parameters}),
                );
            }
            if !links.is_empty() {
                doc["paths"][path][method]["responses"][status]["links"] = Value::Object(links);
            }
        }
    }
}

/// Where the id of a record sits in a response of this shape, if it returns records.
fn record_id(schema: &Value, schemas: &Value, method: &str, status: &str) -> Option<&'static str> {
    let has_id = |s: &Value| resolve(s, schemas)["properties"].get("id").is_some();
    match (method, status) {
        ("post", "201") if has_id(schema) => Some("/id"),
        ("get", "200") if has_id(&schema["properties"]["items"]["items"]) => Some("/items/0/id"),
        ("get", "200") if has_id(&schema["items"]) => Some("/0/id"),
        _ => None,
    }
}

/// `schema` with `$ref`s followed and `allOf` parts merged (enough to see its properties).
fn resolve(schema: &Value, schemas: &Value) -> Value {
    if let Some(name) = schema["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
        return resolve(&schemas[name], schemas);
    }
    let Some(parts) = schema["allOf"].as_array() else {
        return schema.clone();
    };
    let mut properties = Map::new();
    for part in parts {
        if let Some(p) = resolve(part, schemas)["properties"].as_object() {
            properties.extend(p.clone());
        }
    }
    json!({"type": "object", "properties": properties})
}

/// The one parameter `target` adds after `base` (`/a/{x}` or `/a/{x}/…` after `/a`).
fn added_param(base: &str, target: &str) -> Option<String> {
    let rest = target.strip_prefix(base)?.strip_prefix("/{")?;
    let (name, tail) = rest.split_once('}')?;
    (tail.is_empty() || tail.starts_with('/')).then(|| name.to_owned())
}

fn template_params(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        .map(str::to_owned)
        .collect()
}
