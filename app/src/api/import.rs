use entity::import::ImportReport;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use crate::error::AppError;

/// Checks (`commit = false`) or imports a CSV of people. Without JavaScript the result waits in
/// the session to be shown once; the file may be large, so it never travels in a URL.
#[server(prefix = "/api/fn", endpoint = "import_users")]
pub async fn import_users(csv: String, commit: bool) -> Result<ImportReport, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let result = service::import::import_users(&ctx, info.actor.as_ref(), &csv, commit).await;
    if ssr::is_plain_form_post() {
        let shown: Result<ImportReport, AppError> = result.clone().map_err(AppError::from);
        ssr::put_flash(ssr::IMPORT_FLASH, (csv, shown.clone())).await?;
        ssr::continue_to("/admin/users/import?done=1");
        return shown;
    }
    result.map_err(|e| ssr::fail(e, "/admin/users/import", &[]))
}

/// The same check or import from a chosen (or dropped) file: a plain multipart form post, with or
/// without JavaScript, whose result waits in the session like a pasted one's. Fields: `file`, and
/// `commit_file` (`true` imports).
#[server(prefix = "/api/fn", endpoint = "import_users_file", input = MultipartFormData)]
pub async fn import_users_file(data: MultipartData) -> Result<ImportReport, AppError> {
    use super::ssr;
    let (ctx, info) = ssr::context()?;
    let mut parts = data.into_inner().ok_or_else(|| {
        AppError::from(service::ServiceError::invalid(
            "file",
            "required",
            "choose a file",
        ))
    })?;
    let (mut bytes, mut commit) = (Vec::new(), false);
    while let Ok(Some(mut field)) = parts.next_field().await {
        let name = field.name().map(str::to_owned);
        match name.as_deref() {
            Some("file") => {
                while let Ok(Some(chunk)) = field.chunk().await {
                    // The service refuses what is over its limit; no need to hold more than that.
                    if bytes.len() <= service::import::MAX_BYTES {
                        bytes.extend_from_slice(&chunk);
                    }
                }
            }
            Some("commit_file") => commit = field.text().await.is_ok_and(|t| t == "true"),
            _ => {}
        }
    }
    let (csv, result) = match service::import::text_of(&bytes) {
        Some(text) => (
            text.to_owned(),
            service::import::import_users(&ctx, info.actor.as_ref(), text, commit).await,
        ),
        None => (String::new(), Err(service::import::not_utf8())),
    };
    let shown: Result<ImportReport, AppError> = result.map_err(AppError::from);
    ssr::put_flash(ssr::IMPORT_FLASH, (csv, shown.clone())).await?;
    ssr::continue_to("/admin/users/import?done=1");
    shown
}

/// What a no-JavaScript import left in the session, once.
#[server(prefix = "/api/fn", endpoint = "take_import_flash")]
pub async fn take_import_flash(
) -> Result<Option<(String, Result<ImportReport, AppError>)>, AppError> {
    super::ssr::take_flash(super::ssr::IMPORT_FLASH).await
}
