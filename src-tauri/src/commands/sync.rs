//! "Team & Abgleich": the team page's data, this laptop's name, the conflicts and their
//! resolution, the sync file ("Abgleichsdatei") for a USB stick or an e-mail attachment, and
//! the LAN sync (`crate::team`): start, pairing both ways, removing a laptop, "Jetzt abgleichen".
//!
//! The sync file is written like an export: only to the path the user chose in the save dialog
//! (or, in debug builds, into `TAGUNGSBUERO_EXPORT_DIR`), never onto the database or into the
//! app's folders (`exports::target::check_target`). Whenever data from another laptop arrived,
//! the UI is told with [`SYNC_CHANGED_EVENT`] so the screens show it.

use std::path::PathBuf;

use serde::Serialize;
use tagungsbuero_core::error::ErrorDto;
use tagungsbuero_core::exports::target::check_target;
use tagungsbuero_core::sync::net::{ExchangeReport, PairingOffer, PeerInfo, PeerStatus, TeamNode};
use tagungsbuero_core::sync::{self, ImportReport, SyncStatus};
use tagungsbuero_core::team::{self, SYNC_FILE_EXTENSION, TeamOverview};
use tagungsbuero_core::{CoreError, CoreResult};
use tauri::{AppHandle, Emitter, State};
use ts_rs::TS;

use super::CommandResult;
use super::exports::{preset_path, protected_paths};
use crate::state::AppState;
use crate::team::Team;

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

/// The LAN sync as the team page shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TeamNetwork {
    /// Whether it runs.
    pub running: bool,
    /// Why it does not run (German), if it failed to start.
    pub error: Option<String>,
    /// The port it serves on, while it runs.
    pub port: Option<u16>,
    /// The paired laptops and whether they are reachable.
    pub peers: Vec<PeerStatus>,
}

fn team_result<T>(result: CoreResult<T>) -> CommandResult<T> {
    result.map_err(|e| ErrorDto::from(&e))
}

/// Starts the LAN sync; the UI calls it once its first screen is painted (later calls do
/// nothing).
#[tauri::command(async)]
pub fn start_team(app: AppHandle, state: State<'_, AppState>, team: State<'_, Team>) {
    team.start(&app, &state);
}

/// Whether the LAN sync runs and which paired laptops it reaches.
#[tauri::command(async)]
pub fn team_network(team: State<'_, Team>) -> CommandResult<TeamNetwork> {
    let (running, error) = team.running();
    if !running {
        return Ok(TeamNetwork {
            running,
            error,
            port: None,
            peers: Vec::new(),
        });
    }
    team_result(team.with_node(|node| {
        Ok(TeamNetwork {
            running,
            error: None,
            port: Some(node.port()),
            peers: node.peers()?,
        })
    }))
}

/// "Laptop hinzufügen": this laptop's pairing code and addresses.
#[tauri::command(async)]
pub fn pairing_offer(team: State<'_, Team>) -> CommandResult<PairingOffer> {
    team_result(team.with_node(TeamNode::pairing_offer))
}

/// "Mit Laptop koppeln": joins the team of the laptop at `address` with its code (the node
/// reports the pairing, and the shell exchanges with it right away, see `crate::team`).
#[tauri::command(async)]
pub fn pair_laptop(
    team: State<'_, Team>,
    address: String,
    code: String,
) -> CommandResult<PeerInfo> {
    team_result(team.with_node(|node| node.pair(&address, &code)))
}

/// Removes a laptop from the team (it is refused from now on).
#[tauri::command(async)]
pub fn remove_laptop(team: State<'_, Team>, laptop_id: String) -> CommandResult<()> {
    team_result(team.with_node(|node| node.remove_peer(&laptop_id)))
}

/// "Jetzt abgleichen": an exchange with every paired laptop that can be reached.
#[tauri::command(async)]
pub fn sync_now(team: State<'_, Team>) -> CommandResult<Vec<ExchangeReport>> {
    team_result(team.with_node(TeamNode::sync_now))
}
