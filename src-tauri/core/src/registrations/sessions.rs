//! Workshops / parallel sessions inside an event (Tag der Städtepartnerschaften).
//!
//! A registration picks sessions, never two that overlap in time; a full session refuses.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult, Validator};
use crate::input;
use crate::store::{new_uid, now_utc};
use crate::time;

/// What the user enters for a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionInput {
    /// Name, e.g. "Workshop: Fördermittel".
    pub name: String,
    /// Start (Berlin wall-clock time).
    pub starts_at: String,
    /// End (Berlin wall-clock time).
    pub ends_at: String,
    /// Room.
    pub room: String,
    /// Places; `None` for unlimited.
    #[ts(type = "number | null")]
    pub capacity: Option<i64>,
}

/// A stored session with its number of participants.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Session {
    /// Database key.
    #[ts(type = "number")]
    pub id: i64,
    /// Stable UUID.
    pub uid: String,
    /// Event key.
    #[ts(type = "number")]
    pub event_id: i64,
    /// Name.
    pub name: String,
    /// Start, RFC 3339 with the Berlin offset.
    pub starts_at: String,
    /// End, RFC 3339 with the Berlin offset.
    pub ends_at: String,
    /// Room.
    pub room: String,
    /// Places.
    #[ts(type = "number | null")]
    pub capacity: Option<i64>,
    /// Counted registrations that chose it.
    #[ts(type = "number")]
    pub taken: i64,
}

/// Adds a session to an event.
pub fn create_session(
    tx: &Transaction<'_>,
    event_id: i64,
    input: &SessionInput,
) -> CoreResult<Session> {
    crate::events::get(tx, event_id)?;
    let input = &SessionInput {
        name: input::line("name", &input.name)?,
        room: input::line("room", &input.room)?,
        ..input.clone()
    };
    let (starts, ends) = validate(input)?;
    let now = now_utc();
    tx.execute(
        "INSERT INTO sessions (uid, event_id, name, starts_at, ends_at, room, capacity, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![new_uid(), event_id, input.name.trim(), starts, ends, input.room.trim(), input.capacity, now],
    )?;
    get_session(tx, tx.last_insert_rowid())
}

fn validate(input: &SessionInput) -> CoreResult<(String, String)> {
    let mut v = Validator::default();
    v.required(&input.name, "name", "Bitte geben Sie einen Namen ein.")
        .check(
            input.capacity.is_some_and(|c| c < 0),
            "capacity",
            "Die Kapazität darf nicht negativ sein.",
        );
    let starts = time::parse_local(&input.starts_at, "starts_at");
    let ends = time::parse_local(&input.ends_at, "ends_at");
    match (starts, ends) {
        (Ok(s), Ok(e)) => {
            v.check(e <= s, "ends_at", "Das Ende muss nach dem Beginn liegen.");
            v.finish()?;
            Ok((time::to_storage(s), time::to_storage(e)))
        }
        (s, e) => {
            for err in [s.err(), e.err()].into_iter().flatten() {
                if let CoreError::Validation(fields) = err {
                    for f in fields {
                        v.add(&f.field, f.message);
                    }
                }
            }
            v.finish()?;
            unreachable!("a time failed to parse, so validation failed")
        }
    }
}

fn get_session(conn: &Connection, id: i64) -> CoreResult<Session> {
    query_sessions(conn, "s.id = ?1", id)?
        .pop()
        .ok_or(CoreError::NotFound {
            what: "Der Workshop",
        })
}

/// The sessions of an event by start time.
pub fn list_sessions(conn: &Connection, event_id: i64) -> CoreResult<Vec<Session>> {
    query_sessions(conn, "s.event_id = ?1", event_id)
}

fn query_sessions(conn: &Connection, filter: &str, key: i64) -> CoreResult<Vec<Session>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT s.id, s.uid, s.event_id, s.name, s.starts_at, s.ends_at, s.room, s.capacity,
                (SELECT count(*) FROM registration_sessions rs
                 JOIN registrations r ON r.id = rs.registration_id
                 WHERE rs.session_id = s.id AND r.status IN {counted})
         FROM sessions s WHERE {filter} ORDER BY s.starts_at, s.name",
        counted = super::counted_sql()
    ))?;
    let rows = stmt.query_map([key], |r| {
        Ok((
            Session {
                id: r.get(0)?,
                uid: r.get(1)?,
                event_id: r.get(2)?,
                name: r.get(3)?,
                starts_at: String::new(),
                ends_at: String::new(),
                room: r.get(6)?,
                capacity: r.get(7)?,
                taken: r.get(8)?,
            },
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    rows.map(|row| {
        let (mut s, starts, ends) = row?;
        s.starts_at = time::stored_to_berlin_rfc3339(&starts)?;
        s.ends_at = time::stored_to_berlin_rfc3339(&ends)?;
        Ok(s)
    })
    .collect()
}

/// Replaces the sessions a registration has chosen. Refuses overlapping sessions, sessions of
/// another event and full sessions (places already held by this registration stay valid).
pub fn set_registration_sessions(
    tx: &Transaction<'_>,
    registration_id: i64,
    session_ids: &[i64],
) -> CoreResult<()> {
    let event_id: i64 = tx.query_row(
        "SELECT event_id FROM registrations WHERE id = ?1",
        [registration_id],
        |r| r.get(0),
    )?;
    let current = session_ids_of(tx, registration_id)?;
    let mut chosen: Vec<(Session, String, String)> = Vec::new();
    for &id in session_ids {
        let session = get_session(tx, id)?;
        if session.event_id != event_id {
            return Err(CoreError::invalid(
                "session_ids",
                format!("„{}“ gehört zu einer anderen Veranstaltung.", session.name),
            ));
        }
        let (starts, ends) = stored_slot(tx, id)?;
        if let Some((other, _, _)) = chosen.iter().find(|(_, s, e)| *s < ends && starts < *e) {
            return Err(CoreError::invalid(
                "session_ids",
                format!(
                    "„{}“ und „{}“ finden zur selben Zeit statt – bitte nur einen davon wählen.",
                    other.name, session.name
                ),
            ));
        }
        if !current.contains(&id) && session.capacity.is_some_and(|c| session.taken >= c) {
            return Err(CoreError::invalid(
                "session_ids",
                format!("„{}“ ist ausgebucht.", session.name),
            ));
        }
        chosen.push((session, starts, ends));
    }
    tx.execute(
        "DELETE FROM registration_sessions WHERE registration_id = ?1",
        [registration_id],
    )?;
    let now = now_utc();
    for (session, _, _) in &chosen {
        tx.execute(
            "INSERT INTO registration_sessions (uid, registration_id, session_id, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![new_uid(), registration_id, session.id, now],
        )?;
    }
    Ok(())
}

fn stored_slot(conn: &Connection, session_id: i64) -> CoreResult<(String, String)> {
    conn.query_row(
        "SELECT starts_at, ends_at FROM sessions WHERE id = ?1",
        [session_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or(CoreError::NotFound {
        what: "Der Workshop",
    })
}

/// Session keys chosen by one registration.
pub fn session_ids_of(conn: &Connection, registration_id: i64) -> CoreResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT session_id FROM registration_sessions WHERE registration_id = ?1 ORDER BY session_id",
    )?;
    let rows = stmt.query_map([registration_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Session keys of every registration of an event, by registration key.
pub fn session_ids_for_event(
    conn: &Connection,
    event_id: i64,
) -> CoreResult<HashMap<i64, Vec<i64>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT rs.registration_id, rs.session_id FROM registration_sessions rs
         JOIN registrations r ON r.id = rs.registration_id
         WHERE r.event_id = ?1 ORDER BY rs.session_id",
    )?;
    let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
    let rows = stmt.query_map([event_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    for row in rows {
        let (registration, session) = row?;
        map.entry(registration).or_default().push(session);
    }
    Ok(map)
}
