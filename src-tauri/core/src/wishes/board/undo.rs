//! Undo: every board action first stores a snapshot of the event's clusters
//! and wishes; [`undo`] restores the newest one.

use rusqlite::{OptionalExtension, Transaction, params};

use super::Snapshot;
use crate::error::{CoreError, CoreResult};
use crate::events::Event;
use crate::store::{new_uid, now_utc};

/// How many undo steps are kept per event.
const UNDO_DEPTH: i64 = 30;

/// Stores the event's board state before an action (keeps the last [`UNDO_DEPTH`]).
pub(super) fn record_undo(tx: &Transaction<'_>, event_id: i64, action: &str) -> CoreResult<()> {
    record_undo_of(tx, event_id, action, &Snapshot::read(tx, event_id)?)
}

/// Stores `snapshot` (read in this transaction) as the state before `action`.
pub(super) fn record_undo_of(
    tx: &Transaction<'_>,
    event_id: i64,
    action: &str,
    snapshot: &Snapshot,
) -> CoreResult<()> {
    let json = serde_json::to_string(snapshot).expect("a snapshot serialises");
    let now = now_utc();
    tx.execute(
        "INSERT INTO wish_undo (uid, event_id, action, snapshot, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![new_uid(), event_id, action, json, now],
    )?;
    tx.execute(
        "DELETE FROM wish_undo WHERE event_id = ?1 AND id NOT IN
         (SELECT id FROM wish_undo WHERE event_id = ?1 ORDER BY id DESC LIMIT ?2)",
        params![event_id, UNDO_DEPTH],
    )?;
    Ok(())
}

/// Reverts the event's last board action. Returns its German description.
pub fn undo(tx: &Transaction<'_>, event: &Event) -> CoreResult<String> {
    let event_id = event.id;
    let last: Option<(i64, String, String)> = tx
        .query_row(
            "SELECT id, action, snapshot FROM wish_undo WHERE event_id = ?1 ORDER BY id DESC LIMIT 1",
            [event_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((id, action, json)) = last else {
        return Err(CoreError::Conflict(
            "Es gibt nichts rückgängig zu machen.".into(),
        ));
    };
    let snapshot: Snapshot = serde_json::from_str(&json)
        .map_err(|e| CoreError::Conflict(format!("Der Rückgängig-Schritt ist beschädigt: {e}")))?;
    tx.execute("DELETE FROM wishes WHERE event_id = ?1", [event_id])?;
    tx.execute("DELETE FROM wish_clusters WHERE event_id = ?1", [event_id])?;
    for c in &snapshot.clusters {
        tx.execute(
            "INSERT INTO wish_clusters (id, uid, event_id, group_label, label, locked, position, origin, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![c.id, c.uid, event_id, c.group_label, c.label, c.locked, c.position, c.origin, c.created_at, c.updated_at],
        )?;
    }
    for w in &snapshot.wishes {
        tx.execute(
            "INSERT INTO wishes (id, uid, event_id, registration_id, text, cluster_id, assignment, score, second_cluster_label, evidence, position, created_at, updated_at)
             VALUES (?1, ?2, ?3, (SELECT id FROM registrations WHERE id = ?4), ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                w.id, w.uid, event_id, w.registration_id, w.text, w.cluster_id, w.assignment, w.score,
                w.second_cluster_label, w.evidence, w.position, w.created_at, w.updated_at
            ],
        )?;
    }
    tx.execute("DELETE FROM wish_undo WHERE id = ?1", [id])?;
    Ok(action)
}
