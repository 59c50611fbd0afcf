//! `import contacts|registrations|attendance|undo` and `import-kinds`.
//!
//! Each import prints one JSON object (`--json`) with the fixed fields `format`, `encoding`,
//! `delimiter`, `records`, `imported`, `new_persons`, `matched_persons`, `skipped_empty`,
//! `review`, `errors`, `warnings` (attendance adds `participants` and `unmatched`). Possible
//! duplicates are imported as separate persons (the app's duplicate view shows them).
//! `--dry-run` runs the same import in a transaction that is rolled back. Files with more than
//! 500 rows report progress on stderr.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::{Value, json};
use tagungsbuero_core::Store;
use tagungsbuero_core::imports::{self, ImportReport, ImportRequest, ImportTarget, history, read};

/// Subcommands of `import`.
#[derive(Subcommand)]
pub enum ImportCommand {
    /// Kontakte (Personen mit Organisation) aus CSV/Excel importieren.
    Contacts(ContactsArgs),
    /// Anmeldungen für eine Veranstaltung aus einem Formular-Export importieren.
    Registrations(RegistrationsArgs),
    /// Online-Anwesenheit aus einem Zoom-/Teams-Teilnehmerbericht importieren.
    Attendance(AttendanceArgs),
    /// Den letzten Import rückgängig machen.
    Undo(JsonOnly),
}

/// Options every import has.
#[derive(Args)]
pub struct Common {
    /// Die zu importierende Datei (CSV, TXT, XLSX, XLS, ODS).
    #[arg(long)]
    file: PathBuf,
    /// Nichts speichern, nur den Bericht ausgeben.
    #[arg(long)]
    dry_run: bool,
    /// Als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

/// Arguments of `import contacts`.
#[derive(Args)]
pub struct ContactsArgs {
    #[command(flatten)]
    common: Common,
    /// Gespeicherte Spaltenzuordnung.
    #[arg(long)]
    mapping: Option<String>,
}

/// Arguments of `import registrations`.
#[derive(Args)]
pub struct RegistrationsArgs {
    /// Veranstaltung (id).
    #[arg(long)]
    event: i64,
    #[command(flatten)]
    common: Common,
    /// Gespeicherte Spaltenzuordnung.
    #[arg(long)]
    mapping: Option<String>,
}

/// Arguments of `import attendance`.
#[derive(Args)]
pub struct AttendanceArgs {
    /// Veranstaltung (id).
    #[arg(long)]
    event: i64,
    #[command(flatten)]
    common: Common,
    /// Minuten, ab denen jemand als anwesend gilt (Standard: die Hälfte der geplanten Dauer).
    #[arg(long)]
    min_minutes: Option<i64>,
}

/// `--json` alone.
#[derive(Args)]
pub struct JsonOnly {
    /// Als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

/// Runs an `import` subcommand; returns the text for stdout or a German error.
pub fn run(store: &mut Store, command: ImportCommand) -> Result<String, String> {
    let (common, request) = match command {
        ImportCommand::Contacts(a) => (
            a.common,
            ImportRequest {
                target: Some(ImportTarget::Contacts),
                mapping_name: a.mapping,
                ..ImportRequest::default()
            },
        ),
        ImportCommand::Registrations(a) => (
            a.common,
            ImportRequest {
                target: Some(ImportTarget::Registrations),
                event_id: Some(a.event),
                mapping_name: a.mapping,
                ..ImportRequest::default()
            },
        ),
        ImportCommand::Attendance(a) => (
            a.common,
            ImportRequest {
                target: Some(ImportTarget::Attendance),
                event_id: Some(a.event),
                min_minutes: a.min_minutes,
                ..ImportRequest::default()
            },
        ),
        ImportCommand::Undo(a) => return undo(store, a.json),
    };
    if let Some(m) = request.min_minutes
        && m < 0
    {
        return Err("--min-minutes darf nicht negativ sein.".into());
    }
    let file = read::read_path(&common.file).map_err(|e| e.to_string())?;
    let mut progress = |done: usize, total: usize| {
        if total > 500 && done.is_multiple_of(1000) && done > 0 {
            eprintln!("Fortschritt: {done}/{total}");
        }
    };
    let report = if common.dry_run {
        imports::preview(store, &file, &request, &mut progress)
    } else {
        imports::import(store, &file, &request, &mut progress)
    }
    .map_err(|e| e.to_string())?;
    if common.json {
        serde_json::to_string_pretty(&report_json(&report, request.target))
            .map_err(|e| format!("JSON-Ausgabe fehlgeschlagen: {e}"))
    } else {
        Ok(summary(&report))
    }
}

/// The JSON contract of the import commands.
fn report_json(report: &ImportReport, target: Option<ImportTarget>) -> Value {
    let mut value = json!({
        "format": report.format,
        "encoding": report.encoding,
        "delimiter": report.delimiter,
        "records": report.records,
        "imported": report.imported,
        "new_persons": report.new_persons,
        "matched_persons": report.matched_persons,
        "skipped_empty": report.skipped_empty,
        "skipped": report.skipped,
        "review": report.review,
        "errors": report.errors,
        "warnings": report.warnings,
        "header_line": report.header_line,
        "run_id": report.run_id,
        "dry_run": report.dry_run,
    });
    if target == Some(ImportTarget::Attendance) {
        value["participants"] = json!(
            report
                .participants
                .iter()
                .map(|p| json!({
                    "person_id": p.person_id,
                    "email": p.email,
                    "name": p.name,
                    "minutes": p.minutes,
                    "present": p.present,
                    "first_join": p.first_join,
                    "last_leave": p.last_leave,
                }))
                .collect::<Vec<_>>()
        );
        value["unmatched"] = json!(report.unmatched);
        value["min_minutes"] = json!(report.min_minutes);
    }
    value
}

/// A German summary for people.
fn summary(report: &ImportReport) -> String {
    let mut text = format!(
        "{} ({}{}): {} Datensätze gelesen, {} importiert, {} neue Personen, {} bekannte, {} \
         übersprungen, {} leere Zeilen.{}",
        report.format_label,
        report.encoding,
        report
            .delimiter
            .as_deref()
            .map(|d| format!(", Trennzeichen „{}“", if d == "\t" { "Tab" } else { d }))
            .unwrap_or_default(),
        report.records,
        report.imported,
        report.new_persons,
        report.matched_persons,
        report.skipped,
        report.skipped_empty,
        if report.dry_run {
            " (Probelauf – nichts gespeichert.)"
        } else {
            ""
        }
    );
    for case in &report.review {
        text.push_str(&format!(
            "\nPrüfen: Datensatz {} (Zeile {}): {}",
            case.record, case.line, case.reason
        ));
    }
    for error in &report.errors {
        text.push_str(&format!(
            "\nFehler: Datensatz {} (Zeile {}): {}",
            error.record, error.line, error.message
        ));
    }
    for warning in &report.warnings {
        text.push_str(&format!(
            "\nHinweis: Datensatz {} (Zeile {}): {}",
            warning.record, warning.line, warning.message
        ));
    }
    for p in &report.participants {
        text.push_str(&format!(
            "\n{}: {} Minuten{}",
            p.name,
            p.minutes,
            if p.present { ", anwesend" } else { "" }
        ));
    }
    for u in &report.unmatched {
        text.push_str(&format!(
            "\nNicht zugeordnet: {} {} ({} Minuten)",
            u.display_name, u.email, u.minutes
        ));
    }
    text
}

fn undo(store: &mut Store, json: bool) -> Result<String, String> {
    let report = store.write(history::undo_last).map_err(|e| e.to_string())?;
    if json {
        serde_json::to_string_pretty(&report)
            .map_err(|e| format!("JSON-Ausgabe fehlgeschlagen: {e}"))
    } else {
        Ok(report.message)
    }
}

/// Arguments of `import-kinds`.
#[derive(Args)]
pub struct KindsArgs {
    /// Als JSON ausgeben.
    #[arg(long)]
    json: bool,
}

/// Runs `import-kinds`: the registry with target and fields.
pub fn kinds(args: &KindsArgs) -> Result<String, String> {
    let infos = imports::importer_infos();
    if args.json {
        return serde_json::to_string_pretty(&infos)
            .map_err(|e| format!("JSON-Ausgabe fehlgeschlagen: {e}"));
    }
    let mut text = String::new();
    for info in &infos {
        let fields: Vec<&str> = info.fields.iter().map(|f| f.label.as_str()).collect();
        text.push_str(&format!(
            "{}  –  {} ({})\n    {}\n    Felder: {}\n",
            info.id,
            info.label,
            info.target.label(),
            info.description,
            fields.join(", ")
        ));
    }
    Ok(text.trim_end().to_owned())
}
