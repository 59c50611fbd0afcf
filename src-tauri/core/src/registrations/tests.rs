//! Tests of the status model, waiting list, sessions, attendance and merging.

use super::attendance::{self, AttendanceState};
use super::sessions::{self, SessionInput};
use super::*;
use crate::events::tests::forum_input;
use crate::people;
use crate::people::tests::person;
use crate::store::Store;

pub(super) fn event_with_capacity(store: &mut Store, capacity: i64) -> i64 {
    let input = events::EventInput {
        capacity: Some(capacity),
        starts_at: "2099-03-13 11:00".into(),
        ends_at: "2099-03-13 13:00".into(),
        registration_deadline: None,
        ..forum_input()
    };
    store.write(|tx| events::create(tx, input)).unwrap().id
}

pub(super) fn new_person(store: &mut Store, n: usize) -> i64 {
    store
        .write(|tx| {
            people::create_person(
                tx,
                &person(
                    "Vorname",
                    &format!("Person{n}"),
                    "Dortmund",
                    &format!("p{n}@example.org"),
                ),
            )
        })
        .unwrap()
        .id
}

pub(super) fn register_n(store: &mut Store, event_id: i64, n: usize) -> Vec<RegistrationRow> {
    (0..n)
        .map(|i| {
            let pid = new_person(store, i);
            store
                .write(|tx| register(tx, &RegisterInput::existing(event_id, pid)))
                .unwrap()
                .registration
        })
        .collect()
}

#[test]
fn a_full_event_fills_the_waiting_list_in_order() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 2);
    let rows = register_n(&mut store, event, 4);
    let statuses: Vec<_> = rows
        .iter()
        .map(|r| (r.status, r.waitlist_position))
        .collect();
    use RegistrationStatus::*;
    assert_eq!(
        statuses,
        [
            (Angemeldet, None),
            (Angemeldet, None),
            (Warteliste, Some(1)),
            (Warteliste, Some(2))
        ]
    );
    let c = counts(store.connection(), event).unwrap();
    assert_eq!((c.active, c.warteliste, c.free_places), (2, 2, Some(0)));
}

#[test]
fn cancelling_promotes_the_first_on_the_waiting_list_and_logs_it() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 1);
    let rows = register_n(&mut store, event, 3);
    let outcome = store
        .write(|tx| cancel(tx, rows[0].registration_id, "krank"))
        .unwrap();
    assert_eq!(outcome.cancelled.status, RegistrationStatus::Storniert);
    assert_eq!(outcome.cancelled.cancel_reason, "krank");
    let promoted = outcome.promoted.expect("someone moves up");
    assert_eq!(promoted.registration_id, rows[1].registration_id);
    assert_eq!(promoted.status, RegistrationStatus::Nachgerueckt);
    let last = get_row(store.connection(), rows[2].registration_id).unwrap();
    assert_eq!(last.waitlist_position, Some(1), "the list closes the gap");
    let history = status_history(store.connection(), rows[1].registration_id).unwrap();
    let steps: Vec<_> = history
        .iter()
        .map(|h| (h.from_status, h.to_status))
        .collect();
    assert_eq!(
        steps,
        [
            (None, RegistrationStatus::Warteliste),
            (
                Some(RegistrationStatus::Warteliste),
                RegistrationStatus::Nachgerueckt
            )
        ]
    );
    assert!(matches!(
        store.write(|tx| cancel(tx, rows[0].registration_id, "")),
        Err(CoreError::Conflict(_))
    ));
}

#[test]
fn a_second_registration_of_the_same_person_is_refused_but_a_cancelled_one_reactivates() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 5);
    let pid = new_person(&mut store, 1);
    let first = store
        .write(|tx| register(tx, &RegisterInput::existing(event, pid)))
        .unwrap();
    let again = store.write(|tx| register(tx, &RegisterInput::existing(event, pid)));
    assert!(matches!(again, Err(CoreError::Conflict(m)) if m.contains("bereits")));
    store
        .write(|tx| cancel(tx, first.registration.registration_id, ""))
        .unwrap();
    let back = store
        .write(|tx| register(tx, &RegisterInput::existing(event, pid)))
        .unwrap();
    assert_eq!(
        back.registration.registration_id,
        first.registration.registration_id
    );
    assert_eq!(back.registration.status, RegistrationStatus::Angemeldet);
}

#[test]
fn registering_after_the_deadline_warns_but_saves() {
    let mut store = Store::open_in_memory().unwrap();
    let input = events::EventInput {
        starts_at: "2099-03-13 11:00".into(),
        ends_at: "2099-03-13 13:00".into(),
        registration_deadline: Some("2000-01-01".into()),
        ..forum_input()
    };
    let event = store.write(|tx| events::create(tx, input)).unwrap().id;
    let pid = new_person(&mut store, 1);
    let outcome = store
        .write(|tx| register(tx, &RegisterInput::existing(event, pid)))
        .unwrap();
    assert!(outcome.warnings[0].contains("Anmeldefrist"));
    assert_eq!(outcome.registration.status, RegistrationStatus::Angemeldet);
}

#[test]
fn wishes_are_not_this_modules_business_and_never_dropped_silently() {
    // Wishes belong to the wishes module above this one (crate::wishes::register stores them);
    // given here they are refused instead of being lost.
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 5);
    let pid = new_person(&mut store, 1);
    let mut input = RegisterInput::existing(event, pid);
    input.wishes = vec!["  ".into()];
    store.write(|tx| register(tx, &input)).unwrap();
    let pid = new_person(&mut store, 2);
    let mut input = RegisterInput::existing(event, pid);
    input.wishes = vec!["Fördermittel für Jugendbegegnungen".into()];
    assert!(matches!(
        store.write(|tx| register(tx, &input)),
        Err(CoreError::Conflict(_))
    ));
}

#[test]
fn an_invalid_new_person_leaves_nothing_behind() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 5);
    let mut input = RegisterInput::existing(event, 0);
    input.person_id = None;
    input.new_person = Some(person("Ada", "", "Köln", "ada@example"));
    assert!(matches!(
        store.write(|tx| register(tx, &input)),
        Err(CoreError::Validation(_))
    ));
    let persons: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM persons", [], |r| r.get(0))
        .unwrap();
    assert_eq!(persons, 0);
}

#[test]
fn two_connections_racing_for_the_last_place_end_with_exactly_one_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("race.db");
    let mut store = Store::open(&path).unwrap();
    let event = event_with_capacity(&mut store, 1);
    let a = new_person(&mut store, 1);
    let b = new_person(&mut store, 2);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let handles: Vec<_> = [a, b]
        .into_iter()
        .map(|pid| {
            let mut connection = store.second_connection().unwrap();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                connection
                    .write(|tx| register(tx, &RegisterInput::existing(event, pid)))
                    .unwrap()
                    .registration
                    .status
            })
        })
        .collect();
    let mut statuses: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    statuses.sort_by_key(|s| s.as_str());
    assert_eq!(
        statuses,
        [
            RegistrationStatus::Angemeldet,
            RegistrationStatus::Warteliste
        ]
    );
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(counts(store.connection(), event).unwrap().active, 1);
}

#[test]
fn bulk_status_change_respects_transitions_and_capacity() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 2);
    let rows = register_n(&mut store, event, 3);
    let ids: Vec<i64> = rows.iter().map(|r| r.registration_id).collect();
    let refused = store.write(|tx| set_status(tx, &ids[2..], RegistrationStatus::Nachgerueckt, ""));
    assert!(matches!(refused, Err(CoreError::Conflict(m)) if m.contains("ausgebucht")));
    let changed = store
        .write(|tx| set_status(tx, &ids[..2], RegistrationStatus::Abgelehnt, "doppelt"))
        .unwrap();
    assert!(
        changed
            .iter()
            .all(|r| r.status == RegistrationStatus::Abgelehnt)
    );
    let third = get_row(store.connection(), ids[2]).unwrap();
    assert_eq!(third.status, RegistrationStatus::Nachgerueckt);
}

#[test]
fn capacity_cannot_drop_below_the_places_taken() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 3);
    register_n(&mut store, event, 3);
    let input = events::EventInput {
        capacity: Some(2),
        starts_at: "2099-03-13 11:00".into(),
        ends_at: "2099-03-13 13:00".into(),
        registration_deadline: None,
        ..forum_input()
    };
    let Err(CoreError::Validation(errors)) = store.write(|tx| update_event(tx, event, input))
    else {
        panic!("expected a validation error");
    };
    assert_eq!(errors[0].field, "capacity");
}

fn session(name: &str, from: &str, to: &str, capacity: Option<i64>) -> SessionInput {
    SessionInput {
        name: name.into(),
        starts_at: from.into(),
        ends_at: to.into(),
        room: "Raum 1".into(),
        capacity,
    }
}

#[test]
fn sessions_refuse_clashes_and_full_workshops() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 10);
    let (a, b, c) = store
        .write(|tx| {
            let a = sessions::create_session(
                tx,
                event,
                &session("A", "2099-03-13 11:00", "2099-03-13 12:00", Some(1)),
            )?;
            let b = sessions::create_session(
                tx,
                event,
                &session("B", "2099-03-13 11:30", "2099-03-13 12:30", None),
            )?;
            let c = sessions::create_session(
                tx,
                event,
                &session("C", "2099-03-13 12:00", "2099-03-13 13:00", None),
            )?;
            Ok((a.id, b.id, c.id))
        })
        .unwrap();
    let p1 = new_person(&mut store, 1);
    let p2 = new_person(&mut store, 2);
    let mut input = RegisterInput::existing(event, p1);
    input.session_ids = vec![a, b];
    let clash = store.write(|tx| register(tx, &input));
    assert!(matches!(clash, Err(CoreError::Validation(e)) if e[0].message.contains("selben Zeit")));
    input.session_ids = vec![a, c];
    store.write(|tx| register(tx, &input)).unwrap();
    let mut second = RegisterInput::existing(event, p2);
    second.session_ids = vec![a];
    let full = store.write(|tx| register(tx, &second));
    assert!(matches!(full, Err(CoreError::Validation(e)) if e[0].message.contains("ausgebucht")));
    let listed = sessions::list_sessions(store.connection(), event).unwrap();
    assert_eq!(
        listed.iter().map(|s| s.taken).collect::<Vec<_>>(),
        [1, 0, 1]
    );
}

#[test]
fn check_in_per_day_with_undo_and_walk_in() {
    let mut store = Store::open_in_memory().unwrap();
    let input = events::EventInput {
        series: events::Series::Training,
        number: None,
        starts_at: "2099-11-29 10:00".into(),
        ends_at: "2099-11-30 16:00".into(),
        capacity: Some(1),
        ..forum_input()
    };
    let event = store.write(|tx| events::create(tx, input)).unwrap().id;
    let rows = register_n(&mut store, event, 1);
    let id = rows[0].registration_id;
    let day1 = store
        .write(|tx| attendance::check_in(tx, id, Some("2099-11-29")))
        .unwrap();
    assert!(day1.undo.previous.is_none());
    store
        .write(|tx| {
            attendance::set_attendance(
                tx,
                id,
                Some("2099-11-30"),
                None,
                AttendanceState::Entschuldigt,
            )
        })
        .unwrap();
    let day2 = store
        .write(|tx| attendance::check_in(tx, id, Some("2099-11-30")))
        .unwrap();
    assert_eq!(
        day2.undo.previous.as_ref().map(|m| m.state),
        Some(AttendanceState::Entschuldigt)
    );
    let undone = store
        .write(|tx| attendance::undo_check_in(tx, &day2.undo))
        .unwrap()
        .expect("a plain check-in's undo keeps the registration");
    assert_eq!(
        undone.day_state("2099-11-29"),
        Some(AttendanceState::Anwesend)
    );
    assert_eq!(
        undone.day_state("2099-11-30"),
        Some(AttendanceState::Entschuldigt)
    );
    let wrong_day = store.write(|tx| attendance::check_in(tx, id, Some("2099-12-01")));
    assert!(matches!(wrong_day, Err(CoreError::Validation(_))));

    let walk = store
        .write(|tx| {
            attendance::walk_in(
                tx,
                event,
                None,
                Some(person("Wanda", "Walk", "Bonn", "")),
                Some("2099-11-29"),
            )
        })
        .unwrap();
    assert_eq!(
        walk.registration.status,
        RegistrationStatus::Angemeldet,
        "walk-ins count even when full"
    );
    assert_eq!(walk.registration.source, Source::VorOrt);
    assert_eq!(
        walk.registration.day_state("2099-11-29"),
        Some(AttendanceState::Anwesend)
    );
    assert_eq!(counts(store.connection(), event).unwrap().anwesend, 2);
}

#[test]
fn desk_search_ranks_absent_people_first_and_the_waiting_list_last() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 2);
    let rows = register_n(&mut store, event, 3);
    let day = "2099-03-13";
    store
        .write(|tx| attendance::check_in(tx, rows[0].registration_id, Some(day)))
        .unwrap();
    let hits = attendance::desk_search(store.connection(), event, "vorn", day, 10).unwrap();
    let ids: Vec<_> = hits
        .iter()
        .map(|h| (h.registration.registration_id, h.present))
        .collect();
    assert_eq!(
        ids,
        [
            (rows[1].registration_id, false),
            (rows[2].registration_id, false),
            (rows[0].registration_id, true)
        ]
    );
    assert_eq!(hits[1].registration.status, RegistrationStatus::Warteliste);
}

#[test]
fn an_event_without_registrations_is_deleted_one_with_registrations_only_by_its_title() {
    let mut store = Store::open_in_memory().unwrap();
    let empty = event_with_capacity(&mut store, 10);
    store.write(|tx| delete_event(tx, empty, None)).unwrap();
    assert!(matches!(
        events::get(store.connection(), empty),
        Err(CoreError::NotFound { .. })
    ));

    let busy = event_with_capacity(&mut store, 10);
    let rows = register_n(&mut store, busy, 2);
    let Err(CoreError::Validation(errors)) = store.write(|tx| delete_event(tx, busy, None)) else {
        panic!("deleting an event with registrations needs its title");
    };
    assert_eq!(errors[0].field, "confirm_title");
    assert!(errors[0].message.contains("2 Anmeldungen"));
    assert!(
        store
            .write(|tx| delete_event(tx, busy, Some("13. Forum")))
            .is_err()
    );
    assert!(
        events::get(store.connection(), busy).is_ok(),
        "nothing deleted"
    );

    store
        .write(|tx| delete_event(tx, busy, Some(" 13. Forum Städtepartnerschaften NRW ")))
        .unwrap();
    let conn = store.connection();
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM registrations WHERE event_id = ?1",
            [busy],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
    let tombstones: i64 = conn
        .query_row(
            "SELECT count(*) FROM tombstones WHERE table_name = 'registrations' AND row_uid IN (?1, ?2)",
            rusqlite::params![rows[0].uid, rows[1].uid],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        tombstones, 2,
        "every deleted registration leaves a tombstone"
    );
}
