//! Import commands for the "Importieren" wizard: inspect a chosen file, preview, import, undo.
//!
//! The UI passes the path from the native open dialog (or a drop) and the wizard's choices as
//! an [`ImportRequest`]; every call reads the file again, so nothing is kept between steps.
//! Preview and import report progress as `import-progress` events (`[done, total]`). Reading,
//! preview and import run on the async runtime's threads (`command(async)`), not on the main
//! thread, so the window stays responsive and shows the progress of a large file.

use std::path::PathBuf;

use tagungsbuero_core::imports::history::{self, ImportRun, UndoReport};
use tagungsbuero_core::imports::{
    self, ColumnMapping, ImportReport, ImportRequest, ImportTarget, ImporterInfo, Inspection,
    SavedMapping, mapping, read,
};
use tauri::{AppHandle, Emitter, State};

use super::CommandResult;
use crate::state::AppState;

/// All importers with their fields.
#[tauri::command]
pub fn list_importers() -> Vec<ImporterInfo> {
    imports::importer_infos()
}

/// Step 1: format, encoding, delimiter, header row, proposed mapping and a sample.
#[tauri::command(async)]
pub fn inspect_import(
    state: State<'_, AppState>,
    path: String,
    request: ImportRequest,
) -> CommandResult<Inspection> {
    state.with_store(|s| {
        let file = read::read_path(&PathBuf::from(&path))?;
        s.read(|c| imports::inspect(c, &file, &request))
    })
}

/// Step 2: the whole import in a transaction that is rolled back (row states and reasons).
#[tauri::command(async)]
pub fn preview_import(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
    request: ImportRequest,
) -> CommandResult<ImportReport> {
    state.with_store(|s| {
        let file = read::read_path(&PathBuf::from(&path))?;
        imports::preview(s, &file, &request, &mut |done, total| {
            let _ = app.emit("import-progress", (done, total));
        })
    })
}

/// Step 3: the import in one transaction.
#[tauri::command(async)]
pub fn run_import(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
    request: ImportRequest,
) -> CommandResult<ImportReport> {
    state.with_store(|s| {
        let file = read::read_path(&PathBuf::from(&path))?;
        imports::import(s, &file, &request, &mut |done, total| {
            let _ = app.emit("import-progress", (done, total));
        })
    })
}

/// Saves the confirmed mapping under a name (offered again for the same header row).
#[tauri::command]
pub fn save_import_mapping(
    state: State<'_, AppState>,
    target: ImportTarget,
    name: String,
    mapping: ColumnMapping,
) -> CommandResult<SavedMapping> {
    state.with_store(|s| s.write(|tx| mapping::save_mapping(tx, target, &name, &mapping)))
}

/// The last import that can be undone.
#[tauri::command]
pub fn last_import(state: State<'_, AppState>) -> CommandResult<Option<ImportRun>> {
    state.with_store(|s| s.read(history::last_run))
}

/// "Rückgängig": undoes the last import.
#[tauri::command]
pub fn undo_last_import(state: State<'_, AppState>) -> CommandResult<UndoReport> {
    state.with_store(|s| s.write(history::undo_last))
}
