use entity::import::ImportReport;
use leptos::prelude::*;

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

/// What a no-JavaScript import left in the session, once.
#[server(prefix = "/api/fn", endpoint = "take_import_flash")]
pub async fn take_import_flash(
) -> Result<Option<(String, Result<ImportReport, AppError>)>, AppError> {
    super::ssr::take_flash(super::ssr::IMPORT_FLASH).await
}
