//! The JSON records the CLI prints (its external contract; field names are fixed).

use serde_json::{Value, json};
use tagungsbuero_core::events::Event;
use tagungsbuero_core::overview::EventSummary;
use tagungsbuero_core::people::Person;
use tagungsbuero_core::registrations::RegistrationRow;
use tagungsbuero_core::registrations::merge::MergePlan;

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

/// A registration (`registrations list --json`, `cancel`). An anonymous registration (its
/// person removed by the shredder or an erasure) has `null` person, e-mail and names.
pub fn registration(r: &RegistrationRow) -> Value {
    let personal = |text: &str| r.person_id.map(|_| text.to_owned());
    json!({
        "registration_id": r.registration_id,
        "person_id": r.person_id,
        "email": personal(&r.email),
        "first_name": personal(&r.first_name),
        "last_name": personal(&r.last_name),
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

/// A person in full (`persons list --json`).
pub fn person_full(p: &Person) -> Value {
    json!({
        "id": p.id,
        "uid": p.uid,
        "salutation": p.salutation,
        "title": p.title,
        "first_name": p.first_name,
        "last_name": p.last_name,
        "function": p.function,
        "organisation_id": p.organisation_id,
        "organisation": p.organisation,
        "ort": p.ort,
        "email": p.email,
        "phone": p.phone,
        "notes": p.notes,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
    })
}

/// The answer of `persons merge` (also with `--dry-run`): per event both were registered for,
/// the registration that stays, its status and who moved up; `moved` lists the registrations
/// that only changed hands.
pub fn merge(plan: &MergePlan, dry_run: bool) -> Value {
    json!({
        "kept": plan.keep.id,
        "removed": plan.remove.id,
        "dry_run": dry_run,
        "registrations": plan.registrations.iter().map(|r| json!({
            "event_id": r.event_id,
            "kept_registration_id": r.kept_registration_id,
            "status": r.status,
            "promoted_person_id": r.promoted_person_id,
            "merged_registration_id": r.merged_registration_id,
        })).collect::<Vec<_>>(),
        "moved": plan.moved.iter().map(|m| json!({
            "event_id": m.event_id,
            "registration_id": m.registration_id,
            "status": m.status,
        })).collect::<Vec<_>>(),
        "person": {
            "first_name": plan.result.first_name,
            "last_name": plan.result.last_name,
            "email": plan.result.email,
        },
    })
}
