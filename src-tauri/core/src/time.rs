//! Wall-clock times of the office (Europe/Berlin) and their unambiguous storage in UTC.
//!
//! Users type local times ("2025-03-13 11:00"); the store keeps UTC RFC 3339 instants; the UI
//! and CLI receive RFC 3339 with the Berlin offset ("2025-03-13T11:00:00+01:00"), whose first 16
//! characters are the wall-clock time.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::{Europe::Berlin, Tz};

use crate::error::{CoreError, CoreResult};

/// Accepted input formats for a local date-time.
const LOCAL_FORMATS: [&str; 4] = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
];

/// Parses a Berlin wall-clock time ("YYYY-MM-DD HH:MM" or "YYYY-MM-DDTHH:MM").
///
/// In the autumn hour that occurs twice, the earlier instant is taken; a time that does not
/// exist (the spring gap) is an error for `field`.
pub fn parse_local(value: &str, field: &str) -> CoreResult<DateTime<Utc>> {
    let value = value.trim();
    let naive = LOCAL_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(value, f).ok())
        .ok_or_else(|| {
            CoreError::invalid(
                field,
                format!("„{value}“ ist keine gültige Zeitangabe (erwartet: JJJJ-MM-TT HH:MM)."),
            )
        })?;
    match Berlin.from_local_datetime(&naive) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t.with_timezone(&Utc)),
        LocalResult::None => Err(CoreError::invalid(
            field,
            format!("{value} gibt es wegen der Zeitumstellung in Deutschland nicht."),
        )),
    }
}

/// Parses a calendar date "YYYY-MM-DD".
pub fn parse_date(value: &str, field: &str) -> CoreResult<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        CoreError::invalid(
            field,
            format!(
                "„{}“ ist kein gültiges Datum (erwartet: JJJJ-MM-TT).",
                value.trim()
            ),
        )
    })
}

/// UTC instant as stored in the database.
pub fn to_storage(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Reads a stored UTC instant back.
pub fn from_storage(stored: &str) -> CoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(stored)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| CoreError::Conflict(format!("Ungültiger Zeitstempel „{stored}“: {e}")))
}

/// The instant in Berlin time.
pub fn in_berlin(instant: DateTime<Utc>) -> DateTime<Tz> {
    instant.with_timezone(&Berlin)
}

/// A stored UTC instant as RFC 3339 with the Berlin offset, as the UI and CLI receive it.
pub fn stored_to_berlin_rfc3339(stored: &str) -> CoreResult<String> {
    Ok(in_berlin(from_storage(stored)?).to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
}

/// The Berlin calendar days an event touches, first to last (one for a one-day event).
pub fn berlin_days(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Vec<NaiveDate> {
    let first = in_berlin(starts_at).date_naive();
    let last = in_berlin(ends_at).date_naive();
    first.iter_days().take_while(|d| *d <= last).collect()
}

/// Today's date in Berlin.
pub fn today_in_berlin() -> NaiveDate {
    in_berlin(Utc::now()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winter_and_summer_times_are_stored_in_utc() {
        let winter = parse_local("2025-03-13 11:00", "starts_at").unwrap();
        assert_eq!(to_storage(winter), "2025-03-13T10:00:00Z");
        let summer = parse_local("2023-06-20T10:00", "starts_at").unwrap();
        assert_eq!(to_storage(summer), "2023-06-20T08:00:00Z");
        assert_eq!(
            stored_to_berlin_rfc3339("2025-03-13T10:00:00Z").unwrap(),
            "2025-03-13T11:00:00+01:00"
        );
    }

    #[test]
    fn the_spring_gap_is_rejected_and_the_autumn_hour_takes_the_earlier_instant() {
        let gap = parse_local("2025-03-30 02:30", "starts_at").unwrap_err();
        assert!(gap.to_string().contains("Zeitumstellung"));
        let twice = parse_local("2025-10-26 02:30", "starts_at").unwrap();
        assert_eq!(to_storage(twice), "2025-10-26T00:30:00Z");
    }

    #[test]
    fn malformed_input_names_the_field() {
        let Err(CoreError::Validation(errors)) = parse_local("13.03.2025", "ends_at") else {
            panic!("expected a validation error");
        };
        assert_eq!(errors[0].field, "ends_at");
    }

    #[test]
    fn a_two_day_training_has_two_days() {
        let start = parse_local("2024-11-29 10:00", "s").unwrap();
        let end = parse_local("2024-11-30 16:00", "e").unwrap();
        let days: Vec<String> = berlin_days(start, end)
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(days, ["2024-11-29", "2024-11-30"]);
    }
}
