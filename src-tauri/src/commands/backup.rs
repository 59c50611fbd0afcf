//! Backup commands ("Sicherungen"): the list, a backup now, looking at a file and restoring it.
//! Automatic backups (on start and on closing) live in `crate::backups`.

use serde::Serialize;
use tagungsbuero_core::backup::{self, BackupInfo, RestoreReport};
use tagungsbuero_core::error::ErrorDto;
use tauri::{AppHandle, State};
use ts_rs::TS;

use super::CommandResult;
use crate::backups;
use crate::state::AppState;
use crate::team::Team;

/// What the Sicherungen section shows.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BackupOverview {
    /// The folder backups go to.
    pub folder: String,
    /// Whether a passphrase for encrypted backups is kept in the OS credential store.
    pub passphrase_stored: bool,
    /// Why the last automatic backup failed (German), if it did.
    pub last_error: Option<String>,
    /// The backups in the folder, newest first.
    pub backups: Vec<BackupInfo>,
}

/// The backup folder, its backups and the state of the automatic backups.
#[tauri::command]
pub fn list_backups(state: State<'_, AppState>) -> CommandResult<BackupOverview> {
    let folder = state.with_store(|s| backups::folder(&state, s))?;
    let list = backup::list(&folder).map_err(|e| ErrorDto::from(&e))?;
    Ok(BackupOverview {
        folder: folder.display().to_string(),
        passphrase_stored: backups::stored_passphrase().is_ok_and(|p| p.is_some()),
        last_error: state.last_backup_error(),
        backups: list,
    })
}

/// "Jetzt sichern": a backup into the backup folder, then rotation.
#[tauri::command]
pub fn back_up_now(state: State<'_, AppState>) -> CommandResult<BackupInfo> {
    state.with_store(|s| backups::back_up(&state, s))
}

/// Date, size and counts of a backup before restoring it. `passphrase`: typed by the user for
/// an encrypted file; without it the stored one is used.
#[tauri::command]
pub fn inspect_backup(
    state: State<'_, AppState>,
    path: String,
    passphrase: Option<String>,
) -> CommandResult<BackupInfo> {
    let passphrase = backups::passphrase_for(passphrase)?;
    state.with_store(|s| backup::inspect(s, path.as_ref(), passphrase.as_ref()))
}

/// Restores a backup: the current database is kept next to it, the app goes on with the
/// restored data (the UI reloads); the LAN sync pauses for the swap.
#[tauri::command]
pub fn restore_backup(
    app: AppHandle,
    state: State<'_, AppState>,
    team: State<'_, Team>,
    path: String,
    passphrase: Option<String>,
) -> CommandResult<RestoreReport> {
    let passphrase = backups::passphrase_for(passphrase)?;
    team.while_stopped(&app, &state, || {
        state.with_store(|s| backup::restore(s, path.as_ref(), passphrase.as_ref()))
    })
}

/// Keeps the passphrase of encrypted backups in the OS credential store (never in the
/// database, a file or a log); an empty one removes it.
#[tauri::command]
pub fn set_backup_passphrase(passphrase: String) -> CommandResult<()> {
    backups::store_passphrase(passphrase)
}
