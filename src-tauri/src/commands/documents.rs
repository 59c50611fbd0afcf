//! Document commands: Namensschilder and Teilnahmebescheinigungen as PDF.
//!
//! Like an export: the UI asks [`plan_document`] for the suggested file name, then the native
//! save dialog (or, in debug builds, the `TAGUNGSBUERO_EXPORT_DIR` test seam) gives the target;
//! the core checks it like an export target and writes atomically. The written file (or the
//! folder of single PDFs) is remembered so `open_export` may open it. Rendering runs off the
//! main thread (`command(async)`), so the window stays responsive for hundreds of badges.

use std::path::PathBuf;

use tagungsbuero_core::documents::DocumentSummary;
use tagungsbuero_core::documents::badges::{self, BadgeLayout, BadgeRequest};
use tagungsbuero_core::documents::certificates::{self, CertificateRequest};
use tauri::{AppHandle, State};

use super::CommandResult;
use super::exports::{ExportPlan, preset_path, protected_paths};
use crate::state::AppState;

/// The badge layouts offered (the default first).
#[tauri::command]
pub fn badge_layouts() -> Vec<BadgeLayout> {
    badges::LAYOUTS.to_vec()
}

/// The suggested file name of a document ("badges" or "certificates") of an event.
#[tauri::command]
pub fn plan_document(
    state: State<'_, AppState>,
    kind: String,
    event_id: i64,
) -> CommandResult<ExportPlan> {
    state.with_store(|s| {
        s.read(|c| {
            let file_name = if kind == "certificates" {
                certificates::file_name(c, event_id)?
            } else {
                badges::file_name(c, event_id)?
            };
            let preset_path = preset_path(&file_name);
            Ok(ExportPlan {
                file_name,
                extension: "pdf".to_owned(),
                preset_path,
            })
        })
    })
}

/// Writes the badges of `request` to `path`.
#[tauri::command(async)]
pub fn write_badges(
    app: AppHandle,
    state: State<'_, AppState>,
    request: BadgeRequest,
    path: String,
) -> CommandResult<DocumentSummary> {
    let protected = protected_paths(&app, &state);
    let summary = state
        .with_store(|s| badges::write_badges(s, &request, &PathBuf::from(path), &protected))?;
    state.remember_export(&summary.path);
    Ok(summary)
}

/// Writes the certificates of `request` into one PDF at `path`, or with `per_person` one PDF
/// per person into the folder `path`.
#[tauri::command(async)]
pub fn write_certificates(
    app: AppHandle,
    state: State<'_, AppState>,
    request: CertificateRequest,
    path: String,
    per_person: bool,
) -> CommandResult<DocumentSummary> {
    let protected = protected_paths(&app, &state);
    let path = PathBuf::from(path);
    let summary = state.with_store(|s| {
        if per_person {
            certificates::write_certificates_per_person(s, &request, &path, &protected)
        } else {
            certificates::write_certificates(s, &request, &path, &protected)
        }
    })?;
    state.remember_export(&summary.path);
    Ok(summary)
}
