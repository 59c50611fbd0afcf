//! Export commands: the registry for the dialog, saved profiles and writing the file.
//!
//! The UI asks [`plan_export`] for the suggested file name; it then shows the native save
//! dialog, unless the plan already names a target (set by `TAGUNGSBUERO_EXPORT_DIR`, which the
//! end-to-end tests use because WebDriver cannot drive a native dialog).

use std::path::PathBuf;

use serde::Serialize;
use tagungsbuero_core::error::{ErrorDto, ErrorKind};
use tagungsbuero_core::exports::profiles::{self, ExportProfile};
use tagungsbuero_core::exports::{self, ExportRequest, ExportSummary, ExporterInfo, RawOptions};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

use super::CommandResult;
use crate::state::AppState;

/// Environment variable naming a folder to export into without asking.
const EXPORT_DIR_ENV: &str = "TAGUNGSBUERO_EXPORT_DIR";

/// What the UI needs before asking where to save.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportPlan {
    /// Suggested file name, e.g. `2025-03-13_13-Forum_Anwesenheitsliste.xlsx`.
    pub file_name: String,
    /// File extension without dot ("xlsx" or "csv"), for the dialog's filter.
    pub extension: String,
    /// A target chosen without the dialog (only when `TAGUNGSBUERO_EXPORT_DIR` is set).
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
            let preset_path = std::env::var_os(EXPORT_DIR_ENV)
                .filter(|d| !d.is_empty())
                .map(|dir| PathBuf::from(dir).join(&file_name).display().to_string());
            Ok(ExportPlan {
                file_name,
                extension,
                preset_path,
            })
        })
    })
}

/// Writes the export to `path` and remembers it for [`open_export`].
#[tauri::command]
pub fn export_to_file(
    state: State<'_, AppState>,
    request: ExportRequest,
    path: String,
) -> CommandResult<ExportSummary> {
    let summary =
        state.with_store(|s| exports::export_to_file(s, &request, &PathBuf::from(path)))?;
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

fn failure(message: &str) -> ErrorDto {
    ErrorDto {
        kind: ErrorKind::Conflict,
        message: message.to_owned(),
        fields: Vec::new(),
    }
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
