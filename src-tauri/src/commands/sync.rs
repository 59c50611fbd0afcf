//! "Team & Abgleich": the team page's data, this laptop's name, the conflicts and their
//! resolution, and the sync file ("Abgleichsdatei") for a USB stick or an e-mail attachment.
//!
//! The sync file is written like an export: only to the path the user chose in the save dialog
//! (or, in debug builds, into `TAGUNGSBUERO_EXPORT_DIR`), never onto the database or into the
//! app's folders (`exports::target::check_target`). Whenever data from another laptop arrived,
//! the UI is told with [`SYNC_CHANGED_EVENT`] so the screens show it.

use std::path::PathBuf;

use serde::Serialize;
use tagungsbuero_core::CoreError;
use tagungsbuero_core::exports::target::check_target;
use tagungsbuero_core::sync::{self, ImportReport, SyncStatus};
use tagungsbuero_core::team::{self, SYNC_FILE_EXTENSION, TeamOverview};
use tauri::{AppHandle, Emitter, State};
use ts_rs::TS;

use super::CommandResult;
use super::exports::{preset_path, protected_paths};
use crate::state::AppState;

/// Sent to the UI (no payload) when changes from another laptop were applied.
pub const SYNC_CHANGED_EVENT: &str = "sync-changed";

/// Tells the UI that another laptop's changes arrived.
pub fn announce_changes(app: &AppHandle) {
    let _ = app.emit(SYNC_CHANGED_EVENT, ());
}

/// The team page: this laptop, the others, conflicts, the events' Anmeldestelle.
#[tauri::command]
pub fn team_overview(state: State<'_, AppState>) -> CommandResult<TeamOverview> {
    state.with_store(team::overview)
}

/// The header's sync status (waiting changes, conflicts).
#[tauri::command]
pub fn sync_status(state: State<'_, AppState>) -> CommandResult<SyncStatus> {
    state.with_store(sync::status)
}

/// Names this laptop in the team; returns the name as stored.
#[tauri::command]
pub fn set_laptop_name(state: State<'_, AppState>, name: String) -> CommandResult<String> {
    state.with_store(|s| s.write(|tx| team::set_laptop_name(tx, &name)))
}

/// Resolves a conflict: `choice` is one of a field's values; other kinds take none.
#[tauri::command]
pub fn resolve_sync_conflict(
    state: State<'_, AppState>,
    id: i64,
    choice: Option<String>,
) -> CommandResult<()> {
    state.with_store(|s| sync::resolve_conflict(s, id, choice.as_deref()))
}

/// What the UI needs before asking where to save the sync file.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SyncFilePlan {
    /// Suggested file name (`Abgleich_<Laptop>_<Datum>.abgleich`).
    pub file_name: String,
    /// The extension without dot, for the dialog's filter.
    pub extension: String,
    /// A target chosen without the dialog (only in debug builds with `TAGUNGSBUERO_EXPORT_DIR`).
    pub preset_path: Option<String>,
}

/// File name and extension of this laptop's sync file now.
#[tauri::command]
pub fn plan_sync_export(state: State<'_, AppState>) -> CommandResult<SyncFilePlan> {
    state.with_store(|s| {
        s.read(|c| {
            let file_name = team::sync_file_name(c)?;
            Ok(SyncFilePlan {
                preset_path: preset_path(&file_name),
                file_name,
                extension: SYNC_FILE_EXTENSION.to_owned(),
            })
        })
    })
}

/// What writing the sync file did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SyncExportSummary {
    /// The file written.
    pub path: String,
    /// Number of changes in it.
    pub changes: usize,
    /// Its size in bytes.
    pub bytes: usize,
}

/// Writes every change of this laptop's dataset into the sync file at `path` (the user's
/// choice; refused onto the database or into the app's folders).
#[tauri::command(async)]
pub fn export_sync_file(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> CommandResult<SyncExportSummary> {
    let target = PathBuf::from(&path);
    let protected = protected_paths(&app, &state);
    state.with_store(|s| {
        check_target(&target, SYNC_FILE_EXTENSION, &protected)
            .map_err(|e| CoreError::Conflict(e.to_string()))?;
        let package = sync::export_file(s, &target, None)?;
        Ok(SyncExportSummary {
            path,
            changes: package.changes,
            bytes: package.bytes.len(),
        })
    })
}

/// Reads another laptop's sync file at `path` (chosen in the open dialog) and applies it in
/// one transaction; the screens are told to show the new data.
#[tauri::command(async)]
pub fn import_sync_file(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> CommandResult<ImportReport> {
    let report = state.with_store(|s| sync::import_file(s, path.as_ref()))?;
    if report.applied > 0 {
        announce_changes(&app);
    }
    Ok(report)
}
