//! Wishes on the board: adding (pasted or with a registration), editing,
//! deleting and moving by hand.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::undo::record_undo;
use crate::error::{CoreError, CoreResult};
use crate::events::Event;
use crate::input::Cleaner;
use crate::registrations::{self, RegisterInput, RegisterOutcome};
use crate::store::{new_uid, now_utc};

/// Longest wish in characters. Survey answers are a sentence or two; the
/// limit keeps a paste accident (a whole document in one line) from slowing
/// the suggestions and from being cut in an Excel cell.
pub const MAX_WISH_CHARS: usize = 2_000;

fn next_wish_position(tx: &Transaction<'_>, event_id: i64) -> CoreResult<i64> {
    Ok(tx.query_row(
        "SELECT ifnull(max(position) + 1, 0) FROM wishes WHERE event_id = ?1",
        [event_id],
        |r| r.get(0),
    )?)
}

fn insert_wishes(
    tx: &Transaction<'_>,
    event_id: i64,
    registration_id: Option<i64>,
    texts: &[String],
) -> CoreResult<Vec<i64>> {
    let first = next_wish_position(tx, event_id)?;
    let now = now_utc();
    let mut ids = Vec::with_capacity(texts.len());
    for (position, text) in (first..).zip(texts) {
        tx.execute(
            "INSERT INTO wishes (uid, event_id, registration_id, text, position, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![new_uid(), event_id, registration_id, text, position, now],
        )?;
        ids.push(tx.last_insert_rowid());
    }
    Ok(ids)
}

/// One wish in its stored form ([`input`]), at most [`MAX_WISH_CHARS`]
/// characters; `line` (1-based) names the line of a paste in the message.
fn clean_wish(field: &str, text: &str, line: Option<usize>) -> CoreResult<String> {
    let mut cleaner = Cleaner::default();
    let clean = cleaner.line_max(field, text, MAX_WISH_CHARS);
    cleaner.finish().map_err(|e| match (e, line) {
        (CoreError::Validation(mut errors), Some(n)) => {
            for error in &mut errors {
                error.message = format!("Zeile {n}: {}", error.message);
            }
            CoreError::Validation(errors)
        }
        (e, _) => e,
    })?;
    Ok(clean)
}

/// The non-empty lines of a paste, cleaned; the first bad line is the error.
fn clean_lines(field: &str, pasted: &str) -> CoreResult<Vec<String>> {
    let mut out = Vec::new();
    for (i, line) in pasted.lines().enumerate() {
        let clean = clean_wish(field, line, Some(i + 1))?;
        if !clean.is_empty() {
            out.push(clean);
        }
    }
    Ok(out)
}

/// Adds pasted wishes, one per non-empty line. Returns the new ids.
pub fn add_wishes(tx: &Transaction<'_>, event: &Event, pasted: &str) -> CoreResult<Vec<i64>> {
    let event_id = event.id;
    let lines = clean_lines("text", pasted)?;
    if lines.is_empty() {
        return Err(CoreError::invalid(
            "text",
            "Bitte mindestens einen Wunsch eingeben (einer pro Zeile).",
        ));
    }
    record_undo(tx, event_id, "Wünsche hinzugefügt")?;
    insert_wishes(tx, event_id, None, &lines)
}

/// Adds the wishes given with a registration (the registration desk calls
/// this). Blank entries are skipped. Not undoable on the board: it clears
/// the event's undo history, so an undo never drops a registration's wish.
pub fn add_for_registration(
    tx: &Transaction<'_>,
    event_id: i64,
    registration_id: i64,
    texts: &[String],
) -> CoreResult<Vec<i64>> {
    let registration_event: Option<i64> = tx
        .query_row(
            "SELECT event_id FROM registrations WHERE id = ?1",
            [registration_id],
            |r| r.get(0),
        )
        .optional()?;
    match registration_event {
        None => {
            return Err(CoreError::NotFound {
                what: "Die Anmeldung",
            });
        }
        Some(e) if e != event_id => {
            return Err(CoreError::Conflict(
                "Die Anmeldung gehört zu einer anderen Veranstaltung.".into(),
            ));
        }
        Some(_) => {}
    }
    let mut lines = Vec::new();
    for text in texts {
        let clean = clean_wish("wishes", text, None)?;
        if !clean.is_empty() {
            lines.push(clean);
        }
    }
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    tx.execute("DELETE FROM wish_undo WHERE event_id = ?1", [event_id])?;
    insert_wishes(tx, event_id, Some(registration_id), &lines)
}

pub(super) fn wish_event(conn: &Connection, wish_id: i64) -> CoreResult<i64> {
    conn.query_row(
        "SELECT event_id FROM wishes WHERE id = ?1",
        [wish_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(CoreError::NotFound { what: "Der Wunsch" })
}

pub(super) fn cluster_event(conn: &Connection, cluster_id: i64) -> CoreResult<i64> {
    conn.query_row(
        "SELECT event_id FROM wish_clusters WHERE id = ?1",
        [cluster_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(CoreError::NotFound {
        what: "Der Cluster",
    })
}

/// Changes a wish's text. An automatic assignment is dropped (the next run
/// suggests anew); a manual one stays.
pub fn edit_wish(tx: &Transaction<'_>, wish_id: i64, text: &str) -> CoreResult<()> {
    let text = clean_wish("text", text, None)?;
    if text.is_empty() {
        return Err(CoreError::invalid(
            "text",
            "Der Wunsch darf nicht leer sein.",
        ));
    }
    let event_id = wish_event(tx, wish_id)?;
    record_undo(tx, event_id, "Wunsch bearbeitet")?;
    tx.execute(
        "UPDATE wishes SET text = ?2, updated_at = ?3,
             cluster_id = CASE WHEN assignment = 'auto' THEN NULL ELSE cluster_id END,
             score = CASE WHEN assignment = 'auto' THEN NULL ELSE score END,
             second_cluster_label = CASE WHEN assignment = 'auto' THEN NULL ELSE second_cluster_label END,
             evidence = CASE WHEN assignment = 'auto' THEN NULL ELSE evidence END,
             assignment = CASE WHEN assignment = 'auto' THEN NULL ELSE assignment END
         WHERE id = ?1",
        params![wish_id, text, now_utc()],
    )?;
    Ok(())
}

/// Deletes a wish.
pub fn delete_wish(tx: &Transaction<'_>, wish_id: i64) -> CoreResult<()> {
    let event_id = wish_event(tx, wish_id)?;
    record_undo(tx, event_id, "Wunsch gelöscht")?;
    tx.execute("DELETE FROM wishes WHERE id = ?1", [wish_id])?;
    Ok(())
}

/// Moves a wish into a cluster of its event by hand (None: back to
/// "Nicht zugeordnet"). A manual assignment is never overwritten by suggestions.
pub fn move_wish(tx: &Transaction<'_>, wish_id: i64, cluster_id: Option<i64>) -> CoreResult<()> {
    let event_id = wish_event(tx, wish_id)?;
    if let Some(cluster_id) = cluster_id
        && cluster_event(tx, cluster_id)? != event_id
    {
        return Err(CoreError::Conflict(
            "Der Cluster gehört zu einer anderen Veranstaltung.".into(),
        ));
    }
    record_undo(tx, event_id, "Wunsch verschoben")?;
    tx.execute(
        "UPDATE wishes SET cluster_id = ?2, assignment = CASE WHEN ?2 IS NULL THEN NULL ELSE 'manual' END,
             updated_at = ?3 WHERE id = ?1",
        params![wish_id, cluster_id, now_utc()],
    )?;
    Ok(())
}

/// Registers a person for an event together with the wishes they gave on
/// the registration form, in the caller's transaction: a bad wish (too long,
/// control characters) refuses the whole registration with the field
/// `wishes`. The registration itself is [`registrations::register`]'s.
pub fn register(tx: &Transaction<'_>, input: &RegisterInput) -> CoreResult<RegisterOutcome> {
    let registration = RegisterInput {
        wishes: Vec::new(),
        ..input.clone()
    };
    let outcome = registrations::register(tx, &registration)?;
    add_for_registration(
        tx,
        input.event_id,
        outcome.registration.registration_id,
        &input.wishes,
    )?;
    Ok(outcome)
}
