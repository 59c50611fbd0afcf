//! Attendance, separate from the registration status: per event day and per session, with the
//! time it was recorded. The check-in desk, walk-ins, admissions from the waiting list and their
//! undo live here; every change of a registration itself goes through the parent module.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{RegistrationChange, RegistrationRow, RegistrationStatus, get_row};
use crate::error::{CoreError, CoreResult};
use crate::events;
use crate::people::PersonInput;
use crate::store::{new_uid, now_utc, text_enum};
use crate::time;

text_enum! {
    /// Attendance state for a day or session.
    pub enum AttendanceState {
        /// Present.
        Anwesend = "anwesend" => "anwesend",
        /// Absent.
        Abwesend = "abwesend" => "abwesend",
        /// Excused.
        Entschuldigt = "entschuldigt" => "entschuldigt",
    }
}

/// One attendance mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AttendanceMark {
    /// Event day "YYYY-MM-DD".
    pub day: String,
    /// Session, or `None` for the whole day.
    #[ts(type = "number | null")]
    pub session_id: Option<i64>,
    /// State.
    pub state: AttendanceState,
    /// When recorded (UTC).
    pub recorded_at: String,
    /// Minutes of online attendance from a participant report (`None` for marks from the desk).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub minutes: Option<i64>,
}

/// What a check-in changed, so the desk can undo it exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckInUndo {
    /// The registration checked in.
    #[ts(type = "number")]
    pub registration_id: i64,
    /// The day.
    pub day: String,
    /// The mark before the check-in (`None` if there was none).
    pub previous: Option<AttendanceMark>,
    /// What the same action did to the registration (walk-in, admission), undone with it.
    #[serde(default)]
    pub registration_change: Option<RegistrationChange>,
}

/// The result of a check-in.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CheckInReceipt {
    /// How to undo it.
    pub undo: CheckInUndo,
    /// The registration after the check-in.
    pub registration: RegistrationRow,
}

/// Resolves the attendance day: the given one (must be an event day), else today if the event
/// runs today, else the event's first day.
pub fn resolve_day(conn: &Connection, event_id: i64, day: Option<&str>) -> CoreResult<String> {
    let event = events::get(conn, event_id)?;
    match day {
        Some(d) => {
            let d = time::parse_date(d, "day")?.to_string();
            if event.days.contains(&d) {
                Ok(d)
            } else {
                Err(CoreError::invalid(
                    "day",
                    format!(
                        "Der {} ist kein Tag dieser Veranstaltung ({}).",
                        german_date(&d),
                        event
                            .days
                            .iter()
                            .map(|d| german_date(d))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ))
            }
        }
        None => {
            let today = time::today_in_berlin().to_string();
            Ok(if event.days.contains(&today) {
                today
            } else {
                event.days[0].clone()
            })
        }
    }
}

fn german_date(day: &str) -> String {
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_else(|_| day.to_owned())
}

/// Sets the attendance of a registration for a day (and optionally a session).
pub fn set_attendance(
    tx: &Transaction<'_>,
    registration_id: i64,
    day: Option<&str>,
    session_id: Option<i64>,
    state: AttendanceState,
) -> CoreResult<RegistrationRow> {
    let row = get_row(tx, registration_id)?;
    let day = resolve_day(tx, row.event_id, day)?;
    write_mark(tx, registration_id, &day, session_id, state)?;
    get_row(tx, registration_id)
}

fn write_mark(
    tx: &Transaction<'_>,
    registration_id: i64,
    day: &str,
    session_id: Option<i64>,
    state: AttendanceState,
) -> CoreResult<()> {
    let now = now_utc();
    tx.execute(
        "INSERT INTO attendance (uid, registration_id, day, session_id, state, recorded_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?6)
         ON CONFLICT (registration_id, day, ifnull(session_id, 0))
         DO UPDATE SET state = excluded.state, recorded_at = excluded.recorded_at,
                       updated_at = excluded.updated_at",
        params![new_uid(), registration_id, day, session_id, state, now],
    )?;
    Ok(())
}

fn mark_of(
    conn: &Connection,
    registration_id: i64,
    day: &str,
) -> CoreResult<Option<AttendanceMark>> {
    Ok(conn
        .query_row(
            "SELECT day, session_id, state, recorded_at, minutes FROM attendance
             WHERE registration_id = ?1 AND day = ?2 AND session_id IS NULL",
            params![registration_id, day],
            mark_from,
        )
        .optional()?)
}

fn mark_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<AttendanceMark> {
    Ok(AttendanceMark {
        day: r.get(0)?,
        session_id: r.get(1)?,
        state: r.get(2)?,
        recorded_at: r.get(3)?,
        minutes: r.get(4)?,
    })
}

/// Checks a registration in for a day. Only counted registrations can be checked in; someone
/// on the waiting list or cancelled is refused with an explanation.
pub fn check_in(
    tx: &Transaction<'_>,
    registration_id: i64,
    day: Option<&str>,
) -> CoreResult<CheckInReceipt> {
    let row = get_row(tx, registration_id)?;
    if row.status == RegistrationStatus::Warteliste {
        return Err(CoreError::Conflict(format!(
            "{} {} steht auf der Warteliste (Platz {}) und kann nicht eingecheckt werden – \
             „Trotzdem einlassen“ überschreitet die Kapazität.",
            row.first_name,
            row.last_name,
            row.waitlist_position.unwrap_or(0)
        )));
    }
    if !row.status.is_counted() {
        return Err(CoreError::Conflict(format!(
            "{} {} hat den Status „{}“ und kann nicht eingecheckt werden.",
            row.first_name,
            row.last_name,
            row.status.label()
        )));
    }
    let day = resolve_day(tx, row.event_id, day)?;
    let previous = mark_of(tx, registration_id, &day)?;
    write_mark(tx, registration_id, &day, None, AttendanceState::Anwesend)?;
    Ok(CheckInReceipt {
        undo: CheckInUndo {
            registration_id,
            day,
            previous,
            registration_change: None,
        },
        registration: get_row(tx, registration_id)?,
    })
}

/// Undoes a check-in: restores the mark that was there before (or removes it) and, for a
/// walk-in or an admission, what the same action did to the registration (a walk-in's
/// registration and new contact are removed). Returns the registration if it still exists.
pub fn undo_check_in(
    tx: &Transaction<'_>,
    receipt: &CheckInUndo,
) -> CoreResult<Option<RegistrationRow>> {
    match &receipt.previous {
        Some(mark) => {
            tx.execute(
                "UPDATE attendance SET state = ?3, recorded_at = ?4, minutes = ?5, updated_at = ?6,
                     joined_at = CASE WHEN ?5 IS NULL THEN NULL ELSE joined_at END,
                     left_at = CASE WHEN ?5 IS NULL THEN NULL ELSE left_at END
                 WHERE registration_id = ?1 AND day = ?2 AND session_id IS NULL",
                params![
                    receipt.registration_id,
                    receipt.day,
                    mark.state,
                    mark.recorded_at,
                    mark.minutes,
                    now_utc()
                ],
            )?;
        }
        None => {
            tx.execute(
                "DELETE FROM attendance WHERE registration_id = ?1 AND day = ?2 AND session_id IS NULL",
                params![receipt.registration_id, receipt.day],
            )?;
        }
    }
    match &receipt.registration_change {
        Some(change) => super::undo_change(tx, receipt.registration_id, change),
        None => Ok(Some(get_row(tx, receipt.registration_id)?)),
    }
}

/// Online attendance of one registration on one day, from a participant report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineAttendance {
    /// Minutes present (union of the join–leave intervals inside the day's window).
    pub minutes: i64,
    /// Whether the minutes reach the threshold.
    pub present: bool,
    /// First join (UTC, RFC 3339).
    pub joined_at: String,
    /// Last leave (UTC, RFC 3339).
    pub left_at: String,
}

/// Records online attendance from a participant report for a day: the minutes, first join and
/// last leave, and the state (a mark `anwesend` from the desk is never lowered). Returns how to
/// undo it exactly.
pub fn record_online(
    tx: &Transaction<'_>,
    registration_id: i64,
    day: &str,
    online: &OnlineAttendance,
) -> CoreResult<CheckInUndo> {
    let (minutes, present) = (online.minutes, online.present);
    let previous = mark_of(tx, registration_id, day)?;
    let state = match (&previous, present) {
        (_, true) => AttendanceState::Anwesend,
        (Some(mark), false) if mark.state != AttendanceState::Abwesend => mark.state,
        _ => AttendanceState::Abwesend,
    };
    write_mark(tx, registration_id, day, None, state)?;
    tx.execute(
        "UPDATE attendance SET minutes = ?3, joined_at = ?4, left_at = ?5
         WHERE registration_id = ?1 AND day = ?2 AND session_id IS NULL",
        params![
            registration_id,
            day,
            minutes.max(0),
            online.joined_at,
            online.left_at
        ],
    )?;
    Ok(CheckInUndo {
        registration_id,
        day: day.to_owned(),
        previous,
        registration_change: None,
    })
}

/// Registers a walk-in (source "vor Ort", counted even when the event is full, because the
/// person is in the room) and checks them in, in one step; the undo removes both. Someone
/// already holding a place is only checked in.
pub fn walk_in(
    tx: &Transaction<'_>,
    event_id: i64,
    person_id: Option<i64>,
    new_person: Option<PersonInput>,
    day: Option<&str>,
) -> CoreResult<CheckInReceipt> {
    let (id, change) = super::admit_walk_in(tx, event_id, person_id, new_person)?;
    let mut receipt = check_in(tx, id, day)?;
    receipt.undo.registration_change = change;
    Ok(receipt)
}

/// "Trotzdem einlassen": admits someone from the waiting list of a full event (the organiser's
/// decision, logged) and checks them in, in one step; the undo puts them back on their place.
pub fn admit(
    tx: &Transaction<'_>,
    registration_id: i64,
    day: Option<&str>,
) -> CoreResult<CheckInReceipt> {
    let change = super::admit_over_capacity(tx, registration_id)?;
    let mut receipt = check_in(tx, registration_id, day)?;
    receipt.undo.registration_change = Some(change);
    Ok(receipt)
}

/// A hit at the check-in desk.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DeskHit {
    /// The registration.
    pub registration: RegistrationRow,
    /// Whether already present on the desk's day.
    pub present: bool,
}

/// Type-ahead at the desk: counted and waiting-list registrations of the event matching
/// `query`, best first; people not yet present rank above those already checked in, the waiting
/// list (who can only be admitted over the capacity) comes last.
pub fn desk_search(
    conn: &Connection,
    event_id: i64,
    query: &str,
    day: &str,
    limit: usize,
) -> CoreResult<Vec<DeskHit>> {
    let Some(fts) = crate::people::fts_query_for_desk(query) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.id, EXISTS (SELECT 1 FROM attendance a WHERE a.registration_id = r.id
                              AND a.day = ?3 AND a.session_id IS NULL AND a.state = 'anwesend') AS present
         FROM persons_fts f
         JOIN registrations r ON r.person_id = f.rowid AND r.event_id = ?2
         WHERE persons_fts MATCH ?1 AND (r.status IN {counted} OR r.status = 'warteliste')
         ORDER BY present, r.status = 'warteliste', bm25(persons_fts, 10.0, 4.0, 3.0, 2.0, 6.0)
         LIMIT ?4",
        counted = super::counted_sql()
    ))?;
    let ids: Vec<(i64, bool)> = stmt
        .query_map(params![fts, event_id, day, limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    ids.into_iter()
        .map(|(id, present)| {
            Ok(DeskHit {
                registration: get_row(conn, id)?,
                present,
            })
        })
        .collect()
}

/// Attendance marks of one registration.
pub fn marks_of(conn: &Connection, registration_id: i64) -> CoreResult<Vec<AttendanceMark>> {
    let mut stmt = conn.prepare_cached(
        "SELECT day, session_id, state, recorded_at, minutes FROM attendance
         WHERE registration_id = ?1 ORDER BY day, session_id",
    )?;
    let rows = stmt.query_map([registration_id], mark_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Attendance marks of every registration of an event, by registration key.
pub fn marks_for_event(
    conn: &Connection,
    event_id: i64,
) -> CoreResult<HashMap<i64, Vec<AttendanceMark>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.registration_id, a.day, a.session_id, a.state, a.recorded_at, a.minutes
         FROM attendance a
         JOIN registrations r ON r.id = a.registration_id
         WHERE r.event_id = ?1 ORDER BY a.day, a.session_id",
    )?;
    let mut map: HashMap<i64, Vec<AttendanceMark>> = HashMap::new();
    let rows = stmt.query_map([event_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            AttendanceMark {
                day: r.get(1)?,
                session_id: r.get(2)?,
                state: r.get(3)?,
                recorded_at: r.get(4)?,
                minutes: r.get(5)?,
            },
        ))
    })?;
    for row in rows {
        let (registration, mark) = row?;
        map.entry(registration).or_default().push(mark);
    }
    Ok(map)
}
