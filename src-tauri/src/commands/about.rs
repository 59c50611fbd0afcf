//! "Über Tagungsbüro": version, where the data and the log live, data sources; opening the log.

use serde::Serialize;
use tagungsbuero_core::about::{self, Attribution};
use tagungsbuero_core::error::{ErrorDto, ErrorKind};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

use super::CommandResult;
use crate::logging::LOG_FILE;
use crate::state::AppState;

/// What the "Über Tagungsbüro" page shows (the licences of the libraries come with the UI).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AboutInfo {
    /// App version (the workspace's one version number).
    pub version: String,
    /// The database file in use.
    pub db_path: String,
    /// The folder with the log files.
    pub log_dir: String,
    /// The data sources with their licences.
    pub sources: Vec<Attribution>,
}

/// Facts for the "Über Tagungsbüro" page.
#[tauri::command]
pub fn about_info(app: AppHandle, state: State<'_, AppState>) -> CommandResult<AboutInfo> {
    let info = state.info();
    Ok(AboutInfo {
        version: info.version,
        db_path: info.db_path,
        log_dir: log_dir(&app)?.display().to_string(),
        sources: about::attributions().map_err(ErrorDto::from)?,
    })
}

/// "Protokoll öffnen": shows the current log file in the file manager (or the log folder when
/// nothing was logged yet). Only the app's own log folder can be opened this way.
#[tauri::command]
pub fn open_log(app: AppHandle) -> CommandResult<()> {
    let dir = log_dir(&app)?;
    let file = dir.join(format!("{LOG_FILE}.log"));
    let opener = app.opener();
    let result = if file.is_file() {
        opener.reveal_item_in_dir(&file)
    } else {
        opener.open_path(dir.display().to_string(), None::<&str>)
    };
    result.map_err(|e| {
        log::warn!("log folder not opened: {e}");
        failure("Der Protokollordner konnte nicht geöffnet werden.")
    })
}

/// Test seam (debug builds only, which the E2E tests drive): a command that panics inside the
/// store's lock, with personal-looking data in the panic message, so a test can check that the
/// window stays, the user reads a German message and the log holds the panic without the data.
#[cfg(debug_assertions)]
#[tauri::command]
pub fn debug_panic(state: State<'_, AppState>, text: String) -> CommandResult<()> {
    state.with_store(|_| panic!("debug_panic: {text}"))
}

fn log_dir(app: &AppHandle) -> CommandResult<std::path::PathBuf> {
    app.path()
        .app_log_dir()
        .map_err(|_| failure("Der Protokollordner ist unbekannt."))
}

fn failure(message: &str) -> ErrorDto {
    ErrorDto {
        kind: ErrorKind::Internal,
        message: message.to_owned(),
        fields: Vec::new(),
    }
}
