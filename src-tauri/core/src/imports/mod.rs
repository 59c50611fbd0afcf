//! Getting data in: contact lists, web-form registrations and Zoom/Teams attendance reports
//! (issue 9), and the demo data from `seeds/`.
//!
//! Every file format is a small self-describing [`Importer`] in the [`registry`]: an id, a German
//! label, a `sniff` confidence that it understands a file, and the fields it can map. The flow
//! the wizard and the CLI share:
//!
//! 1. [`read::read_path`] / [`read::read_bytes`] — encoding, delimiter, rows with their lines;
//! 2. [`prepare`] — the importer with the highest confidence (or the chosen one), the header
//!    row and the proposed [`ColumnMapping`] (a saved mapping for the same header is offered);
//! 3. [`preview`] — the whole import run in a transaction that is rolled back: every row's
//!    state (new, known person, possible duplicate, error, skipped) with reasons;
//! 4. [`import`] — the same in ONE transaction that commits (all rows or none); every source
//!    row leaves a fingerprint, so importing the same file twice adds nothing;
//! 5. [`history::undo_last`] — deletes what the last import created, as long as nothing else
//!    changed those rows since.
//!
//! Registrations go through [`crate::registrations::register`] (capacity, waiting list, status
//! log); this module never writes a registration status itself.

pub mod history;
pub mod mapping;
pub(crate) mod online;
mod persons;
pub mod read;
pub mod seeds;
pub mod values;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::store::{Store, Transaction};

pub use mapping::{ColumnMapping, Field, ImportTarget, SavedMapping};
pub use read::{SourceFile, SourceRow};

/// One file format the office receives.
pub trait Importer: Sync {
    /// Stable id, printed as `format` by the CLI.
    fn id(&self) -> &'static str;
    /// German name shown to the user.
    fn label(&self) -> &'static str;
    /// One German sentence on which files it reads.
    fn description(&self) -> &'static str;
    /// What it imports.
    fn target(&self) -> ImportTarget;
    /// Confidence between 0 and 1 that this importer understands `file`.
    fn sniff(&self, file: &SourceFile) -> f64;
    /// The fields its columns can be mapped to.
    fn fields(&self) -> &'static [Field] {
        Field::for_target(self.target())
    }
    /// The index of the header row in `file.rows`: by default the row among the first 60 that
    /// maps the most columns.
    fn header(&self, file: &SourceFile) -> Option<usize> {
        mapping::find_header(file, self.target())
    }
}

/// A table importer recognised by header words (web forms, contact lists, generic reports).
struct TableImporter {
    id: &'static str,
    label: &'static str,
    description: &'static str,
    target: ImportTarget,
    /// Header keys ([`mapping::header_key`]) that identify the format; empty for the fallback.
    markers: &'static [&'static str],
    /// Confidence when all markers are found.
    confidence: f64,
}

impl Importer for TableImporter {
    fn id(&self) -> &'static str {
        self.id
    }
    fn label(&self) -> &'static str {
        self.label
    }
    fn description(&self) -> &'static str {
        self.description
    }
    fn target(&self) -> ImportTarget {
        self.target
    }
    fn sniff(&self, file: &SourceFile) -> f64 {
        let Some(header) = mapping::find_header(file, self.target) else {
            return 0.0;
        };
        let keys: Vec<String> = file.rows[header]
            .cells
            .iter()
            .map(|c| mapping::header_key(c))
            .collect();
        if self.markers.iter().all(|m| keys.iter().any(|k| k == m)) {
            self.confidence
        } else {
            0.0
        }
    }
}

/// Every importer, in the order the UI offers them.
static REGISTRY: [&dyn Importer; 11] = [
    &TableImporter {
        id: "contacts",
        label: "Kontaktliste (CSV/Excel)",
        description: "Personen mit Organisation, Ort und Kontaktdaten aus einer Excel- oder CSV-Liste.",
        target: ImportTarget::Contacts,
        markers: &[],
        confidence: 0.5,
    },
    &TableImporter {
        id: "google_forms",
        label: "Google Forms",
        description: "Antworten aus Google Forms (Spalte „Zeitstempel“, Mehrfachauswahl mit „;“).",
        target: ImportTarget::Registrations,
        markers: &["zeitstempel"],
        confidence: 0.8,
    },
    &TableImporter {
        id: "google_forms_en",
        label: "Google Forms (englisch)",
        description: "Antworten aus Google Forms in englischer Oberfläche (Spalte „Timestamp“).",
        target: ImportTarget::Registrations,
        markers: &["timestamp"],
        confidence: 0.75,
    },
    &TableImporter {
        id: "microsoft_forms",
        label: "Microsoft Forms",
        description: "Excel-Export aus Microsoft Forms; die Spalte „E-Mail“ ist dort oft das anonyme Konto, die E-Mail-Frage wird am Inhalt erkannt.",
        target: ImportTarget::Registrations,
        markers: &["id", "fertigstellungszeit"],
        confidence: 0.9,
    },
    &TableImporter {
        id: "microsoft_forms_en",
        label: "Microsoft Forms (englisch)",
        description: "Excel-Export aus Microsoft Forms in englischer Oberfläche (Spalten „ID“, „Completion time“).",
        target: ImportTarget::Registrations,
        markers: &["id", "completiontime"],
        confidence: 0.9,
    },
    &TableImporter {
        id: "contact_form_7",
        label: "Contact Form 7 / Flamingo",
        description: "Export aus Flamingo (Feldnamen wie „your-email“, Hinweis „Security Alert“ vor Formelzeichen).",
        target: ImportTarget::Registrations,
        markers: &["youremail"],
        confidence: 0.9,
    },
    &TableImporter {
        id: "registrations",
        label: "Anmeldeliste / Formular-Export (CSV/Excel)",
        description: "Jede Tabelle mit einer Zeile je Anmeldung (WPForms, Gravity Forms, LimeSurvey, pretix, Excel-Listen); Spalten werden zugeordnet.",
        target: ImportTarget::Registrations,
        markers: &[],
        confidence: 0.5,
    },
    &online::Zoom,
    &online::Teams,
    &online::TeamsLog,
    &TableImporter {
        id: "attendance_csv",
        label: "Teilnahmeliste (Name, E-Mail, Beitritt, Verlassen)",
        description: "Eine einfache Tabelle mit Name, E-Mail, Beitritt und Verlassen je Zeile, z. B. aus Webex oder BigBlueButton.",
        target: ImportTarget::Attendance,
        markers: &[],
        confidence: 0.4,
    },
];

/// Every importer.
pub fn registry() -> &'static [&'static dyn Importer] {
    &REGISTRY
}

/// The importer with this id; a German error listing the known ids otherwise.
pub fn find(id: &str) -> CoreResult<&'static dyn Importer> {
    registry()
        .iter()
        .copied()
        .find(|i| i.id() == id)
        .ok_or_else(|| {
            let known: Vec<&str> = registry().iter().map(|i| i.id()).collect();
            CoreError::invalid(
                "importer_id",
                format!(
                    "Unbekannte Importart „{id}“ (möglich: {}).",
                    known.join(", ")
                ),
            )
        })
}

/// An importer described for the UI and the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImporterInfo {
    /// Stable id.
    pub id: String,
    /// German name.
    pub label: String,
    /// German description.
    pub description: String,
    /// What it imports.
    pub target: ImportTarget,
    /// The fields it can map, with German labels.
    pub fields: Vec<FieldInfo>,
}

/// A mappable field with its German label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldInfo {
    /// Field id.
    pub id: Field,
    /// German label.
    pub label: String,
}

/// Every importer described as data.
pub fn importer_infos() -> Vec<ImporterInfo> {
    registry()
        .iter()
        .map(|i| ImporterInfo {
            id: i.id().to_owned(),
            label: i.label().to_owned(),
            description: i.description().to_owned(),
            target: i.target(),
            fields: i
                .fields()
                .iter()
                .map(|f| FieldInfo {
                    id: *f,
                    label: f.label().to_owned(),
                })
                .collect(),
        })
        .collect()
}

/// How sure each importer of a target is about a file, best first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SniffResult {
    /// Importer id.
    pub importer_id: String,
    /// German label.
    pub label: String,
    /// Confidence 0–1.
    pub confidence: f64,
}

/// The importers of `target` that understand `file`, most confident first.
pub fn sniff(file: &SourceFile, target: ImportTarget) -> Vec<SniffResult> {
    let mut results: Vec<SniffResult> = registry()
        .iter()
        .filter(|i| i.target() == target)
        .map(|i| SniffResult {
            importer_id: i.id().to_owned(),
            label: i.label().to_owned(),
            confidence: i.sniff(file),
        })
        .filter(|r| r.confidence > 0.0)
        .collect();
    results.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    results
}

/// What the user asks for: target, event, and the choices made in the wizard.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportRequest {
    /// What to import.
    pub target: Option<ImportTarget>,
    /// The event (registrations and attendance).
    #[ts(type = "number | null")]
    pub event_id: Option<i64>,
    /// A chosen importer instead of the most confident one.
    pub importer_id: Option<String>,
    /// The mapping as confirmed or corrected by the user.
    pub mapping: Option<ColumnMapping>,
    /// A saved mapping to use.
    pub mapping_name: Option<String>,
    /// How the user resolved possible duplicates.
    pub decisions: Vec<ReviewDecision>,
    /// Attendance: minutes needed to count as present (default: half the scheduled duration).
    #[ts(type = "number | null")]
    pub min_minutes: Option<i64>,
    /// Attendance: display names matched to a registered person by hand (remembered as alias).
    pub manual_matches: Vec<ManualMatch>,
}

/// The user's answer to a possible duplicate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewDecision {
    /// Data record number.
    #[ts(type = "number")]
    pub record: usize,
    /// `Some(id)`: the row is this existing person; `None`: a different person.
    #[ts(type = "number | null")]
    pub same_person_id: Option<i64>,
}

/// A display name of a participant report matched to a person by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ManualMatch {
    /// The display name as in the report.
    pub display_name: String,
    /// The person.
    #[ts(type = "number")]
    pub person_id: i64,
}

/// The state of one source row in the preview and the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RowState {
    /// A new person (and registration).
    New,
    /// A known person (same e-mail, or confirmed by the user).
    Known,
    /// A possible duplicate: same name and Ort, another e-mail.
    Review,
    /// Not imported; see the errors.
    Error,
    /// Not imported on purpose (already imported, re-submitted later, already registered).
    Skipped,
}

/// One source row as the preview table shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RowOutcome {
    /// Data record number (1 = first record below the header).
    #[ts(type = "number")]
    pub record: usize,
    /// Physical line in the file.
    #[ts(type = "number")]
    pub line: usize,
    /// State.
    pub state: RowState,
    /// Name as read.
    pub name: String,
    /// E-mail as read.
    pub email: String,
    /// The person it was matched to or created as.
    #[ts(type = "number | null")]
    pub person_id: Option<i64>,
    /// The existing person it may duplicate.
    #[ts(type = "number | null")]
    pub candidate_person_id: Option<i64>,
    /// Registration status after the import (registrations only).
    pub status: Option<crate::registrations::RegistrationStatus>,
    /// German reasons (why skipped, what was filled, …).
    pub reasons: Vec<String>,
    /// Consents read from the row ("privacy", "photo", "list" → yes/no).
    pub consents: Consents,
    /// Organisation as read (shown beside the stored person when it may be a duplicate).
    pub organisation: String,
    /// Ort as read.
    pub ort: String,
}

/// What a row said about consent (kept with the import rows; the consent feature is issue 10).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Consents {
    /// Datenschutz.
    pub privacy: Option<bool>,
    /// Photos.
    pub photo: Option<bool>,
    /// Appearing on the participant list.
    pub list: Option<bool>,
}

/// A possible duplicate (CLI contract: `record`, `line`, `reason`, `candidate_person_id`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ReviewCase {
    /// Data record number.
    #[ts(type = "number")]
    pub record: usize,
    /// Physical line.
    #[ts(type = "number")]
    pub line: usize,
    /// German reason.
    pub reason: String,
    /// The existing person.
    #[ts(type = "number")]
    pub candidate_person_id: i64,
}

/// An error or warning (CLI contract: `record`, `line`, `field`, `message`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RowIssue {
    /// Data record number (0 for problems found while reading the file).
    #[ts(type = "number")]
    pub record: usize,
    /// Physical line (0 when unknown).
    #[ts(type = "number")]
    pub line: usize,
    /// The field concerned, if any.
    pub field: Option<Field>,
    /// German message.
    pub message: String,
}

/// A matched participant of an attendance import.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Participant {
    /// The person.
    #[ts(type = "number")]
    pub person_id: i64,
    /// Their stored e-mail.
    pub email: String,
    /// Their stored name.
    pub name: String,
    /// Minutes present (union of intervals, clipped to the event).
    #[ts(type = "number")]
    pub minutes: i64,
    /// Whether the minutes reach the threshold.
    pub present: bool,
    /// First join (RFC 3339, Berlin offset).
    pub first_join: String,
    /// Last leave (RFC 3339, Berlin offset).
    pub last_leave: String,
}

/// A participant of a report without a registration (staff, speakers, dial-ins).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Unmatched {
    /// The display name as in the report.
    pub display_name: String,
    /// The e-mail as in the report.
    pub email: String,
    /// Minutes present.
    #[ts(type = "number")]
    pub minutes: i64,
}

/// The outcome of a preview or an import.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    /// Importer id.
    pub format: String,
    /// Importer label.
    pub format_label: String,
    /// Encoding (or spreadsheet type).
    pub encoding: String,
    /// Delimiter of a text file.
    pub delimiter: Option<String>,
    /// Data records read (blank rows not counted).
    #[ts(type = "number")]
    pub records: usize,
    /// Rows imported (registrations created, contacts created or updated, participants
    /// matched).
    #[ts(type = "number")]
    pub imported: usize,
    /// Persons created.
    #[ts(type = "number")]
    pub new_persons: usize,
    /// Rows matched to an existing person.
    #[ts(type = "number")]
    pub matched_persons: usize,
    /// Blank rows (`;;;;`).
    #[ts(type = "number")]
    pub skipped_empty: usize,
    /// Rows skipped on purpose (already imported, re-submitted later, already registered).
    #[ts(type = "number")]
    pub skipped: usize,
    /// Possible duplicates.
    pub review: Vec<ReviewCase>,
    /// Rows not imported.
    pub errors: Vec<RowIssue>,
    /// Hints that did not stop a row.
    pub warnings: Vec<RowIssue>,
    /// Every row with its state.
    pub rows: Vec<RowOutcome>,
    /// The mapping used.
    pub mapping: ColumnMapping,
    /// Saved mappings for this header row (offered in the wizard).
    pub saved_mappings: Vec<String>,
    /// Line of the header row.
    #[ts(type = "number")]
    pub header_line: usize,
    /// Attendance: matched participants.
    pub participants: Vec<Participant>,
    /// Attendance: report entries without a registration.
    pub unmatched: Vec<Unmatched>,
    /// Attendance: the threshold used.
    #[ts(type = "number | null")]
    pub min_minutes: Option<i64>,
    /// The stored run (`None` for a preview).
    #[ts(type = "number | null")]
    pub run_id: Option<i64>,
    /// Whether nothing was written.
    pub dry_run: bool,
}

/// Reports progress: rows done, rows in total.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// The chosen importer, the header and the mapping of a file, before anything is written.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The importer.
    pub importer: &'static dyn Importer,
    /// Index of the header row in `file.rows`.
    pub header: usize,
    /// The mapping (from the request, a saved mapping, or proposed).
    pub mapping: ColumnMapping,
    /// Saved mappings for this header row.
    pub saved_mappings: Vec<String>,
}

impl std::fmt::Debug for dyn Importer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// Chooses the importer and proposes the mapping (step 2 of the wizard).
pub fn prepare(
    conn: &rusqlite::Connection,
    file: &SourceFile,
    request: &ImportRequest,
) -> CoreResult<Prepared> {
    let target = request.target.ok_or_else(|| {
        CoreError::invalid("target", "Bitte wählen Sie, was importiert werden soll.")
    })?;
    let importer = match &request.importer_id {
        Some(id) => find(id)?,
        None => match sniff(file, target).first() {
            Some(best) => find(&best.importer_id)?,
            None => return Err(no_header(file, target)),
        },
    };
    if importer.target() != target {
        return Err(CoreError::invalid(
            "importer_id",
            format!(
                "„{}“ importiert {}, nicht {}.",
                importer.label(),
                importer.target().label(),
                target.label()
            ),
        ));
    }
    let saved_by_name = request
        .mapping_name
        .as_deref()
        .map(|name| mapping::get_mapping(conn, target, name))
        .transpose()?;
    let header = match &saved_by_name {
        Some(saved) => file
            .rows
            .iter()
            .take(60)
            .position(|r| mapping::header_row_key(&r.cells) == saved.header_row)
            .or_else(|| importer.header(file)),
        None => importer.header(file),
    }
    .ok_or_else(|| no_header(file, target))?;
    let data = &file.rows[header + 1..file.rows.len().min(header + 201)];
    let headers: Vec<String> = file.rows[header]
        .cells
        .iter()
        .map(|c| c.trim().to_owned())
        .collect();
    let saved = mapping::mappings_for_header(conn, target, &headers)?;
    let mapping = match (&request.mapping, &saved_by_name, saved.first()) {
        (Some(m), _, _) => m.clone(),
        (None, Some(s), _) => s.apply(&headers),
        (None, None, Some(s)) => s.apply(&headers),
        (None, None, None) => mapping::propose_for_row(target, &file.rows[header], data),
    };
    Ok(Prepared {
        importer,
        header,
        mapping,
        saved_mappings: saved.into_iter().map(|s| s.name).collect(),
    })
}

/// What the wizard shows after a file was chosen: format, encoding, delimiter, the importers'
/// confidence, the header row, the proposed mapping and the first rows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Inspection {
    /// File name.
    pub file_name: String,
    /// Chosen importer id.
    pub importer_id: String,
    /// Its German label.
    pub importer_label: String,
    /// Every importer of the target that understands the file, most confident first.
    pub sniffed: Vec<SniffResult>,
    /// Encoding (or spreadsheet type).
    pub encoding: String,
    /// Whether the file starts with a byte order mark.
    pub bom: bool,
    /// Delimiter of a text file.
    pub delimiter: Option<String>,
    /// Line of the header row.
    #[ts(type = "number")]
    pub header_line: usize,
    /// The proposed (or saved) mapping.
    pub mapping: ColumnMapping,
    /// Saved mappings for this header row.
    pub saved_mappings: Vec<String>,
    /// The fields the importer can map, for the mapping step.
    pub fields: Vec<FieldInfo>,
    /// Up to 20 data rows below the header, as read.
    pub sample: Vec<Vec<String>>,
    /// Data rows below the header (blank rows included).
    #[ts(type = "number")]
    pub rows: usize,
    /// Problems found while reading.
    pub problems: Vec<read::ReadProblem>,
}

/// Step 1 of the wizard: reads nothing else and writes nothing.
pub fn inspect(
    conn: &rusqlite::Connection,
    file: &SourceFile,
    request: &ImportRequest,
) -> CoreResult<Inspection> {
    let prepared = prepare(conn, file, request)?;
    let target = prepared.importer.target();
    let data = &file.rows[prepared.header + 1..];
    Ok(Inspection {
        file_name: file.file_name.clone(),
        importer_id: prepared.importer.id().to_owned(),
        importer_label: prepared.importer.label().to_owned(),
        sniffed: sniff(file, target),
        encoding: file.encoding.clone(),
        bom: file.bom,
        delimiter: file.delimiter.map(String::from),
        header_line: file.rows[prepared.header].line,
        mapping: prepared.mapping,
        saved_mappings: prepared.saved_mappings,
        fields: prepared
            .importer
            .fields()
            .iter()
            .map(|f| FieldInfo {
                id: *f,
                label: f.label().to_owned(),
            })
            .collect(),
        sample: data.iter().take(20).map(|r| r.cells.clone()).collect(),
        rows: data.len(),
        problems: file.problems.clone(),
    })
}

fn no_header(file: &SourceFile, target: ImportTarget) -> CoreError {
    let expected = match target {
        ImportTarget::Attendance => "Name, E-Mail, Beitritt und Verlassen",
        _ => "Vorname, Nachname oder Name, E-Mail, Organisation",
    };
    CoreError::InvalidFile {
        file: file.file_name.clone(),
        message: format!(
            "Es wurde keine Kopfzeile mit bekannten Spalten gefunden (erwartet z. B. {expected})."
        ),
    }
}

/// Runs the import in a transaction that is rolled back: the preview (and `--dry-run`).
pub fn preview(
    store: &mut Store,
    file: &SourceFile,
    request: &ImportRequest,
    progress: Progress<'_>,
) -> CoreResult<ImportReport> {
    let tx =
        Transaction::new_unchecked(store.connection(), rusqlite::TransactionBehavior::Deferred)?;
    let mut report = run_in(&tx, file, request, progress)?;
    tx.rollback()?;
    report.run_id = None;
    report.dry_run = true;
    Ok(report)
}

/// Runs the import in ONE transaction: all rows or none.
pub fn import(
    store: &mut Store,
    file: &SourceFile,
    request: &ImportRequest,
    progress: Progress<'_>,
) -> CoreResult<ImportReport> {
    store.write(|tx| run_in(tx, file, request, progress))
}

fn run_in(
    tx: &Transaction<'_>,
    file: &SourceFile,
    request: &ImportRequest,
    progress: Progress<'_>,
) -> CoreResult<ImportReport> {
    let prepared = prepare(tx, file, request)?;
    let mut report = ImportReport {
        format: prepared.importer.id().to_owned(),
        format_label: prepared.importer.label().to_owned(),
        encoding: file.encoding.clone(),
        delimiter: file.delimiter.map(String::from),
        records: 0,
        imported: 0,
        new_persons: 0,
        matched_persons: 0,
        skipped_empty: 0,
        skipped: 0,
        review: Vec::new(),
        errors: Vec::new(),
        warnings: file
            .problems
            .iter()
            .map(|p| RowIssue {
                record: 0,
                line: p.line,
                field: None,
                message: p.message.clone(),
            })
            .collect(),
        rows: Vec::new(),
        mapping: prepared.mapping.clone(),
        saved_mappings: prepared.saved_mappings.clone(),
        header_line: file.rows[prepared.header].line,
        participants: Vec::new(),
        unmatched: Vec::new(),
        min_minutes: None,
        run_id: None,
        dry_run: false,
    };
    if let Some(event_id) = request.event_id {
        crate::events::get(tx, event_id)?;
    }
    let run_id = history::start_run(tx, &prepared, file, request)?;
    match prepared.importer.target() {
        ImportTarget::Contacts | ImportTarget::Registrations => {
            persons::run(tx, run_id, file, &prepared, request, &mut report, progress)?;
        }
        ImportTarget::Attendance => {
            online::run(tx, run_id, file, &prepared, request, &mut report, progress)?;
        }
    }
    let kept = history::finish_run(tx, run_id, &report)?;
    report.run_id = kept.then_some(run_id);
    Ok(report)
}

/// The fingerprint of a source row: SHA-256 over target, event and the trimmed cells.
pub fn fingerprint(target: ImportTarget, event_id: Option<i64>, cells: &[String]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(target.as_str().as_bytes());
    hasher.update(event_id.unwrap_or(0).to_le_bytes());
    for cell in cells {
        hasher.update([0x1f]);
        hasher.update(cell.trim().as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests;
