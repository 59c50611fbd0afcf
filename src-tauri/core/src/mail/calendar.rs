//! The event as a calendar entry (`.ics`, RFC 5545) for confirmations, so it lands in the
//! participant's calendar. Start and end are UTC instants (`…Z`): every calendar shows them in
//! its own zone, so the Europe/Berlin wall-clock time comes out right without a VTIMEZONE
//! block. Line folding and text escaping are the `icalendar` crate's.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, EventLike, Property};

use crate::error::{CoreError, CoreResult};
use crate::events::Event;

/// The file name of the calendar attachment.
pub const FILE_NAME: &str = "veranstaltung.ics";

fn instant(value: &str) -> CoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| CoreError::Conflict(format!("Ungültige Zeit der Veranstaltung: {e}")))
}

/// The `.ics` text of `event`; `organiser` names the office in the description. The entry's UID
/// is the event's, so a second confirmation updates the same calendar entry.
pub fn ics(event: &Event, organiser: &str) -> CoreResult<String> {
    let mut entry = icalendar::Event::new();
    entry
        .uid(&format!("{}@tagungsbuero", event.uid))
        .summary(&event.title)
        .starts(instant(&event.starts_at)?)
        .ends(instant(&event.ends_at)?)
        .timestamp(Utc::now());
    let link = event.online_link.trim();
    let venue = event.venue.trim();
    match (venue.is_empty(), link.is_empty()) {
        (false, _) => entry.location(venue),
        (true, false) => entry.location(link),
        (true, true) => &mut entry,
    };
    if !link.is_empty() {
        entry.url(link);
    }
    let mut description = Vec::new();
    if !link.is_empty() {
        description.push(format!("Zugang: {link}"));
    }
    if !organiser.trim().is_empty() {
        description.push(organiser.trim().to_owned());
    }
    if !description.is_empty() {
        entry.description(&description.join("\n"));
    }
    let mut calendar = Calendar::new();
    calendar
        .append_property(Property::new("METHOD", "PUBLISH"))
        .push(entry.done());
    Ok(calendar.done().to_string())
}
