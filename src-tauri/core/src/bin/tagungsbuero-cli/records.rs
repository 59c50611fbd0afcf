//! The JSON records the CLI prints (its external contract; field names are fixed).

use serde_json::{Value, json};
use tagungsbuero_core::events::{Event, EventSummary};
use tagungsbuero_core::people::Person;
use tagungsbuero_core::registrations::RegistrationRow;

/// An event with its counts (`events list --json`).
pub fn event(summary: &EventSummary) -> Value {
    let mut value = event_only(&summary.event);
    value["counts"] = json!(summary.counts);
    value
}

/// An event (`events create --json`).
pub fn event_only(e: &Event) -> Value {
    json!({
        "id": e.id,
        "uid": e.uid,
        "title": e.title,
        "series": e.series,
        "number": e.number,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "format": e.format,
        "venue": e.venue,
        "online_link": e.online_link,
        "capacity": e.capacity,
        "registration_deadline": e.registration_deadline,
        "status": e.status,
        "days": e.days,
    })
}

/// A registration (`registrations list --json`, `cancel`).
pub fn registration(r: &RegistrationRow) -> Value {
    json!({
        "registration_id": r.registration_id,
        "person_id": r.person_id,
        "email": r.email,
        "first_name": r.first_name,
        "last_name": r.last_name,
        "organisation": r.organisation,
        "status": r.status,
        "waitlist_position": r.waitlist_position,
        "cancel_reason": r.cancel_reason,
        "registered_at": r.registered_at,
        "attendance": r.attendance,
        "minutes": r.minutes,
    })
}

/// The answer of `register`.
pub fn registration_result(r: &RegistrationRow) -> Value {
    json!({
        "registration_id": r.registration_id,
        "person_id": r.person_id,
        "status": r.status,
        "waitlist_position": r.waitlist_position,
    })
}

/// A search hit (`persons search --json`).
pub fn person(p: &Person) -> Value {
    json!({
        "id": p.id,
        "first_name": p.first_name,
        "last_name": p.last_name,
        "organisation": p.organisation,
        "ort": p.ort,
        "email": p.email,
    })
}
