//! Exports of an event's data for the office's Excel work and for funders.
//!
//! Every export is a small self-describing [`Exporter`] in the [`registry`]: an id, a German
//! label and description, its options as data ([`OptionSpec`]) and a `render` function. The UI
//! and the CLI list the exporters from the registry ([`exporter_infos`]) and build their option
//! forms from the specs. Options arrive as a JSON map ([`RawOptions`]), optionally on top of a
//! saved profile ([`profiles`]), and are validated against the spec; unknown options and wrong
//! values are German field errors.
//!
//! Security: user text never becomes a formula (see [`sheet`] for xlsx and CSV).

mod attendance;
pub(crate) mod file_name;
mod invitations;
mod online_proof;
pub mod options;
mod participants;
pub mod profiles;
pub(crate) mod sheet;
mod statistics;
pub mod target;
mod wishes;
mod wording;

#[cfg(test)]
mod tests;

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::events::{self, Event};
use crate::store::Store;

pub(crate) use file_name::ascii_slug;
pub use file_name::{default_file_name, labelled_file_name};
pub use options::{ExportOptions, OptionChoice, OptionKind, OptionSpec, OptionValue, RawOptions};
pub use target::{ProtectedPaths, TargetError, check_target};

/// One kind of export.
pub trait Exporter: Sync {
    /// Stable id, used by the CLI (`--kind`), the UI and saved profiles.
    fn id(&self) -> &'static str;
    /// German name shown to the user.
    fn label(&self) -> &'static str;
    /// One or two German sentences on what the export contains.
    fn description(&self) -> &'static str;
    /// The name part of the default file name (ASCII, no spaces).
    fn file_label(&self) -> &'static str;
    /// The options the exporter understands, with defaults.
    fn options(&self) -> Vec<OptionSpec>;
    /// File extension for these options (without dot).
    fn extension(&self, options: &ExportOptions) -> CoreResult<&'static str>;
    /// Produces the file's bytes.
    fn render(
        &self,
        conn: &Connection,
        event: &Event,
        options: &ExportOptions,
    ) -> CoreResult<Rendered>;
}

/// The bytes of an export and how many entries it lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The file content.
    pub bytes: Vec<u8>,
    /// Listed entries (registrations, wishes), not counting blank rows.
    pub rows: usize,
}

static REGISTRY: [&dyn Exporter; 5] = [
    &participants::Participants,
    &attendance::Attendance,
    &online_proof::OnlineProof,
    &wishes::Wishes,
    &invitations::Invitations,
];

/// Every exporter, in the order the UI offers them.
pub fn registry() -> &'static [&'static dyn Exporter] {
    &REGISTRY
}

/// The exporter with this id; a German error listing the known ids otherwise.
pub fn find(id: &str) -> CoreResult<&'static dyn Exporter> {
    registry()
        .iter()
        .copied()
        .find(|e| e.id() == id)
        .ok_or_else(|| {
            let known: Vec<&str> = registry().iter().map(|e| e.id()).collect();
            CoreError::invalid(
                "exporter_id",
                format!(
                    "Unbekannte Exportart „{id}“ (möglich: {}).",
                    known.join(", ")
                ),
            )
        })
}

/// An exporter described for the UI and the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExporterInfo {
    /// Stable id ("participants", "attendance", "wishes").
    pub id: String,
    /// German name.
    pub label: String,
    /// German description.
    pub description: String,
    /// The options with defaults.
    pub options: Vec<OptionSpec>,
}

impl ExporterInfo {
    fn of(exporter: &dyn Exporter) -> Self {
        ExporterInfo {
            id: exporter.id().to_owned(),
            label: exporter.label().to_owned(),
            description: exporter.description().to_owned(),
            options: exporter.options(),
        }
    }
}

/// Every exporter described as data.
pub fn exporter_infos() -> Vec<ExporterInfo> {
    registry().iter().map(|e| ExporterInfo::of(*e)).collect()
}

/// What to export: exporter, event, an optional saved profile and options on top of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportRequest {
    /// Exporter id.
    pub exporter_id: String,
    /// Event key.
    #[ts(type = "number")]
    pub event_id: i64,
    /// Name of a saved profile of this exporter whose options are the starting point.
    pub profile: Option<String>,
    /// Options that override the profile's (or the defaults).
    pub options: RawOptions,
}

impl ExportRequest {
    /// A request with default options and no profile.
    pub fn new(exporter_id: &str, event_id: i64) -> Self {
        ExportRequest {
            exporter_id: exporter_id.to_owned(),
            event_id,
            profile: None,
            options: RawOptions::new(),
        }
    }
}

/// The validated pieces of a request.
struct Prepared {
    exporter: &'static dyn Exporter,
    event: Event,
    options: ExportOptions,
}

fn prepare(conn: &Connection, request: &ExportRequest) -> CoreResult<Prepared> {
    let exporter = find(&request.exporter_id)?;
    let event = events::get(conn, request.event_id)?;
    let mut raw = match &request.profile {
        Some(name) => profiles::get_by_name(conn, exporter.id(), name)?.options,
        None => RawOptions::new(),
    };
    raw.extend(request.options.clone());
    let options = ExportOptions::resolve(exporter.label(), &exporter.options(), &raw)?;
    Ok(Prepared {
        exporter,
        event,
        options,
    })
}

/// The suggested file name for a request (for the save dialog), e.g.
/// `2025-03-13_13-Forum_Anwesenheitsliste.xlsx`.
pub fn suggested_file_name(conn: &Connection, request: &ExportRequest) -> CoreResult<String> {
    let p = prepare(conn, request)?;
    Ok(default_file_name(
        &p.event,
        p.exporter,
        p.exporter.extension(&p.options)?,
    ))
}

/// The extension (without dot) of the file a request produces: "xlsx" or "csv".
pub fn file_extension(conn: &Connection, request: &ExportRequest) -> CoreResult<&'static str> {
    let p = prepare(conn, request)?;
    p.exporter.extension(&p.options)
}

/// Renders a request in memory.
pub fn render(conn: &Connection, request: &ExportRequest) -> CoreResult<Rendered> {
    let p = prepare(conn, request)?;
    p.exporter.render(conn, &p.event, &p.options)
}

/// The outcome of [`export_to_file`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExportSummary {
    /// The file written.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// Listed entries.
    #[ts(type = "number")]
    pub rows: usize,
    /// File size in bytes.
    #[ts(type = "number")]
    pub bytes: usize,
    /// German confirmation, e.g. "Anwesenheitsliste mit 23 Einträgen gespeichert."
    pub message: String,
}

/// Renders a request from one consistent snapshot and writes it to `path`. The file appears
/// complete or not at all: it is written next to the target and then renamed over it.
///
/// `path` must pass [`check_target`] with the exporter's extension against `protected` plus
/// the store's own database file (always protected, whatever the caller passes).
pub fn export_to_file(
    store: &mut Store,
    request: &ExportRequest,
    path: &Path,
    protected: &ProtectedPaths,
) -> CoreResult<ExportSummary> {
    let own_database = store
        .connection()
        .path()
        .filter(|p| !p.is_empty())
        .map(PathBuf::from);
    let protected = match own_database {
        Some(db) => protected.clone().database(&db),
        None => protected.clone(),
    };
    let (label, rendered) = store.read(|conn| {
        let label = find(&request.exporter_id)?.label();
        check_target(path, file_extension(conn, request)?, &protected)?;
        Ok((label, render(conn, request)?))
    })?;
    write_atomically(path, &rendered.bytes)?;
    Ok(ExportSummary {
        path: path.to_owned(),
        rows: rendered.rows,
        bytes: rendered.bytes.len(),
        message: format!(
            "{label} mit {} {} gespeichert.",
            rendered.rows,
            if rendered.rows == 1 {
                "Eintrag"
            } else {
                "Einträgen"
            }
        ),
    })
}

/// Temporaries of our own naming (`.NAME.xlsx.tmp`, `.NAME.csv.tmp`) older than this are left
/// over from an export that was killed and are removed by the next export into the folder.
const STALE_TEMPORARY: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// The hidden temporary an export writes before renaming it to `file_name`.
fn temporary_name(file_name: &std::ffi::OsStr) -> std::ffi::OsString {
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(file_name);
    temp_name.push(".tmp");
    temp_name
}

/// Whether `name` is a temporary of [`temporary_name`]'s form for one of our extensions.
fn is_our_temporary(name: &str) -> bool {
    name.starts_with('.')
        && TEMPORARY_EXTENSIONS
            .iter()
            .any(|ext| name.to_lowercase().ends_with(&format!(".{ext}.tmp")))
}

/// Every extension an exporter writes (see [`Exporter::extension`]), the documents' PDF and
/// the mail drafts.
const TEMPORARY_EXTENSIONS: [&str; 4] = ["xlsx", "csv", "pdf", "eml"];

/// Removes temporaries of our naming in `dir` that a killed export left behind: the one for
/// this target at once (a second export to the same file would clobber it anyway), others once
/// they are older than [`STALE_TEMPORARY`] (so a concurrent export elsewhere is not disturbed).
fn remove_stale_temporaries(dir: &Path, own: &Path) {
    let _ = std::fs::remove_file(own);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !is_our_temporary(&name.to_string_lossy()) {
            continue;
        }
        let stale = entry
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_TEMPORARY);
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes `bytes` to `path` so the file appears complete or not at all (a hidden temporary
/// next to it, created new, then renamed); also used by `documents`, `mail`, `privacy` and
/// `reporting`.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> CoreResult<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| CoreError::invalid("path", "Bitte geben Sie einen Dateinamen an."))?;
    let temp = dir.join(temporary_name(file_name));
    remove_stale_temporaries(dir, &temp);
    // `create_new`: never follow a link someone placed under the temporary's name.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&temp, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        file_error(path, e)
    })
}

/// A German message for a failed write; a locked file is usually open in Excel.
fn file_error(path: &Path, error: std::io::Error) -> CoreError {
    let shown = path.display();
    let message = match error.kind() {
        std::io::ErrorKind::PermissionDenied => format!(
            "{shown} kann nicht geschrieben werden (keine Berechtigung – ist die Datei noch in \
             Excel oder einem PDF-Programm geöffnet?)"
        ),
        std::io::ErrorKind::NotFound => format!("Den Ordner für {shown} gibt es nicht"),
        _ => format!("{shown}: {error}"),
    };
    CoreError::Io(std::io::Error::new(error.kind(), message))
}
