//! Settings of an event's presentation: whether the catalogue's fallback
//! cluster ("Allgemein", non-answers) is shown.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::error::CoreResult;
use crate::events::Event;
use crate::store::{new_uid, now_utc};

/// Whether the presentation of `event` shows the fallback cluster ("Allgemein"); off by default.
pub fn show_general(conn: &Connection, event: &Event) -> CoreResult<bool> {
    Ok(conn
        .query_row(
            "SELECT show_general FROM wish_presentation_settings WHERE event_id = ?1",
            [event.id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false))
}

/// Sets "Allgemein in der Präsentation zeigen" for `event`.
pub fn set_show_general(tx: &Transaction<'_>, event: &Event, show: bool) -> CoreResult<()> {
    let now = now_utc();
    tx.execute(
        "INSERT INTO wish_presentation_settings (uid, event_id, show_general, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4)
         ON CONFLICT (event_id) DO UPDATE SET show_general = excluded.show_general, updated_at = excluded.updated_at",
        params![new_uid(), event.id, show, now],
    )?;
    Ok(())
}
