//! Datenschutz commands: consents, deletion dates, the shredder, Art. 17 erasure, the Art. 15
//! Auskunft and the deletion log. A deletion rewrites the database file afterwards
//! and compacts the sync history (`sync::after_deletion`), so nothing removed stays in free
//! pages, the WAL or the replicated log.

use std::path::PathBuf;

use tagungsbuero_core::people::consents::{self, Consent, ConsentInput};
use tagungsbuero_core::privacy::{
    self, DeletionLogEntry, DeletionReport, EventRetention, LeftoverPersons,
    auskunft::{self, AuskunftSummary},
};
use tagungsbuero_core::registrations::{RegisterInput, RegisterOutcome};
use tagungsbuero_core::sync;
use tauri::{AppHandle, State};

use super::CommandResult;
use super::exports::{ExportPlan, preset_path, protected_paths};
use crate::state::AppState;

/// A person's consents.
#[tauri::command]
pub fn person_consents(state: State<'_, AppState>, person_id: i64) -> CommandResult<Vec<Consent>> {
    state.with_store(|s| s.read(|c| consents::consents_of(c, person_id)))
}

/// Records a person's consents (a `null` state removes one).
#[tauri::command]
pub fn set_person_consents(
    state: State<'_, AppState>,
    person_id: i64,
    consents: Vec<ConsentInput>,
) -> CommandResult<Vec<Consent>> {
    state.with_store(|s| s.write(|tx| consents::set_consents(tx, person_id, &consents)))
}

/// Registers someone and records the consents of the registration form, one transaction.
#[tauri::command]
pub fn register_with_consents(
    state: State<'_, AppState>,
    input: RegisterInput,
    consents: Vec<ConsentInput>,
) -> CommandResult<RegisterOutcome> {
    state.with_store(|s| s.write(|tx| privacy::register_with_consents(tx, &input, &consents)))
}

/// An event's deletion date.
#[tauri::command]
pub fn event_retention(state: State<'_, AppState>, event_id: i64) -> CommandResult<EventRetention> {
    state.with_store(|s| s.read(|c| privacy::event_retention(c, event_id)))
}

/// Sets an event's deletion date by hand (`null`: back to the retention period).
#[tauri::command]
pub fn set_deletion_date(
    state: State<'_, AppState>,
    event_id: i64,
    date: Option<String>,
) -> CommandResult<EventRetention> {
    state.with_store(|s| s.write(|tx| privacy::set_deletion_date(tx, event_id, date.as_deref())))
}

/// Events whose deletion date has passed with personal data still stored.
#[tauri::command]
pub fn due_deletions(state: State<'_, AppState>) -> CommandResult<Vec<EventRetention>> {
    state.with_store(|s| s.read(privacy::due_events))
}

/// What the shredder would do for an event (writes nothing).
#[tauri::command]
pub fn preview_shred(
    state: State<'_, AppState>,
    event_id: i64,
    leftover: LeftoverPersons,
) -> CommandResult<DeletionReport> {
    state.with_store(|s| s.write(|tx| privacy::preview_shred(tx, event_id, leftover)))
}

/// Runs the shredder for an event, then rewrites the database file.
#[tauri::command]
pub fn shred_event(
    state: State<'_, AppState>,
    event_id: i64,
    leftover: LeftoverPersons,
) -> CommandResult<DeletionReport> {
    state.with_store(|s| {
        let report = s.write(|tx| privacy::shred_event(tx, event_id, leftover))?;
        sync::after_deletion(s)?;
        Ok(report)
    })
}

/// What erasing a person would do (writes nothing).
#[tauri::command]
pub fn preview_erase(state: State<'_, AppState>, person_id: i64) -> CommandResult<DeletionReport> {
    state.with_store(|s| s.write(|tx| privacy::preview_erase(tx, person_id)))
}

/// Erases a person (Art. 17), then rewrites the database file.
#[tauri::command]
pub fn erase_person(state: State<'_, AppState>, person_id: i64) -> CommandResult<DeletionReport> {
    state.with_store(|s| {
        let report = s.write(|tx| privacy::erase_person(tx, person_id))?;
        sync::after_deletion(s)?;
        Ok(report)
    })
}

/// The deletion log, newest first.
#[tauri::command]
pub fn deletion_log(state: State<'_, AppState>) -> CommandResult<Vec<DeletionLogEntry>> {
    state.with_store(|s| s.read(privacy::deletion_log))
}

/// File name and extension for a person's Auskunft (`format`: "xlsx" or "json").
#[tauri::command]
pub fn plan_auskunft(
    state: State<'_, AppState>,
    person_id: i64,
    format: String,
) -> CommandResult<ExportPlan> {
    state.with_store(|s| {
        s.read(|c| {
            let file_name = auskunft::suggested_file_name(c, person_id, &format)?;
            let extension = if format == "json" { "json" } else { "xlsx" }.to_owned();
            let preset_path = preset_path(&file_name);
            Ok(ExportPlan {
                file_name,
                extension,
                preset_path,
            })
        })
    })
}

/// Writes a person's Auskunft to the chosen `path` (.xlsx or .json) and remembers it for
/// "Datei öffnen".
#[tauri::command]
pub fn export_auskunft(
    app: AppHandle,
    state: State<'_, AppState>,
    person_id: i64,
    path: String,
) -> CommandResult<AuskunftSummary> {
    let protected = protected_paths(&app, &state);
    let summary = state
        .with_store(|s| auskunft::export_to_file(s, person_id, &PathBuf::from(path), &protected))?;
    state.remember_export(&summary.path);
    Ok(summary)
}
