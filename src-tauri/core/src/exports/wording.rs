//! German wording of dates, times and places as printed on lists and forms.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Weekday};

use crate::error::{CoreError, CoreResult};
use crate::events::{Event, EventFormat};
use crate::time;

/// German two-letter weekday.
fn weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Mo",
        Weekday::Tue => "Di",
        Weekday::Wed => "Mi",
        Weekday::Thu => "Do",
        Weekday::Fri => "Fr",
        Weekday::Sat => "Sa",
        Weekday::Sun => "So",
    }
}

/// "29.11.2024".
pub(crate) fn date(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

/// "Fr, 29.11.2024".
pub(crate) fn weekday_date(day: NaiveDate) -> String {
    format!("{}, {}", weekday(day.weekday()), date(day))
}

/// The Berlin wall-clock time of an RFC 3339 instant with offset, as the events module returns.
pub(crate) fn local(rfc3339: &str) -> CoreResult<NaiveDateTime> {
    DateTime::<FixedOffset>::parse_from_rfc3339(rfc3339)
        .map(|t| t.naive_local())
        .map_err(|e| CoreError::Conflict(format!("Ungültiger Zeitstempel „{rfc3339}“: {e}")))
}

/// The Berlin calendar date of a stored UTC instant (e.g. `registered_at`).
pub(crate) fn berlin_date(stored_utc: &str) -> CoreResult<NaiveDate> {
    Ok(time::in_berlin(time::from_storage(stored_utc)?).date_naive())
}

/// The event's days as dates.
pub(crate) fn event_days(event: &Event) -> CoreResult<Vec<NaiveDate>> {
    event
        .days
        .iter()
        .map(|d| time::parse_date(d, "days"))
        .collect()
}

/// Every day with the times: "Do, 13.03.2025, 11:00–13:00 Uhr" for one day;
/// "Fr, 29.11.2024, ab 10:00 Uhr und Sa, 30.11.2024, bis 16:00 Uhr" for two.
pub(crate) fn dates_and_times(event: &Event) -> CoreResult<String> {
    let (start, end) = (local(&event.starts_at)?, local(&event.ends_at)?);
    let (from, to) = (start.format("%H:%M"), end.format("%H:%M"));
    if start.date() == end.date() {
        return Ok(format!("{}, {from}–{to} Uhr", weekday_date(start.date())));
    }
    let days = event_days(event)?;
    let last = days.len().saturating_sub(1);
    let parts: Vec<String> = days
        .iter()
        .enumerate()
        .map(|(i, day)| match i {
            0 => format!("{}, ab {from} Uhr", weekday_date(*day)),
            i if i == last => format!("{}, bis {to} Uhr", weekday_date(*day)),
            _ => weekday_date(*day),
        })
        .collect();
    Ok(join_german(&parts))
}

/// "a", "a und b", "a, b und c".
fn join_german(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} und {last}", init.join(", ")),
    }
}

/// Where it takes place: the venue, "online", or both for hybrid events.
pub(crate) fn place(event: &Event) -> String {
    let venue = event.venue.trim();
    match (event.format, venue.is_empty()) {
        (EventFormat::Online, _) => "online".into(),
        (EventFormat::Praesenz, true) => "–".into(),
        (EventFormat::Praesenz, false) => venue.into(),
        (EventFormat::Hybrid, true) => "vor Ort und online".into(),
        (EventFormat::Hybrid, false) => format!("{venue} und online"),
    }
}

/// The title, with "(Nr. 13)" appended when the number is not already part of it.
pub(crate) fn title_with_number(event: &Event) -> String {
    match event.number {
        Some(n) if !event.title.contains(&format!("{n}.")) => format!("{} (Nr. {n})", event.title),
        _ => event.title.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{self, tests::forum_input};
    use crate::store::Store;

    fn event(starts: &str, ends: &str, format: EventFormat, venue: &str) -> Event {
        let mut store = Store::open_in_memory().unwrap();
        let input = events::EventInput {
            starts_at: starts.into(),
            ends_at: ends.into(),
            format,
            venue: venue.into(),
            ..forum_input()
        };
        store.write(|tx| events::create(tx, input)).unwrap()
    }

    #[test]
    fn one_day_shows_weekday_date_and_time_span() {
        let e = event(
            "2025-03-13 11:00",
            "2025-03-13 13:00",
            EventFormat::Online,
            "",
        );
        assert_eq!(
            dates_and_times(&e).unwrap(),
            "Do, 13.03.2025, 11:00–13:00 Uhr"
        );
        assert_eq!(place(&e), "online");
        assert_eq!(title_with_number(&e), "13. Forum Städtepartnerschaften NRW");
    }

    #[test]
    fn several_days_list_every_day() {
        let e = event(
            "2024-11-29 10:00",
            "2024-12-01 13:00",
            EventFormat::Hybrid,
            "GSI Bonn",
        );
        assert_eq!(
            dates_and_times(&e).unwrap(),
            "Fr, 29.11.2024, ab 10:00 Uhr, Sa, 30.11.2024 und So, 01.12.2024, bis 13:00 Uhr"
        );
        assert_eq!(place(&e), "GSI Bonn und online");
    }

    #[test]
    fn registration_instants_become_berlin_dates() {
        assert_eq!(
            berlin_date("2025-03-12T23:30:00Z").unwrap(),
            NaiveDate::from_ymd_opt(2025, 3, 13).unwrap()
        );
    }
}
