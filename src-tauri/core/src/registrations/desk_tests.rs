//! The check-in desk of issue 8: a walk-in's undo removes the whole action, someone on the
//! waiting list can be admitted over the capacity ("trotzdem einlassen"), and neither the
//! registration form nor the walk-in creates a second person for a known e-mail address.

use super::attendance::{self, AttendanceState};
use super::tests::{event_with_capacity, register_n};
use super::*;
use crate::people::tests::person;
use crate::store::Store;

const DAY: &str = "2099-03-13";

fn count(store: &Store, sql: &str) -> i64 {
    store.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Before: the undo removed only the attendance mark; the registration and the new contact
/// stayed, and the person kept a place.
#[test]
fn undoing_a_walk_in_removes_the_registration_and_the_new_contact() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 1);
    register_n(&mut store, event, 1);
    let persons = count(&store, "SELECT count(*) FROM persons");
    let receipt = store
        .write(|tx| {
            attendance::walk_in(
                tx,
                event,
                None,
                Some(person("Wanda", "Walk", "Bonn", "wanda@example.org")),
                Some(DAY),
            )
        })
        .unwrap();
    assert_eq!(counts(store.connection(), event).unwrap().active, 2);
    let undone = store
        .write(|tx| attendance::undo_check_in(tx, &receipt.undo))
        .unwrap();
    assert!(undone.is_none(), "the registration is gone");
    assert_eq!(count(&store, "SELECT count(*) FROM persons"), persons);
    assert_eq!(
        count(&store, "SELECT count(*) FROM registrations"),
        1,
        "only the earlier registration is left"
    );
    assert_eq!(counts(store.connection(), event).unwrap().active, 1);
}

#[test]
fn undoing_the_walk_in_of_a_known_person_keeps_the_person_and_restores_a_cancellation() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 5);
    let row = register_n(&mut store, event, 1).remove(0);
    store
        .write(|tx| cancel(tx, row.registration_id, "krank"))
        .unwrap();
    let receipt = store
        .write(|tx| attendance::walk_in(tx, event, row.person_id, None, Some(DAY)))
        .unwrap();
    assert_eq!(receipt.registration.status, RegistrationStatus::Angemeldet);
    let undone = store
        .write(|tx| attendance::undo_check_in(tx, &receipt.undo))
        .unwrap()
        .unwrap();
    assert_eq!(undone.status, RegistrationStatus::Storniert);
    assert_eq!(undone.cancel_reason, "krank");
    assert!(undone.attendance.is_empty());
    assert!(crate::people::get_person(store.connection(), row.person_id.unwrap()).is_ok());
}

/// Before: someone on the waiting list could be neither checked in nor registered as a walk-in
/// ("bereits erfasst").
#[test]
fn someone_on_the_waiting_list_can_be_admitted_over_the_capacity_and_back() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 1);
    let rows = register_n(&mut store, event, 3);
    let (second, third) = (&rows[1], &rows[2]);
    let refused = store.write(|tx| attendance::check_in(tx, second.registration_id, Some(DAY)));
    let Err(CoreError::Conflict(message)) = refused else {
        panic!("a waiting-list check-in must be refused");
    };
    assert!(message.contains("Trotzdem einlassen"), "{message}");
    let walk = store.write(|tx| attendance::walk_in(tx, event, second.person_id, None, Some(DAY)));
    assert!(matches!(walk, Err(CoreError::Conflict(m)) if m.contains("Warteliste (Platz 1)")));

    let receipt = store
        .write(|tx| attendance::admit(tx, second.registration_id, Some(DAY)))
        .unwrap();
    assert_eq!(
        receipt.registration.status,
        RegistrationStatus::Nachgerueckt
    );
    assert_eq!(
        receipt.registration.day_state(DAY),
        Some(AttendanceState::Anwesend)
    );
    let c = counts(store.connection(), event).unwrap();
    assert_eq!((c.active, c.warteliste), (2, 1), "deliberately overbooked");
    assert_eq!(
        get_row(store.connection(), third.registration_id)
            .unwrap()
            .waitlist_position,
        Some(1)
    );
    let log = status_history(store.connection(), second.registration_id).unwrap();
    assert!(
        log.last()
            .unwrap()
            .reason
            .contains("Kapazität überschritten")
    );

    let undone = store
        .write(|tx| attendance::undo_check_in(tx, &receipt.undo))
        .unwrap()
        .unwrap();
    assert_eq!(
        (undone.status, undone.waitlist_position),
        (RegistrationStatus::Warteliste, Some(1))
    );
    assert_eq!(
        get_row(store.connection(), third.registration_id)
            .unwrap()
            .waitlist_position,
        Some(2),
        "back to the old order"
    );
    assert!(undone.attendance.is_empty());
}

/// Before: "Anlegen und anmelden" and the walk-in created a second person for the same e-mail
/// (also differing only in case), who took a second place.
#[test]
fn a_known_email_is_refused_when_registering_or_walking_in_a_new_person() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 5);
    let first = register_n(&mut store, event, 1).remove(0);
    let same = person("Neu", "Person0", "Dortmund", " P0@Example.ORG ");
    let mut input = RegisterInput::existing(event, 0);
    input.person_id = None;
    input.new_person = Some(same.clone());
    let registered = store.write(|tx| register(tx, &input));
    let Err(CoreError::EmailTaken {
        person_id, name, ..
    }) = registered
    else {
        panic!("expected EmailTaken, got {registered:?}");
    };
    assert_eq!(Some(person_id), first.person_id);
    assert_eq!(name, "Vorname Person0");
    let walked = store.write(|tx| attendance::walk_in(tx, event, None, Some(same), Some(DAY)));
    let Err(error) = walked else {
        panic!("the walk-in must be refused");
    };
    assert!(
        error
            .to_string()
            .contains("gehört bereits zu Vorname Person0"),
        "{error}"
    );
    assert_eq!(count(&store, "SELECT count(*) FROM persons"), 1);
    assert_eq!(count(&store, "SELECT count(*) FROM registrations"), 1);
}

#[test]
fn the_counted_statuses_are_defined_once_and_exported_to_typescript() {
    let generated: Vec<_> = RegistrationStatus::ALL
        .iter()
        .filter(|s| s.is_counted())
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    assert_eq!(counted_sql(), format!("({})", generated.join(", ")));
    // Written like the ts-rs bindings (cargo test), checked in, compared by `make test`.
    let dir = std::env::var("TS_RS_EXPORT_DIR").unwrap_or_else(|_| {
        format!(
            "{}/../../ui/src/lib/api/bindings",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let ts = format!(
        "// Generated by tagungsbuero-core from RegistrationStatus::COUNTED. Do not edit.\n\
         import type {{ RegistrationStatus }} from './RegistrationStatus';\n\n\
         /** The statuses that hold one of the event's places (count against the capacity). */\n\
         export const COUNTED_STATUSES: readonly RegistrationStatus[] = [{}];\n",
        generated.join(", ")
    );
    let path = std::path::Path::new(&dir).join("CountedStatuses.ts");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(ts.as_str()) {
        std::fs::write(&path, ts).unwrap();
    }
}
