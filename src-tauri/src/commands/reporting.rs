//! "Auswertung" commands: the figures of a period, the list behind a bar, the Jahresbericht.

use std::path::PathBuf;

use tagungsbuero_core::reporting::{
    self, AnnualReportSummary, DrillKey, DrillList, ReportFormat, Statistics, StatsFilter,
};
use tauri::{AppHandle, State};

use super::CommandResult;
use super::exports::{ExportPlan, preset_path, protected_paths};
use crate::state::AppState;

/// The figures for a period and series (one snapshot).
#[tauri::command]
pub fn statistics(state: State<'_, AppState>, filter: StatsFilter) -> CommandResult<Statistics> {
    state.with_store(|s| s.read(|c| reporting::statistics(c, &filter)))
}

/// What is behind one bar: events, people, Kommunen, organisations.
#[tauri::command]
pub fn statistics_drill(
    state: State<'_, AppState>,
    filter: StatsFilter,
    key: DrillKey,
) -> CommandResult<DrillList> {
    state.with_store(|s| s.read(|c| reporting::drill(c, &filter, &key)))
}

/// The suggested file name of the Jahresbericht in `format` (and the debug builds' preset
/// target).
#[tauri::command]
pub fn plan_annual_report(filter: StatsFilter, format: ReportFormat) -> ExportPlan {
    let period = reporting::period_label(&filter)
        .replace("Kalenderjahr ", "")
        .replace(" – ", "_bis_")
        .replace('.', "-");
    let file_name = format!("Jahresbericht_{period}.{}", format.extension());
    ExportPlan {
        preset_path: preset_path(&file_name),
        file_name,
        extension: format.extension().to_owned(),
    }
}

/// Writes the Jahresbericht to the chosen `path` (checked like every export; `.pdf` gives the
/// PDF, else the xlsx) and remembers it for "Datei öffnen". Runs off the main thread (the PDF
/// takes a moment).
#[tauri::command(async)]
pub fn export_annual_report(
    app: AppHandle,
    state: State<'_, AppState>,
    filter: StatsFilter,
    path: String,
) -> CommandResult<AnnualReportSummary> {
    let protected = protected_paths(&app, &state);
    let summary = state.with_store(|s| {
        reporting::export_annual_report(s, &filter, &PathBuf::from(path), &protected)
    })?;
    state.remember_export(&summary.path);
    Ok(summary)
}
