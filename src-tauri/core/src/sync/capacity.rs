//! The capacity rule across laptops. Places are a cross-row rule no CRDT can keep, so one
//! laptop per event — its Anmeldestelle, the laptop that created the event unless changed —
//! allocates them: every laptop registers as usual while offline, and when merged
//! registrations exceed the capacity, the Anmeldestelle moves the latest ones that have not
//! been checked in back to the top of the waiting list (logged with [`SYNC_REASON`], so every
//! laptop lists them: these people were told "angemeldet" and must be told otherwise). Until
//! the Anmeldestelle has seen them, every laptop shows the event as over capacity. Freed places
//! go to the waiting list as usual. No registration is ever dropped.

use automerge::AutoCommit;
use rusqlite::{Transaction, params};

use super::conflicts;
use super::doc;
use crate::error::CoreResult;
use crate::registrations::{self, counted_sql};

/// The status log's reason for a registration the capacity rule moved to the waiting list.
pub const SYNC_REASON: &str = "Abgleich: mehr Anmeldungen als Plätze";

/// The laptop that allocates the event's places (`None` before the event has been written).
pub(crate) fn anmeldestelle(doc: &AutoCommit, event_uid: &str) -> CoreResult<Option<String>> {
    doc::meta(doc, &format!("_anmeldestelle/{event_uid}"))
}

fn counted(tx: &Transaction<'_>, event_id: i64) -> CoreResult<i64> {
    Ok(tx.query_row(
        &format!(
            "SELECT count(*) FROM registrations WHERE event_id = ?1 AND status IN {}",
            counted_sql()
        ),
        [event_id],
        |r| r.get(0),
    )?)
}

/// Applies the rule to every event with a capacity, after other laptops' rows were written.
pub(crate) fn reconcile(tx: &Transaction<'_>, doc: &AutoCommit, laptop: &str) -> CoreResult<()> {
    let events: Vec<(i64, String, String, i64)> = tx
        .prepare("SELECT id, uid, title, capacity FROM events WHERE capacity IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    for (event_id, event_uid, title, capacity) in events {
        let mine = anmeldestelle(doc, &event_uid)?.as_deref() == Some(laptop);
        let mut taken = counted(tx, event_id)?;
        if taken > capacity && mine {
            let over: Vec<i64> = tx
                .prepare(&format!(
                    "SELECT r.id FROM registrations r
                     WHERE r.event_id = ?1 AND r.status IN {}
                       AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.registration_id = r.id)
                     ORDER BY r.registered_at DESC, r.uid DESC LIMIT ?2",
                    counted_sql()
                ))?
                .query_map(params![event_id, taken - capacity], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for id in over {
                registrations::return_to_waitlist(tx, id, SYNC_REASON)?;
            }
            taken = counted(tx, event_id)?;
        }
        if taken > capacity {
            let detail = if mine {
                format!(
                    "„{title}“: {taken} Plätze vergeben bei {capacity} Plätzen – alle Überzähligen sind schon eingecheckt. Bitte die Kapazität erhöhen oder entscheiden."
                )
            } else {
                format!(
                    "„{title}“: {taken} Plätze vergeben bei {capacity} Plätzen. Die Anmeldestelle dieser Veranstaltung gleicht das beim nächsten Abgleich aus."
                )
            };
            conflicts::record(tx, "kapazitaet", "events", &event_uid, &detail)?;
        } else {
            conflicts::close(tx, "kapazitaet", "events", &event_uid)?;
            if mine && taken < capacity {
                registrations::fill_from_waitlist(tx, event_id, "Platz frei geworden")?;
            }
        }
    }
    // Everyone the rule moved (on any laptop) and who is still waiting: tell them.
    let moved: Vec<String> = tx
        .prepare(
            "SELECT DISTINCT r.uid FROM registration_status_log l
             JOIN registrations r ON r.id = l.registration_id
             WHERE l.reason = ?1 AND r.status = 'warteliste'",
        )?
        .query_map([SYNC_REASON], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for uid in &moved {
        let detail = format!(
            "{} war angemeldet und steht nach dem Abgleich auf der Warteliste – bitte benachrichtigen.",
            conflicts::describe(doc, "registrations", uid)
        );
        conflicts::record(tx, "umgebucht", "registrations", uid, &detail)?;
    }
    Ok(())
}
