//! Settings commands ("Einstellungen").

use tagungsbuero_core::settings::{self, OfficeSettings};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use super::{CommandResult, failure};
use crate::state::AppState;

/// The office's settings.
#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> CommandResult<OfficeSettings> {
    state.with_store(|s| s.read(settings::get))
}

/// Validates and saves the office's settings; returns them as stored.
#[tauri::command]
pub fn save_settings(
    state: State<'_, AppState>,
    settings: OfficeSettings,
) -> CommandResult<OfficeSettings> {
    state.with_store(|s| s.write(|tx| settings::save(tx, settings)))
}

/// "Datenbank im Dateimanager zeigen": shows the database file in its folder. Only this path,
/// never one the UI passes, so the webview cannot reveal arbitrary files.
#[tauri::command]
pub fn reveal_database(app: AppHandle, state: State<'_, AppState>) -> CommandResult<()> {
    app.opener()
        .reveal_item_in_dir(state.db_path())
        .map_err(|e| failure(&format!("Der Ordner konnte nicht geöffnet werden: {e}")))
}
