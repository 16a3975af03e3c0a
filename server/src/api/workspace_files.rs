//! `/api/v1/workspaces/{id}/files…`: a workspace's files. Paths are relative to the workspace
//! root (`""` is the root). Bodies stream both ways: uploads go to disk as they arrive (the
//! quota, not the request size limit, bounds them) and downloads are read as they are sent.

use axum::body::Body;
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use entity::preview::Preview;
use entity::workspace::{Deleted, FileEntry, FolderList, Listing, Moved};
use futures_util::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use service::workspaces::bulk;
use service::workspaces::files::{self, Download, SortBy};
use service::ServiceError;
use tokio_util::io::{ReaderStream, StreamReader};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{Conflict, Id, Invalid, NotFound, QuotaExceeded};
use crate::actor::RequireActor;
use crate::problem::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilePath {
    /// From the workspace root; empty for the root
    #[serde(default)]
    pub path: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// The folder, from the workspace root; empty for the root
    #[serde(default)]
    pub path: String,
    /// `name` (default), `size` or `modified`; folders always come first
    pub sort: Option<String>,
    /// `asc` (default) or `desc`
    pub order: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DownloadParams {
    /// A file, or a folder (sent as a zip); empty for the whole workspace
    #[serde(default)]
    pub path: String,
    /// Show a picture in the page instead of saving it (PNG, JPEG, GIF, WebP only)
    #[serde(default)]
    pub inline: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewFolder {
    pub path: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveRequest {
    pub from: String,
    pub to: String,
}

/// Files and folders to delete, each from the workspace root (at most 500).
#[derive(Debug, Deserialize, ToSchema)]
pub struct DeleteManyRequest {
    pub paths: Vec<String>,
}

/// Files and folders to move into the folder `to` (`""` is the root), each keeping its name.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveManyRequest {
    pub paths: Vec<String>,
    pub to: String,
}

/// A multipart upload: one or more parts named `file`, each with its file name.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request for the document; the handler streams the parts
pub struct UploadForm {
    #[schema(value_type = Vec<String>, format = Binary)]
    file: Vec<Vec<u8>>,
}

/// What an upload wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct Uploaded {
    pub entries: Vec<FileEntry>,
}

/// A folder's files and folders.
#[utoipa::path(get, path = "/workspaces/{id}/files", tag = "files", security(("bearer" = [])), params(Id, ListParams),
    responses((status = 200, body = Listing), NotFound, Invalid))]
pub async fn list_files(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<ApiJson<Listing>, ApiError> {
    let sort = SortBy::parse(p.sort.as_deref())?;
    let descending = match p.order.as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(_) => {
            return Err(
                ServiceError::invalid("order", "invalid_order", "order is asc or desc").into(),
            )
        }
    };
    Ok(ApiJson(
        files::list(&state.ctx, Some(&actor), id, &p.path, sort, descending).await?,
    ))
}

/// Upload files into the folder `path`: a multipart form with one or more `file` parts, each
/// written whole or not at all. A file of the same name is replaced.
#[utoipa::path(post, path = "/workspaces/{id}/files", tag = "files", security(("bearer" = [])), params(Id, FilePath),
    request_body(content_type = "multipart/form-data", content = UploadForm, description = "One or more `file` parts"),
    responses((status = 201, body = Uploaded), NotFound, Invalid, QuotaExceeded))]
pub async fn upload_files(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiQuery(p): ApiQuery<FilePath>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let mut multipart = multipart.map_err(|e| {
        ApiError::bad_request(StatusCode::BAD_REQUEST, "bad_multipart", e.body_text())
    })?;
    let entries = receive_parts(&state, &actor, id, &p.path, &mut multipart).await?;
    Ok((StatusCode::CREATED, ApiJson(Uploaded { entries })))
}

/// Every `file` part of `multipart` into the folder `path` (shared with the page's plain form).
pub async fn receive_parts(
    state: &AppState,
    actor: &service::Actor,
    id: i32,
    path: &str,
    multipart: &mut Multipart,
) -> Result<Vec<FileEntry>, ServiceError> {
    use service::workspaces::upload;
    let target = upload::target(&state.ctx, Some(actor), id, path).await?;
    let mut entries = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                return Err(ServiceError::invalid(
                    "file",
                    "upload_incomplete",
                    format!("the upload stopped before it finished: {e}"),
                ))
            }
        };
        if field.name() != Some("file") {
            continue;
        }
        let Some(name) = field
            .file_name()
            .map(str::to_owned)
            .filter(|n| !n.is_empty())
        else {
            continue; // an empty file input
        };
        let body = StreamReader::new(field.map_err(std::io::Error::other));
        let written = upload::upload_one(&state.ctx, &target, &name, body).await?;
        entries.push(written.entry);
    }
    if entries.is_empty() {
        return Err(ServiceError::invalid(
            "file",
            "required",
            "choose at least one file",
        ));
    }
    Ok(entries)
}

/// Download a file, or a folder as a zip made while it is sent.
#[utoipa::path(get, path = "/workspaces/{id}/files/content", tag = "files", security(("bearer" = [])), params(Id, DownloadParams),
    responses((status = 200, description = "The file's bytes, a folder as a zip, or a picture shown inline",
        content((Vec<u8> = "application/octet-stream"), (Vec<u8> = "application/zip"), (Vec<u8> = "image/*"))), NotFound, Invalid))]
pub async fn download_file(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiQuery(p): ApiQuery<DownloadParams>,
) -> Result<Response, ApiError> {
    let download = files::download(&state.ctx, Some(&actor), id, &p.path).await?;
    Ok(download_response(download, p.inline))
}

/// The response for a download: saved as an attachment (never run in nuri's origin), except
/// raster images asked for inline.
pub fn download_response(download: Download, inline: bool) -> Response {
    let (body, name, length) = match download {
        Download::File { file, size, name } => (
            Body::from_stream(ReaderStream::with_capacity(file, 64 * 1024)),
            name,
            Some(size),
        ),
        Download::Zip { chunks, name } => {
            // Fused: the layers above may poll once more after an error ended the body.
            let stream = futures_util::stream::unfold(chunks, |mut rx| async move {
                rx.recv().await.map(|chunk| (chunk, rx))
            })
            .fuse();
            (Body::from_stream(stream), name, None)
        }
    };
    let (zip, picture) = (length.is_none(), mime_of(&name));
    // A picture asked for inline is shown as what it is (an SVG too: the sandbox below keeps its
    // scripts from running); everything else is bytes to save.
    let inline = inline && picture.starts_with("image/");
    let mime = match (inline, zip) {
        (true, _) => picture,
        (false, true) => "application/zip",
        (false, false) => "application/octet-stream",
    };
    let mut res = Response::new(body);
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Some(n) = length {
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(n));
    }
    let disposition = format!(
        "{}; filename=\"{}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        name.replace(
            |c: char| !c.is_ascii_alphanumeric() && !".-_ ".contains(c),
            "_"
        ),
        percent(&name)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // Whatever it holds, it never runs as a page of nuri's.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
        ),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The media type of a picture, by extension (`application/octet-stream` for anything else).
fn mime_of(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// Write one file from the raw body: 201 when new, 200 when it replaced one.
#[utoipa::path(put, path = "/workspaces/{id}/files/content", tag = "files", security(("bearer" = [])), params(Id, FilePath),
    request_body(content_type = "application/octet-stream", content = Vec<u8>, description = "The file's bytes"),
    responses((status = 201, body = FileEntry), (status = 200, body = FileEntry), NotFound, Conflict, Invalid, QuotaExceeded))]
pub async fn put_file(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiQuery(p): ApiQuery<FilePath>,
    headers: axum::http::HeaderMap,
    body: Body,
) -> Result<impl IntoResponse, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let reader = StreamReader::new(body.into_data_stream().map_err(std::io::Error::other));
    let written = service::workspaces::upload::write_file(
        &state.ctx,
        Some(&actor),
        id,
        &p.path,
        reader,
        declared,
    )
    .await?;
    let status = if written.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, ApiJson(written.entry)))
}

/// Delete a file, or a folder with everything in it.
#[utoipa::path(delete, path = "/workspaces/{id}/files", tag = "files", security(("bearer" = [])), params(Id, FilePath),
    responses((status = 204, description = "Deleted"), NotFound, Invalid))]
pub async fn delete_file(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiQuery(p): ApiQuery<FilePath>,
) -> Result<StatusCode, ApiError> {
    files::delete(&state.ctx, Some(&actor), id, &p.path).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new empty folder.
#[utoipa::path(post, path = "/workspaces/{id}/folders", tag = "files", security(("bearer" = [])), params(Id),
    request_body = NewFolder, responses((status = 201, body = FileEntry), NotFound, Conflict, Invalid))]
pub async fn create_folder(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<NewFolder>,
) -> Result<impl IntoResponse, ApiError> {
    let entry = files::make_folder(&state.ctx, Some(&actor), id, &body.path).await?;
    Ok((StatusCode::CREATED, ApiJson(entry)))
}

/// Rename or move a file or folder (nothing at `to` is replaced).
#[utoipa::path(post, path = "/workspaces/{id}/files/move", tag = "files", security(("bearer" = [])), params(Id),
    request_body = MoveRequest, responses((status = 200, body = FileEntry), NotFound, Conflict, Invalid))]
pub async fn move_file(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<MoveRequest>,
) -> Result<ApiJson<FileEntry>, ApiError> {
    Ok(ApiJson(
        files::move_entry(&state.ctx, Some(&actor), id, &body.from, &body.to).await?,
    ))
}

/// Every folder of the workspace, to choose where to move things: the root as `""`, then
/// depth-first, each folder's subfolders in natural order; symlinks are not followed. At most
/// 2,000 are listed (`truncated` says when there were more).
#[utoipa::path(get, path = "/workspaces/{id}/folders", tag = "files", security(("bearer" = [])), params(Id),
    responses((status = 200, body = FolderList), NotFound))]
pub async fn list_folders(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
) -> Result<ApiJson<FolderList>, ApiError> {
    Ok(ApiJson(files::folders(&state.ctx, Some(&actor), id).await?))
}

/// Delete many files and folders at once. Every path is checked first: one that is not allowed
/// (outside the workspace, the root, listed twice or inside another listed folder) is a 422
/// naming `paths[i]`, and nothing is deleted. Then each is deleted on its own: `deleted` lists
/// what went, `failed` what could not and why (`not_found` when it vanished meanwhile).
#[utoipa::path(post, path = "/workspaces/{id}/files/delete", tag = "files", security(("bearer" = [])), params(Id),
    request_body = DeleteManyRequest, responses((status = 200, body = Deleted), NotFound, Invalid))]
pub async fn delete_many(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<DeleteManyRequest>,
) -> Result<ApiJson<Deleted>, ApiError> {
    Ok(ApiJson(
        bulk::delete_many(&state.ctx, Some(&actor), id, body.paths).await?,
    ))
}

/// Move many files and folders into the folder `to`, each keeping its name. Every path is
/// checked first (as for `files/delete`; also refused: the folder `to` itself, a folder above
/// it, or a path already in it), and `to` must be a folder (404 when missing). Then each is
/// moved on its own: `moved` lists what went where, `failed` what could not and why (`exists`
/// when the name is taken there: nothing is replaced).
#[utoipa::path(post, path = "/workspaces/{id}/files/move-many", tag = "files", security(("bearer" = [])), params(Id),
    request_body = MoveManyRequest, responses((status = 200, body = Moved), NotFound, Invalid))]
pub async fn move_many(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<MoveManyRequest>,
) -> Result<ApiJson<Moved>, ApiError> {
    Ok(ApiJson(
        bulk::move_many(&state.ctx, Some(&actor), id, body.paths, &body.to).await?,
    ))
}

/// A look at a file without downloading it: a table (CSV/TSV), text, Markdown, a notebook with
/// its outputs, or an image (shown from `files/content?inline=true`).
#[utoipa::path(get, path = "/workspaces/{id}/files/preview", tag = "files", security(("bearer" = [])), params(Id, FilePath),
    responses((status = 200, body = Preview), NotFound, Invalid))]
pub async fn preview_file(
    State(state): State<AppState>,
    RequireActor(actor): RequireActor,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiQuery(p): ApiQuery<FilePath>,
) -> Result<ApiJson<Preview>, ApiError> {
    Ok(ApiJson(
        files::preview(&state.ctx, Some(&actor), id, &p.path).await?,
    ))
}
