//! The import log: runs, the fingerprint of every applied source row, and undo of the last
//! import.
//!
//! Undo deletes what the last import created (registrations, persons, organisations), puts
//! back the person fields it filled and the attendance marks it changed — in one transaction,
//! and only as long as nothing else changed those rows since (their `updated_at` is compared
//! with the one recorded right after the import).

use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;

use super::{Consents, ImportReport, ImportRequest, Prepared, SourceFile};
use crate::error::{CoreError, CoreResult};
use crate::registrations::attendance::AttendanceMark;
use crate::store::{Transaction, new_uid, now_utc};

/// What one applied source row did (written to `import_rows`).
#[derive(Debug, Clone, Default)]
pub(crate) struct RowLog {
    pub record: usize,
    pub line: usize,
    pub fingerprint: String,
    pub person_id: Option<i64>,
    pub person_created: bool,
    pub organisation_id: Option<i64>,
    pub registration_id: Option<i64>,
    pub registration_created: bool,
    /// Person fields filled (field → previous value), or `{"mark": …, "day": …}` for attendance.
    pub previous: serde_json::Map<String, serde_json::Value>,
    pub consents: Consents,
}

/// Starts a run; returns its id.
pub(crate) fn start_run(
    tx: &Transaction<'_>,
    prepared: &Prepared,
    file: &SourceFile,
    request: &ImportRequest,
) -> CoreResult<i64> {
    let now = now_utc();
    tx.execute(
        "INSERT INTO import_runs (uid, target, importer_id, event_id, file_name, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![
            new_uid(),
            prepared.importer.target(),
            prepared.importer.id(),
            request.event_id,
            file.file_name,
            now
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Records the counts and the `updated_at` of everything the run touched. A run that applied
/// no row is dropped (so "undo the last import" never lands on an import that did nothing);
/// returns whether the run was kept.
pub(crate) fn finish_run(
    tx: &Transaction<'_>,
    run_id: i64,
    report: &ImportReport,
) -> CoreResult<bool> {
    let rows: i64 = tx.query_row(
        "SELECT count(*) FROM import_rows WHERE run_id = ?1",
        [run_id],
        |r| r.get(0),
    )?;
    if rows == 0 {
        tx.execute("DELETE FROM import_runs WHERE id = ?1", [run_id])?;
        return Ok(false);
    }
    tx.execute(
        "UPDATE import_runs SET records = ?2, imported = ?3, updated_at = ?4 WHERE id = ?1",
        params![
            run_id,
            report.records as i64,
            report.imported as i64,
            now_utc()
        ],
    )?;
    tx.execute(
        "UPDATE import_rows SET
             person_updated_at = (SELECT updated_at FROM persons WHERE id = import_rows.person_id),
             registration_updated_at = (SELECT updated_at FROM registrations
                                        WHERE id = import_rows.registration_id)
         WHERE run_id = ?1",
        [run_id],
    )?;
    Ok(true)
}

/// Stores one applied row, and records the consents the row answered for its person where the
/// person has no record for that purpose yet (source "Import", dated today).
pub(crate) fn log_row(tx: &Transaction<'_>, run_id: i64, log: &RowLog) -> CoreResult<()> {
    if let Some(person_id) = log.person_id {
        use crate::people::consents::{Purpose, fill_from_import};
        let answers: Vec<(Purpose, bool)> = [
            (Purpose::Datenschutz, log.consents.privacy),
            (Purpose::Fotos, log.consents.photo),
            (Purpose::Teilnehmendenliste, log.consents.list),
        ]
        .into_iter()
        .filter_map(|(purpose, answer)| answer.map(|given| (purpose, given)))
        .collect();
        if !answers.is_empty() {
            fill_from_import(tx, person_id, &answers, crate::time::today_in_berlin())?;
        }
    }
    let now = now_utc();
    tx.prepare_cached(
        "INSERT INTO import_rows (uid, run_id, record, line, fingerprint, person_id, person_created,
             organisation_id, registration_id, registration_created, previous, consents,
             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
    )?
    .execute(params![
        new_uid(),
        run_id,
        log.record as i64,
        log.line as i64,
        log.fingerprint,
        log.person_id,
        log.person_created,
        log.organisation_id,
        log.registration_id,
        log.registration_created,
        serde_json::Value::Object(log.previous.clone()).to_string(),
        serde_json::to_string(&log.consents).unwrap_or_else(|_| "{}".into()),
        now,
    ])?;
    Ok(())
}

/// When a row with this fingerprint was imported before (German date), if it was.
pub(crate) fn already_imported(
    tx: &Transaction<'_>,
    fingerprint: &str,
) -> CoreResult<Option<String>> {
    let at: Option<String> = tx
        .prepare_cached(
            "SELECT r.created_at FROM import_rows w JOIN import_runs r ON r.id = w.run_id
             WHERE w.fingerprint = ?1 AND r.undone_at IS NULL LIMIT 1",
        )?
        .query_row([fingerprint], |r| r.get(0))
        .optional()?;
    Ok(at.map(|at| {
        crate::time::from_storage(&at)
            .map(|t| {
                format!(
                    "Import vom {}",
                    crate::time::in_berlin(t).format("%d.%m.%Y %H:%M")
                )
            })
            .unwrap_or(at)
    }))
}

/// A past import, for the wizard's result page and "Rückgängig".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportRun {
    /// Run id.
    #[ts(type = "number")]
    pub id: i64,
    /// What was imported.
    pub target: super::ImportTarget,
    /// Importer id.
    pub importer_id: String,
    /// The event, if any.
    #[ts(type = "number | null")]
    pub event_id: Option<i64>,
    /// The file name.
    pub file_name: String,
    /// Records read.
    #[ts(type = "number")]
    pub records: i64,
    /// Rows imported.
    #[ts(type = "number")]
    pub imported: i64,
    /// When (UTC).
    pub created_at: String,
}

/// The last import that was not undone.
pub fn last_run(conn: &rusqlite::Connection) -> CoreResult<Option<ImportRun>> {
    Ok(conn
        .query_row(
            "SELECT id, target, importer_id, event_id, file_name, records, imported, created_at
             FROM import_runs WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1",
            [],
            |r| {
                Ok(ImportRun {
                    id: r.get(0)?,
                    target: r.get(1)?,
                    importer_id: r.get(2)?,
                    event_id: r.get(3)?,
                    file_name: r.get(4)?,
                    records: r.get(5)?,
                    imported: r.get(6)?,
                    created_at: r.get(7)?,
                })
            },
        )
        .optional()?)
}

/// What undo did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct UndoReport {
    /// The run undone.
    #[ts(type = "number")]
    pub run_id: i64,
    /// Registrations deleted.
    #[ts(type = "number")]
    pub registrations: usize,
    /// Persons deleted.
    #[ts(type = "number")]
    pub persons: usize,
    /// Organisations deleted.
    #[ts(type = "number")]
    pub organisations: usize,
    /// Persons whose filled fields were emptied again.
    #[ts(type = "number")]
    pub restored_persons: usize,
    /// Attendance marks put back.
    #[ts(type = "number")]
    pub attendance: usize,
    /// German summary.
    pub message: String,
}

struct UndoRow {
    person_id: Option<i64>,
    person_created: bool,
    organisation_id: Option<i64>,
    registration_id: Option<i64>,
    registration_created: bool,
    previous: serde_json::Map<String, serde_json::Value>,
    person_updated_at: Option<String>,
    registration_updated_at: Option<String>,
}

/// Undoes the last import (see the module documentation); a German conflict when something
/// it created was changed since, and nothing is undone then.
pub fn undo_last(tx: &Transaction<'_>) -> CoreResult<UndoReport> {
    let run = last_run(tx)?.ok_or_else(|| {
        CoreError::Conflict("Es gibt keinen Import, der rückgängig gemacht werden kann.".into())
    })?;
    let rows = load_rows(tx, run.id)?;
    check_unchanged(tx, &rows)?;
    let mut report = UndoReport {
        run_id: run.id,
        ..UndoReport::default()
    };
    for row in &rows {
        if let (Some(id), Some(mark)) = (row.registration_id, row.previous.get("mark")) {
            restore_mark(tx, id, &row.previous, mark)?;
            report.attendance += 1;
        }
    }
    for row in rows.iter().filter(|r| r.registration_created) {
        if let Some(id) = row.registration_id {
            tx.execute("DELETE FROM wishes WHERE registration_id = ?1", [id])?;
            report.registrations += tx.execute("DELETE FROM registrations WHERE id = ?1", [id])?;
        }
    }
    if let Some(event_id) = run.event_id {
        crate::registrations::renumber_waitlist(tx, event_id)?;
        crate::registrations::fill_from_waitlist(
            tx,
            event_id,
            "Platz frei geworden (Import rückgängig)",
        )?;
    }
    for row in &rows {
        let Some(person_id) = row.person_id else {
            continue;
        };
        if row.person_created {
            report.persons += tx.execute(
                "DELETE FROM persons WHERE id = ?1
                 AND NOT EXISTS (SELECT 1 FROM registrations WHERE person_id = ?1)",
                [person_id],
            )?;
        } else if restore_fields(tx, person_id, &row.previous)? {
            report.restored_persons += 1;
        }
    }
    for row in &rows {
        if let Some(id) = row.organisation_id {
            report.organisations += tx.execute(
                "DELETE FROM organisations WHERE id = ?1
                 AND NOT EXISTS (SELECT 1 FROM persons WHERE organisation_id = ?1)",
                [id],
            )?;
        }
    }
    for row in &rows {
        if let Some(uid) = row.previous.get("alias_uid").and_then(|u| u.as_str()) {
            tx.execute("DELETE FROM person_aliases WHERE uid = ?1", [uid])?;
        }
    }
    tx.execute("DELETE FROM import_rows WHERE run_id = ?1", [run.id])?;
    tx.execute(
        "UPDATE import_runs SET undone_at = ?2, updated_at = ?2 WHERE id = ?1",
        params![run.id, now_utc()],
    )?;
    report.message = format!(
        "Import „{}“ rückgängig gemacht: {} Anmeldungen, {} Personen und {} Organisationen \
         gelöscht, {} Personen zurückgesetzt, {} Anwesenheiten wiederhergestellt.",
        run.file_name,
        report.registrations,
        report.persons,
        report.organisations,
        report.restored_persons,
        report.attendance
    );
    Ok(report)
}

fn load_rows(tx: &Transaction<'_>, run_id: i64) -> CoreResult<Vec<UndoRow>> {
    let mut stmt = tx.prepare(
        "SELECT person_id, person_created, organisation_id, registration_id, registration_created,
                previous, person_updated_at, registration_updated_at
         FROM import_rows WHERE run_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([run_id], |r| {
        let previous: String = r.get(5)?;
        Ok(UndoRow {
            person_id: r.get(0)?,
            person_created: r.get(1)?,
            organisation_id: r.get(2)?,
            registration_id: r.get(3)?,
            registration_created: r.get(4)?,
            previous: serde_json::from_str(&previous).unwrap_or_default(),
            person_updated_at: r.get(6)?,
            registration_updated_at: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn check_unchanged(tx: &Transaction<'_>, rows: &[UndoRow]) -> CoreResult<()> {
    for row in rows {
        if row.registration_created
            && let Some(id) = row.registration_id
        {
            let now: Option<(String, String, String)> = tx
                .query_row(
                    "SELECT r.updated_at, p.first_name, p.last_name FROM registrations r
                     JOIN persons p ON p.id = r.person_id WHERE r.id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            if let Some((updated_at, first, last)) = now
                && Some(&updated_at) != row.registration_updated_at.as_ref()
            {
                return Err(changed_since(&format!("die Anmeldung von {first} {last}")));
            }
        }
        let touched_person =
            row.person_created || row.previous.keys().any(|k| FILLABLE.contains(&k.as_str()));
        if touched_person && let Some(id) = row.person_id {
            let now: Option<(String, String, String)> = tx
                .query_row(
                    "SELECT updated_at, first_name, last_name FROM persons WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            if let Some((updated_at, first, last)) = now
                && Some(&updated_at) != row.person_updated_at.as_ref()
            {
                return Err(changed_since(&format!("{first} {last}")));
            }
        }
    }
    Ok(())
}

fn changed_since(what: &str) -> CoreError {
    CoreError::Conflict(format!(
        "Der letzte Import kann nicht rückgängig gemacht werden: {what} wurde seitdem geändert."
    ))
}

const FILLABLE: [&str; 8] = [
    "salutation",
    "title",
    "function",
    "ort",
    "email",
    "phone",
    "notes",
    "organisation_id",
];

/// Empties the fields the import filled; returns whether anything changed.
fn restore_fields(
    tx: &Transaction<'_>,
    person_id: i64,
    previous: &serde_json::Map<String, serde_json::Value>,
) -> CoreResult<bool> {
    let mut changed = false;
    for field in FILLABLE {
        let Some(value) = previous.get(field) else {
            continue;
        };
        let sql = format!("UPDATE persons SET {field} = ?2, updated_at = ?3 WHERE id = ?1");
        let value = match value {
            serde_json::Value::String(s) => rusqlite::types::Value::Text(s.clone()),
            _ => rusqlite::types::Value::Null,
        };
        tx.execute(&sql, params![person_id, value, now_utc()])?;
        changed = true;
    }
    Ok(changed)
}

fn restore_mark(
    tx: &Transaction<'_>,
    registration_id: i64,
    previous_values: &serde_json::Map<String, serde_json::Value>,
    mark: &serde_json::Value,
) -> CoreResult<()> {
    let day = previous_values
        .get("day")
        .and_then(|d| d.as_str())
        .unwrap_or_default()
        .to_owned();
    let previous: Option<AttendanceMark> = serde_json::from_value(mark.clone()).ok();
    crate::registrations::attendance::undo_check_in(
        tx,
        &crate::registrations::attendance::CheckInUndo {
            registration_id,
            day: day.clone(),
            previous,
            registration_change: None,
        },
    )?;
    let text = |key: &str| {
        previous_values
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    tx.execute(
        "UPDATE attendance SET joined_at = ?3, left_at = ?4
         WHERE registration_id = ?1 AND day = ?2 AND session_id IS NULL",
        params![registration_id, day, text("joined_at"), text("left_at")],
    )?;
    Ok(())
}
