//! The statistics of one event (`stats --event`, the Datenschutz preview): counts by status (all
//! registrations), and over the counted registrations (angemeldet, nachgerückt) by organisation
//! kind, role, first participation and attendance per day — the same rules as the Statistik
//! sheet of the participant list. Everything is read through `registrations::list`, whose
//! organisation is `COALESCE(person's, registration's)`, so the numbers are identical before and
//! after the shredder removed the persons.

use std::collections::BTreeMap;

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::error::CoreResult;
use crate::events;
use crate::registrations::{self, RegistrationStatus, attendance::AttendanceState};

/// Key of registrations without organisation in [`EventStatistics::by_organisation_kind`].
pub const NO_ORGANISATION: &str = "ohne";

/// Attendance counts of the counted registrations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AttendanceStatistics {
    /// Registrations present on at least one day.
    #[ts(type = "number")]
    pub present: i64,
    /// Present per event day ("YYYY-MM-DD" → count).
    #[ts(type = "Record<string, number>")]
    pub by_day: BTreeMap<String, i64>,
    /// Sum of the online minutes from participant reports.
    #[ts(type = "number")]
    pub minutes: i64,
}

/// An event's statistics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct EventStatistics {
    /// Event key.
    #[ts(type = "number")]
    pub event_id: i64,
    /// All registrations, whatever their status.
    #[ts(type = "number")]
    pub registrations: i64,
    /// Registrations that hold a place (angemeldet, nachgerückt).
    #[ts(type = "number")]
    pub counted: i64,
    /// Every status with its count (zeros included).
    #[ts(type = "Record<string, number>")]
    pub by_status: BTreeMap<String, i64>,
    /// Counted registrations by organisation kind ("ohne": no organisation).
    #[ts(type = "Record<string, number>")]
    pub by_organisation_kind: BTreeMap<String, i64>,
    /// Counted registrations by role.
    #[ts(type = "Record<string, number>")]
    pub by_role: BTreeMap<String, i64>,
    /// Counted registrations of people at one of the office's events for the first time.
    #[ts(type = "number")]
    pub first_time: i64,
    /// Attendance of the counted registrations.
    pub attendance: AttendanceStatistics,
}

/// Computes the statistics of an event.
pub fn event_statistics(conn: &Connection, event_id: i64) -> CoreResult<EventStatistics> {
    let event = events::get(conn, event_id)?;
    let rows = registrations::list(conn, event_id)?;
    let mut by_status: BTreeMap<String, i64> = RegistrationStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), 0))
        .collect();
    let mut by_organisation_kind = BTreeMap::new();
    let mut by_role = BTreeMap::new();
    let mut by_day: BTreeMap<String, i64> = event.days.iter().map(|d| (d.clone(), 0)).collect();
    let (mut counted, mut first_time, mut present, mut minutes) = (0, 0, 0, 0);
    for row in &rows {
        *by_status.entry(row.status.as_str().to_owned()).or_default() += 1;
        if !row.status.is_counted() {
            continue;
        }
        counted += 1;
        let kind = row
            .organisation_kind
            .map_or(NO_ORGANISATION, |k| k.as_str());
        *by_organisation_kind.entry(kind.to_owned()).or_default() += 1;
        *by_role.entry(row.role.as_str().to_owned()).or_default() += 1;
        first_time += i64::from(row.first_time);
        let mut any = false;
        for day in &event.days {
            if row.day_state(day) == Some(AttendanceState::Anwesend) {
                *by_day.entry(day.clone()).or_default() += 1;
                any = true;
            }
        }
        present += i64::from(any);
        minutes += row.minutes.unwrap_or(0);
    }
    Ok(EventStatistics {
        event_id,
        registrations: rows.len() as i64,
        counted,
        by_status,
        by_organisation_kind,
        by_role,
        first_time,
        attendance: AttendanceStatistics {
            present,
            by_day,
            minutes,
        },
    })
}
