//! Merging two persons: the clash cases of issue 8 (each failed or lost data before), the
//! field choices, the preview and the history.

use super::attendance::{self, AttendanceState};
use super::merge::{self, MergeChoices, MergeSide};
use super::tests::{event_with_capacity, new_person};
use super::*;
use crate::people::tests::person;
use crate::people::{self, HistoryAction};
use crate::store::Store;

fn reg(store: &mut Store, event: i64, person: i64) -> RegistrationRow {
    store
        .write(|tx| register(tx, &RegisterInput::existing(event, person)))
        .unwrap()
        .registration
}

fn status_of(store: &Store, id: i64) -> (RegistrationStatus, Option<i64>) {
    let row = get_row(store.connection(), id).unwrap();
    (row.status, row.waitlist_position)
}

fn person_with(store: &mut Store, first: &str, last: &str, email: &str) -> i64 {
    store
        .write(|tx| people::create_person(tx, &person(first, last, "Bocholt", email)))
        .unwrap()
        .id
}

/// Before: "Datenbankfehler: UNIQUE constraint failed: registrations.event_id,
/// registrations.person_id" — the removed person's registration should win because it holds a
/// place while the kept person's is on the waiting list.
#[test]
fn the_removed_persons_counted_registration_wins_over_the_kept_waiting_one() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 1);
    let keep = person_with(
        &mut store,
        "Hans-Peter",
        "Kowalski",
        "hp@verein.example.org",
    );
    let remove = person_with(
        &mut store,
        "Hans-Peter",
        "Kowalski",
        "hp@privat.example.net",
    );
    let counted = reg(&mut store, event, remove);
    let waiting = reg(&mut store, event, keep);
    assert_eq!(waiting.status, RegistrationStatus::Warteliste);
    let other = new_person(&mut store, 9);
    let third = reg(&mut store, event, other);
    assert_eq!(third.waitlist_position, Some(2));

    let plan = store
        .write(|tx| merge::merge_persons(tx, keep, remove, None))
        .unwrap();
    assert_eq!(plan.registrations.len(), 1);
    let r = &plan.registrations[0];
    assert_eq!(r.kept_registration_id, counted.registration_id);
    assert_eq!(r.kept_from, MergeSide::Remove);
    assert_eq!(r.status, RegistrationStatus::Angemeldet);
    assert_eq!(r.merged_registration_id, waiting.registration_id);
    assert_eq!(r.promoted_person_id, None, "no place was freed");
    let row = get_row(store.connection(), counted.registration_id).unwrap();
    assert_eq!(row.person_id, Some(keep));
    assert_eq!(
        status_of(&store, third.registration_id),
        (RegistrationStatus::Warteliste, Some(1)),
        "the waiting list closes the gap"
    );
    // The merged registration's history is kept, marked with its uid.
    let log: Vec<(String, String)> = store
        .connection()
        .prepare(
            "SELECT to_status, merged_from FROM registration_status_log
             WHERE registration_id = ?1 ORDER BY id",
        )
        .unwrap()
        .query_map([counted.registration_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        log.iter()
            .any(|(to, from)| to == "warteliste" && *from == waiting.uid),
        "{log:?}"
    );
}

/// Before: the same UNIQUE error when the removed person was earlier on the waiting list.
#[test]
fn the_earlier_place_on_the_waiting_list_wins() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 1);
    let holder = new_person(&mut store, 1);
    reg(&mut store, event, holder);
    let keep = person_with(&mut store, "Kerstin", "Schäfer", "ks@example.org");
    let remove = person_with(&mut store, "Kerstin", "Schäfer", "");
    let early = reg(&mut store, event, remove);
    let late = reg(&mut store, event, keep);
    assert_eq!(
        (early.waitlist_position, late.waitlist_position),
        (Some(1), Some(2))
    );
    let plan = store
        .write(|tx| merge::merge_persons(tx, keep, remove, None))
        .unwrap();
    assert_eq!(
        plan.registrations[0].kept_registration_id,
        early.registration_id
    );
    assert_eq!(
        status_of(&store, early.registration_id),
        (RegistrationStatus::Warteliste, Some(1))
    );
    assert!(get_row(store.connection(), late.registration_id).is_err());
}

/// Before: the other registration was deleted silently, the freed place went to nobody and no
/// status-log entry was written; its attendance marks were lost by cascade.
#[test]
fn a_freed_place_promotes_the_waiting_list_and_marks_and_log_are_kept() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 2);
    let keep = person_with(&mut store, "Anna", "Brand", "anna@example.org");
    let remove = person_with(&mut store, "Anna", "Brand", "a.brand@example.net");
    let kept = reg(&mut store, event, keep);
    let merged = reg(&mut store, event, remove);
    let waiting_person = new_person(&mut store, 5);
    let waiting = reg(&mut store, event, waiting_person);
    assert_eq!(waiting.status, RegistrationStatus::Warteliste);
    // Only the removed person's registration was checked in.
    store
        .write(|tx| attendance::check_in(tx, merged.registration_id, Some("2099-03-13")))
        .unwrap();

    let plan = store
        .write(|tx| merge::merge_persons(tx, keep, remove, None))
        .unwrap();
    let r = &plan.registrations[0];
    assert_eq!(r.kept_registration_id, kept.registration_id);
    assert!(r.freed_place);
    assert_eq!(r.promoted_person_id, Some(waiting_person));
    assert_eq!(
        status_of(&store, waiting.registration_id),
        (RegistrationStatus::Nachgerueckt, None)
    );
    let history = status_history(store.connection(), waiting.registration_id).unwrap();
    assert_eq!(
        history.last().unwrap().reason,
        "Platz frei geworden (Zusammenführung)"
    );
    let row = get_row(store.connection(), kept.registration_id).unwrap();
    assert_eq!(
        row.day_state("2099-03-13"),
        Some(AttendanceState::Anwesend),
        "the attendance mark moved over"
    );
    let moved_log: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM registration_status_log WHERE registration_id = ?1
             AND merged_from = ?2",
            params![kept.registration_id, merged.uid],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        moved_log, 2,
        "registered + merged entries of the other registration"
    );
    assert_eq!(counts(store.connection(), event).unwrap().active, 2);
}

/// Before: the kept person's work address was replaced by the removed person's private one.
#[test]
fn the_kept_persons_email_stays_and_the_other_goes_into_the_notes() {
    let mut store = Store::open_in_memory().unwrap();
    let keep = person_with(
        &mut store,
        "Hans-Peter",
        "Kowalski",
        "hp@verein.example.org",
    );
    let remove = store
        .write(|tx| {
            let mut p = person("Hans-Peter", "Kowalski", "Bocholt", "hp@privat.example.net");
            p.phone = "+49 171 0000418".into();
            p.notes = "Anmeldung von privater Adresse".into();
            people::create_person(tx, &p)
        })
        .unwrap()
        .id;
    let plan = store
        .write(|tx| merge::merge_persons(tx, keep, remove, None))
        .unwrap();
    assert_eq!(plan.choices.email, MergeSide::Keep);
    assert_eq!(
        plan.choices.phone,
        MergeSide::Remove,
        "empty takes the other"
    );
    let p = people::get_person(store.connection(), keep).unwrap();
    assert_eq!(p.email, "hp@verein.example.org");
    assert_eq!(p.phone, "+49 171 0000418");
    assert!(p.notes.contains("Anmeldung von privater Adresse"));
    assert!(p.notes.contains("hp@privat.example.net"), "{}", p.notes);
    assert!(people::get_person(store.connection(), remove).is_err());
    let history = people::person_history(store.connection(), keep).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, HistoryAction::Zusammengefuehrt);
    assert!(
        history[0]
            .summary
            .starts_with("zusammengeführt mit Hans-Peter Kowalski")
    );
    assert!(history[0].details.contains("hp@privat.example.net"));
}

#[test]
fn the_user_can_pick_the_other_email_per_field() {
    let mut store = Store::open_in_memory().unwrap();
    let keep = person_with(&mut store, "Ute", "Brand", "alt@example.org");
    let remove = person_with(&mut store, "Ute", "Brandt", "neu@example.org");
    let choices = MergeChoices {
        email: MergeSide::Remove,
        last_name: MergeSide::Remove,
        ..MergeChoices::defaults(
            &people::get_person(store.connection(), keep).unwrap(),
            &people::get_person(store.connection(), remove).unwrap(),
        )
    };
    store
        .write(|tx| merge::merge_persons(tx, keep, remove, Some(&choices)))
        .unwrap();
    let p = people::get_person(store.connection(), keep).unwrap();
    assert_eq!(
        (p.last_name.as_str(), p.email.as_str()),
        ("Brandt", "neu@example.org")
    );
    assert!(p.notes.contains("alt@example.org"));
}

#[test]
fn the_preview_shows_the_plan_and_writes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let event = event_with_capacity(&mut store, 1);
    let keep = person_with(&mut store, "Anna", "Brand", "anna@example.org");
    let remove = person_with(&mut store, "Anna", "Brand", "");
    reg(&mut store, event, keep);
    let second = reg(&mut store, event, remove);
    assert_eq!(second.status, RegistrationStatus::Warteliste);
    let snapshot = |store: &Store| -> (i64, i64, i64, String) {
        store
            .connection()
            .query_row(
                "SELECT (SELECT count(*) FROM persons), (SELECT count(*) FROM registrations),
                        (SELECT count(*) FROM registration_status_log),
                        (SELECT group_concat(updated_at) FROM persons)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap()
    };
    let before = snapshot(&store);
    let preview = store
        .write(|tx| merge::preview_merge(tx, keep, remove, None))
        .unwrap();
    assert_eq!(snapshot(&store), before);
    let done = store
        .write(|tx| merge::merge_persons(tx, keep, remove, None))
        .unwrap();
    assert_eq!(preview.registrations, done.registrations);
    assert_eq!(preview.result, done.result);
    assert_eq!(preview.fields.len(), 9);
}

#[test]
fn merging_with_oneself_or_a_missing_person_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    let a = new_person(&mut store, 1);
    let same = store.write(|tx| merge::merge_persons(tx, a, a, None));
    assert!(matches!(same, Err(CoreError::Conflict(_))));
    let missing = store.write(|tx| merge::merge_persons(tx, a, 999, None));
    assert!(matches!(missing, Err(CoreError::NotFound { .. })));
}

#[test]
fn registrations_only_the_removed_person_had_move_over_with_a_log_entry() {
    let mut store = Store::open_in_memory().unwrap();
    let e1 = event_with_capacity(&mut store, 5);
    let keep = new_person(&mut store, 1);
    let remove = new_person(&mut store, 2);
    let moved = reg(&mut store, e1, remove);
    let plan = store
        .write(|tx| merge::merge_persons(tx, keep, remove, None))
        .unwrap();
    assert!(plan.registrations.is_empty());
    assert_eq!(plan.moved.len(), 1);
    let row = get_row(store.connection(), moved.registration_id).unwrap();
    assert_eq!(row.person_id, Some(keep));
    let history = status_history(store.connection(), moved.registration_id).unwrap();
    assert!(
        history
            .last()
            .unwrap()
            .reason
            .starts_with("Person zusammengeführt")
    );
}
