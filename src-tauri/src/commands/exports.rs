//! Export commands: the registry for the dialog, saved profiles and writing the file.
//!
//! The UI asks [`plan_export`] for the suggested file name; it then shows the native save
//! dialog, unless the plan already names a target: debug builds (which the end-to-end tests
//! drive, because WebDriver cannot drive a native dialog) honour `TAGUNGSBUERO_EXPORT_DIR`;
//! release builds do not contain this test seam.

use std::path::{Path, PathBuf};

use serde::Serialize;
use tagungsbuero_core::exports::profiles::{self, ExportProfile};
use tagungsbuero_core::exports::{
    self, ExportRequest, ExportSummary, ExporterInfo, ProtectedPaths, RawOptions,
};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

use super::{CommandResult, failure};
use crate::state::AppState;

/// Environment variable naming a folder to export into without asking (debug builds only).
#[cfg(debug_assertions)]
const EXPORT_DIR_ENV: &str = "TAGUNGSBUERO_EXPORT_DIR";

/// What the UI needs before asking where to save.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportPlan {
    /// Suggested file name, e.g. `2025-03-13_13-Forum_Anwesenheitsliste.xlsx`.
    pub file_name: String,
    /// File extension without dot ("xlsx" or "csv"), for the dialog's filter.
    pub extension: String,
    /// A target chosen without the dialog (only in debug builds with `TAGUNGSBUERO_EXPORT_DIR`).
    pub preset_path: Option<String>,
}

/// All exporters with their options.
#[tauri::command]
pub fn list_exporters() -> Vec<ExporterInfo> {
    exports::exporter_infos()
}

/// File name and extension for a request (validates its options).
#[tauri::command]
pub fn plan_export(
    state: State<'_, AppState>,
    request: ExportRequest,
) -> CommandResult<ExportPlan> {
    state.with_store(|s| {
        s.read(|c| {
            let file_name = exports::suggested_file_name(c, &request)?;
            let extension = exports::file_extension(c, &request)?.to_owned();
            let preset_path = preset_path(&file_name);
            Ok(ExportPlan {
                file_name,
                extension,
                preset_path,
            })
        })
    })
}

/// What an export from the app never overwrites: the database with its companion files, the
/// user's configuration folder and the app's own folders (settings, data, cache).
pub(super) fn protected_paths(app: &AppHandle, state: &AppState) -> ProtectedPaths {
    let resolver = app.path();
    [
        resolver.app_config_dir(),
        resolver.app_data_dir(),
        resolver.app_local_data_dir(),
        resolver.app_cache_dir(),
    ]
    .into_iter()
    .flatten()
    .fold(
        ProtectedPaths::for_database(Path::new(&state.info().db_path)),
        |protected, folder| protected.folder(&folder),
    )
}

/// The test seam: in debug builds `TAGUNGSBUERO_EXPORT_DIR` replaces the save dialog.
#[cfg(debug_assertions)]
pub(super) fn preset_path(file_name: &str) -> Option<String> {
    std::env::var_os(EXPORT_DIR_ENV)
        .filter(|d| !d.is_empty())
        .map(|dir| PathBuf::from(dir).join(file_name).display().to_string())
}

/// Release builds always ask with the save dialog.
#[cfg(not(debug_assertions))]
pub(super) fn preset_path(_file_name: &str) -> Option<String> {
    None
}

/// Writes the export to `path` and remembers it for [`open_export`]. The core refuses a path
/// without the exporter's extension and every protected file or folder ([`protected_paths`]).
#[tauri::command]
pub fn export_to_file(
    app: AppHandle,
    state: State<'_, AppState>,
    request: ExportRequest,
    path: String,
) -> CommandResult<ExportSummary> {
    let protected = protected_paths(&app, &state);
    let summary = state
        .with_store(|s| exports::export_to_file(s, &request, &PathBuf::from(path), &protected))?;
    state.remember_export(&summary.path);
    Ok(summary)
}

/// Opens a file exported in this session ("Datei öffnen"), or shows it in its folder
/// ("Ordner öffnen"). Other paths are refused, so the UI cannot open arbitrary files.
#[tauri::command]
pub fn open_export(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
    reveal: bool,
) -> CommandResult<()> {
    let path = PathBuf::from(path);
    if !state.was_exported(&path) {
        return Err(failure(
            "Diese Datei wurde in dieser Sitzung nicht exportiert.",
        ));
    }
    let opener = app.opener();
    let result = if reveal {
        opener.reveal_item_in_dir(&path)
    } else {
        opener.open_path(path.display().to_string(), None::<&str>)
    };
    result.map_err(|e| failure(&format!("Die Datei konnte nicht geöffnet werden: {e}")))
}

/// Saved profiles, optionally of one exporter.
#[tauri::command]
pub fn list_export_profiles(
    state: State<'_, AppState>,
    exporter_id: Option<String>,
) -> CommandResult<Vec<ExportProfile>> {
    state.with_store(|s| s.read(|c| profiles::list(c, exporter_id.as_deref())))
}

/// Saves (or replaces) a named profile of an exporter.
#[tauri::command]
pub fn save_export_profile(
    state: State<'_, AppState>,
    exporter_id: String,
    name: String,
    options: RawOptions,
) -> CommandResult<ExportProfile> {
    state.with_store(|s| s.write(|tx| profiles::save(tx, &exporter_id, &name, &options)))
}

/// Deletes a saved profile.
#[tauri::command]
pub fn delete_export_profile(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    state.with_store(|s| s.write(|tx| profiles::delete(tx, id)))
}
