//! Settings commands ("Einstellungen").

use tagungsbuero_core::documents::letterhead::{self, ImageKind, LetterheadImageInfo};
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

/// The letterhead's logo and signature image, if chosen (with their bytes for the preview).
#[tauri::command]
pub fn letterhead_images(state: State<'_, AppState>) -> CommandResult<Vec<LetterheadImageInfo>> {
    state.with_store(|s| s.read(letterhead::images))
}

/// Stores the image file the user chose in the open dialog as the letterhead's logo or
/// signature (PNG, JPEG or SVG, checked and size-limited; German field errors).
#[tauri::command(async)]
pub fn set_letterhead_image(
    state: State<'_, AppState>,
    kind: ImageKind,
    path: String,
) -> CommandResult<LetterheadImageInfo> {
    state.with_store(|s| {
        s.write(|tx| letterhead::set_image_from_file(tx, kind, std::path::Path::new(&path)))
    })
}

/// Removes the letterhead's logo or signature image.
#[tauri::command]
pub fn remove_letterhead_image(state: State<'_, AppState>, kind: ImageKind) -> CommandResult<()> {
    state.with_store(|s| s.write(|tx| letterhead::remove_image(tx, kind)))
}
