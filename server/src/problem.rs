//! REST errors as RFC 9457 `application/problem+json`, mapped from `ServiceError` in one place.

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, OptionalFromRequest, Request};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use entity::{ErrorKind, FieldError};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Serialize;
use service::ServiceError;
use utoipa::ToSchema;

/// The media type of every error nuri sends.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// `urn:nuri:problem:<kind>`
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code, e.g. `invalid_credentials`, `token_expired`.
    pub code: String,
    /// Per-field problems (empty when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    #[serde(skip)]
    retry_after: Option<u64>,
}

#[derive(Debug)]
/// Boxed: problems travel through `Result`s and should stay small there.
pub struct ApiError(pub Box<Problem>);

impl ApiError {
    pub fn new(kind: ErrorKind, code: &str, detail: impl Into<String>) -> Self {
        ApiError(Box::new(Problem {
            kind: format!("urn:nuri:problem:{}", kind.slug()),
            title: kind.title().to_owned(),
            status: kind.status(),
            detail: detail.into(),
            code: code.to_owned(),
            errors: Vec::new(),
            retry_after: None,
        }))
    }

    /// A malformed request the service never saw (bad JSON, wrong content type).
    pub fn bad_request(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        let mut e = ApiError::new(ErrorKind::Invalid, code, detail);
        e.0.status = status.as_u16();
        e.0.title = status
            .canonical_reason()
            .unwrap_or("Bad request")
            .to_owned();
        e
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        let detail = match &err {
            ServiceError::Internal(detail) => {
                tracing::error!(%detail, "internal error in a REST call");
                "something went wrong on the server".to_owned()
            }
            ServiceError::Invalid(fields) if !fields.is_empty() => fields
                .iter()
                .map(|f| {
                    if f.field.is_empty() {
                        f.message.clone()
                    } else {
                        format!("{}: {}", f.field, f.message)
                    }
                })
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        };
        let mut e = ApiError::new(err.kind(), err.code(), detail);
        e.0.errors = err.fields();
        e.0.retry_after = err.retry_after_secs();
        e
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let (status, code) = match &rejection {
            JsonRejection::MissingJsonContentType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            JsonRejection::JsonSyntaxError(_) => (StatusCode::BAD_REQUEST, "malformed_json"),
            JsonRejection::JsonDataError(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
            _ => (StatusCode::BAD_REQUEST, "bad_request"),
        };
        ApiError::bad_request(status, code, rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        // The same code as every other "not found" (the kind's slug), however the id was wrong.
        let kind = ErrorKind::NotFound;
        ApiError::new(kind, kind.slug(), rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::bad_request(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            rejection.body_text(),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = self.0.retry_after;
        let mut res = (status, axum::Json(*self.0)).into_response();
        let headers = res.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(secs) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"nuri\""),
            );
        }
        res
    }
}

/// A JSON object body as `T` (like `axum::Json`), refusing with problem documents: 415 unless
/// sent as JSON, 400 when malformed, 422 when it is not an object or does not fit `T`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers()) {
            return Err(ApiError::bad_request(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as application/json",
            ));
        }
        let ApiBody(body) = ApiBody::from_request(req, state).await?;
        json_object(&body).map(ApiJson)
    }
}

/// The raw body, for handlers that read it themselves: an unreadable or oversized one is a
/// problem like every other rejection.
pub struct ApiBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, ApiError> {
        axum::body::to_bytes(req.into_body(), crate::limits::BODY_MAX)
            .await
            .map(ApiBody)
            .map_err(crate::limits::unreadable)
    }
}

/// An optional body (`Option<ApiJson<T>>`): none when the request carries no bytes at all.
impl<T: DeserializeOwned, S: Send + Sync> OptionalFromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, ApiError> {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, crate::limits::BODY_MAX)
            .await
            .map_err(crate::limits::unreadable)?;
        if bytes.is_empty() {
            return Ok(None);
        }
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        <Self as FromRequest<S>>::from_request(req, state)
            .await
            .map(Some)
    }
}

/// For a field holding a list of objects (`#[serde(deserialize_with = "objects")]`): like
/// `json_object` one level down, each element must be an object, not an array.
pub fn objects<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: DeserializeOwned,
{
    use serde::de::Error;
    use serde::Deserialize;
    let maps = Vec::<serde_json::Map<String, serde_json::Value>>::deserialize(deserializer)?;
    maps.into_iter()
        .map(|m| T::deserialize(serde_json::Value::Object(m)).map_err(D::Error::custom))
        .collect()
}

/// `application/json`, or any `application/…+json`, as axum's `Json` accepts.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.strip_prefix("application/") {
        Some(subtype) => subtype == "json" || subtype.ends_with("+json"),
        None => false,
    }
}

/// Parses a JSON object into `T`. serde fills a struct from an array as well (`["a", "b"]` for
/// `{name, email}`), which no client means, so anything but an object is refused.
pub fn json_object<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.trim_ascii_start().first() != Some(&b'{') {
        // Well-formed JSON of another kind is the wrong shape (422), anything else malformed (400).
        let axum::Json(IgnoredAny) = axum::Json::<IgnoredAny>::from_bytes(body)?;
        return Err(ApiError::bad_request(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "the body must be a JSON object",
        ));
    }
    let axum::Json(value) = axum::Json::<T>::from_bytes(body)?;
    Ok(value)
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Path` whose rejections (e.g. `/companies/abc`) are problem documents.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// `axum::extract::Query` whose rejections are problem documents.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// 404 for unknown API paths (never the HTML app).
pub async fn api_not_found() -> ApiError {
    ApiError::new(
        ErrorKind::NotFound,
        "no_such_endpoint",
        "no API endpoint at this path",
    )
}
