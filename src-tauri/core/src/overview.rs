//! What the screens read about events: the list with counts and the detail screen (event,
//! counts, registrations, sessions) — each in one consistent snapshot.
//!
//! Sits above `events` and `registrations` so that neither has to import the other for a read;
//! it writes nothing.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::error::CoreResult;
use crate::events::{self, Event};
use crate::registrations::{self, RegistrationCounts, RegistrationRow, sessions::Session};

/// An event with its registration counts, for lists.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct EventSummary {
    /// The event.
    pub event: Event,
    /// Its registration and attendance counts.
    pub counts: RegistrationCounts,
}

/// One event with everything its detail screen shows.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct EventDetail {
    /// The event.
    pub event: Event,
    /// Its counts.
    pub counts: RegistrationCounts,
    /// All registrations, sorted by name.
    pub registrations: Vec<RegistrationRow>,
    /// Its workshops/sessions.
    pub sessions: Vec<Session>,
}

/// Loads an event with counts, registrations and sessions (call inside one read transaction).
pub fn detail(conn: &Connection, id: i64) -> CoreResult<EventDetail> {
    Ok(EventDetail {
        event: events::get(conn, id)?,
        counts: registrations::counts(conn, id)?,
        registrations: registrations::list(conn, id)?,
        sessions: registrations::sessions::list_sessions(conn, id)?,
    })
}

/// All events with their counts, in the order of [`events::list`].
pub fn list_summaries(conn: &Connection) -> CoreResult<Vec<EventSummary>> {
    let mut counts: HashMap<i64, RegistrationCounts> = registrations::counts_for_all_events(conn)?;
    events::list(conn)?
        .into_iter()
        .map(|event| {
            let counts = counts.remove(&event.id).unwrap_or_default();
            Ok(EventSummary { event, counts })
        })
        .collect()
}
