//! A person's history: what happened to the record itself, e.g. "zusammengeführt mit …".
//! Entries carry a German summary and JSON details (for a merge: the full data of the merged
//! person), so nothing a merge removes is lost.

use rusqlite::{Connection, Transaction, params};
use serde::Serialize;
use ts_rs::TS;

use crate::error::CoreResult;
use crate::store::{new_uid, now_utc, text_enum};

text_enum! {
    /// What happened to a person record.
    pub enum HistoryAction {
        /// Another person was merged into this one.
        Zusammengefuehrt = "zusammengefuehrt" => "Zusammengeführt",
    }
}

/// One entry of a person's history.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HistoryEntry {
    /// When (UTC).
    pub at: String,
    /// What happened.
    pub action: HistoryAction,
    /// German summary, e.g. "zusammengeführt mit Hans-Peter Kowalski (Nr. 61, …)".
    pub summary: String,
    /// Details as JSON text (for a merge: the merged person's data and the choices).
    pub details: String,
}

/// Appends an entry to a person's history.
pub fn add_history(
    tx: &Transaction<'_>,
    person_id: i64,
    action: HistoryAction,
    summary: &str,
    details: &serde_json::Value,
) -> CoreResult<()> {
    let now = now_utc();
    tx.execute(
        "INSERT INTO person_history (uid, person_id, at, action, summary, details, created_at,
             updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?3, ?3)",
        params![
            new_uid(),
            person_id,
            now,
            action,
            summary,
            details.to_string()
        ],
    )?;
    Ok(())
}

/// Moves the history of `from` to `to` (before `from` is merged away).
pub fn move_history(tx: &Transaction<'_>, from: i64, to: i64) -> CoreResult<()> {
    tx.execute(
        "UPDATE person_history SET person_id = ?2, updated_at = ?3 WHERE person_id = ?1",
        params![from, to, now_utc()],
    )?;
    Ok(())
}

/// The history of a person, newest first.
pub fn person_history(conn: &Connection, person_id: i64) -> CoreResult<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, action, summary, details FROM person_history WHERE person_id = ?1
         ORDER BY at DESC, id DESC",
    )?;
    let rows = stmt.query_map([person_id], |r| {
        Ok(HistoryEntry {
            at: r.get(0)?,
            action: r.get(1)?,
            summary: r.get(2)?,
            details: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
