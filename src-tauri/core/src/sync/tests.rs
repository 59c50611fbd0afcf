//! Tests of the replication: full copies, rebuild from the chunks, conflicts, the capacity
//! rule, versions. The randomised simulation is `core/tests/sync_simulation.rs`.

use super::*;
use crate::events::{self, tests::forum_input};
use crate::people::{self, tests::person};
use crate::registrations::{self, RegisterInput, RegistrationStatus};

fn replica() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    attach(&mut store).unwrap();
    store
}

/// Sends everything `from` has to `to`.
fn send(from: &mut Store, to: &mut Store) -> ImportReport {
    let package = export_package(from, None).unwrap();
    import_bytes(to, &package.bytes).unwrap()
}

fn event(store: &mut Store, capacity: i64) -> i64 {
    let input = events::EventInput {
        capacity: Some(capacity),
        starts_at: "2099-03-13 11:00".into(),
        ends_at: "2099-03-13 13:00".into(),
        registration_deadline: None,
        ..forum_input()
    };
    store.write(|tx| events::create(tx, input)).unwrap().id
}

fn new_person(store: &mut Store, n: usize) -> i64 {
    store
        .write(|tx| {
            people::create_person(
                tx,
                &person(
                    "Vorname",
                    &format!("Nachname{n}"),
                    "Köln",
                    &format!("p{n}@example.org"),
                ),
            )
        })
        .unwrap()
        .id
}

fn register(store: &mut Store, event: i64, person: i64) -> RegistrationStatus {
    store
        .write(|tx| registrations::register(tx, &RegisterInput::existing(event, person)))
        .unwrap()
        .registration
        .status
}

/// Compares two dumps table by table with a short message.
fn assert_same(
    left: &BTreeMap<String, Vec<Vec<serde_json::Value>>>,
    right: &BTreeMap<String, Vec<Vec<serde_json::Value>>>,
) {
    for (table, rows) in left {
        let other = &right[table];
        if rows != other {
            let first = rows.iter().zip(other).find(|(a, b)| a != b);
            panic!(
                "{table}: {} vs {} rows, first difference {first:?}",
                rows.len(),
                other.len()
            );
        }
    }
}

fn uid_of(store: &Store, table: &str, id: i64) -> String {
    store
        .connection()
        .query_row(
            &format!("SELECT uid FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .unwrap()
}

fn id_of(store: &Store, table: &str, uid: &str) -> i64 {
    store
        .connection()
        .query_row(
            &format!("SELECT id FROM {table} WHERE uid = ?1"),
            [uid],
            |r| r.get(0),
        )
        .unwrap()
}

fn counted(store: &Store, event: i64) -> i64 {
    registrations::active_count(store.connection(), event).unwrap()
}

#[test]
fn every_write_stores_its_change_in_the_same_transaction_and_leaves_nothing_pending() {
    let mut a = replica();
    let event = event(&mut a, 10);
    let chunks = |s: &Store| -> i64 {
        s.connection()
            .query_row("SELECT count(*) FROM sync_chunks", [], |r| r.get(0))
            .unwrap()
    };
    let before = chunks(&a);
    let p = new_person(&mut a, 1);
    register(&mut a, event, p);
    assert_eq!(chunks(&a), before + 2, "one change per write");
    let pending: i64 = a
        .connection()
        .query_row("SELECT count(*) FROM sync_pending", [], |r| r.get(0))
        .unwrap();
    assert_eq!(pending, 0);
    // A failing action leaves neither rows nor a chunk, and the next write still works.
    let failed = a.write(|tx| {
        people::create_person(tx, &person("Erika", "Fehler", "Köln", "fehler@example.org"))?;
        Err::<(), _>(CoreError::Conflict("abgebrochen".into()))
    });
    assert!(failed.is_err());
    assert_eq!(chunks(&a), before + 2);
    new_person(&mut a, 2);
    assert_eq!(chunks(&a), before + 3);
    let mut b = replica();
    send(&mut a, &mut b);
    assert_eq!(dump(a.connection()).unwrap(), dump(b.connection()).unwrap());
}

#[test]
fn a_fresh_database_becomes_a_full_copy_and_a_second_import_adds_nothing() {
    let mut a = replica();
    crate::imports::seeds::seed_demo(&mut a).unwrap();
    let mut b = replica();
    let report = send(&mut a, &mut b);
    assert!(report.applied > 0);
    assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
    let (da, db) = (dump(a.connection()).unwrap(), dump(b.connection()).unwrap());
    assert!(da["registrations"].len() > 100);
    assert_same(&da, &db);
    assert_eq!(send(&mut a, &mut b).applied, 0);
    // And back: b knows a now, a learns nothing new but records b as a peer.
    send(&mut b, &mut a);
    assert_eq!(status(&mut a).unwrap().peers.len(), 1);
}

#[test]
fn the_tables_can_be_rebuilt_from_the_chunks_alone() {
    let mut a = replica();
    crate::imports::seeds::seed_demo(&mut a).unwrap();
    let event = event(&mut a, 1);
    let (p1, p2) = (new_person(&mut a, 1), new_person(&mut a, 2));
    register(&mut a, event, p1);
    register(&mut a, event, p2);
    let before = dump(a.connection()).unwrap();
    a.connection()
        // Rows lost behind the log's back (not queued as changes).
        .execute_batch(
            "PRAGMA foreign_keys = OFF; DELETE FROM registrations; DELETE FROM persons;
             DELETE FROM sync_pending; PRAGMA foreign_keys = ON;",
        )
        .unwrap();
    rebuild(&mut a).unwrap();
    assert_same(&dump(a.connection()).unwrap(), &before);
}

#[test]
fn existing_rows_of_an_older_database_are_taken_into_the_log_once() {
    let mut a = Store::open_in_memory().unwrap();
    crate::imports::seeds::seed_demo(&mut a).unwrap();
    attach(&mut a).unwrap();
    let mut b = replica();
    send(&mut a, &mut b);
    assert_eq!(dump(a.connection()).unwrap(), dump(b.connection()).unwrap());
}

#[test]
fn two_values_for_one_field_are_listed_on_both_laptops_and_a_choice_settles_them() {
    let mut a = replica();
    let p = new_person(&mut a, 1);
    let mut b = replica();
    send(&mut a, &mut b);
    let uid = uid_of(&a, "persons", p);
    let rename = |store: &mut Store, city: &str| {
        let id = id_of(store, "persons", &uid);
        store
            .write(|tx| {
                let input = person("Vorname", "Nachname1", city, "p1@example.org");
                people::update_person(tx, id, &input)
            })
            .unwrap();
    };
    rename(&mut a, "Aachen");
    rename(&mut b, "Bonn");
    let on_b = send(&mut a, &mut b);
    let on_a = send(&mut b, &mut a);
    assert_eq!(dump(a.connection()).unwrap(), dump(b.connection()).unwrap());
    for report in [&on_a, &on_b] {
        let conflict = report.conflicts.iter().find(|c| c.kind == "feld").unwrap();
        assert_eq!(conflict.column, "ort");
        let mut values = conflict.values.clone();
        values.sort();
        assert_eq!(values, ["Aachen", "Bonn"]);
        assert!(conflict.detail.contains("Nachname1"), "{}", conflict.detail);
    }
    let id = on_a.conflicts.iter().find(|c| c.kind == "feld").unwrap().id;
    assert!(resolve_conflict(&mut a, id, Some("Paris")).is_err());
    resolve_conflict(&mut a, id, Some("Bonn")).unwrap();
    assert!(open_conflicts(&mut a).unwrap().is_empty());
    let report = send(&mut a, &mut b);
    assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
    let city: String = b
        .connection()
        .query_row("SELECT ort FROM persons WHERE uid = ?1", [&uid], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(city, "Bonn");
}

#[test]
fn a_registration_for_a_contact_deleted_elsewhere_is_listed_not_lost() {
    let mut a = replica();
    let event = event(&mut a, 10);
    let p = new_person(&mut a, 1);
    let mut b = replica();
    send(&mut a, &mut b);
    let person_uid = uid_of(&a, "persons", p);
    a.write(|tx| Ok(tx.execute("DELETE FROM persons WHERE id = ?1", [p])?))
        .unwrap();
    let (event_b, p_b) = (
        id_of(&b, "events", &uid_of(&a, "events", event)),
        id_of(&b, "persons", &person_uid),
    );
    register(&mut b, event_b, p_b);
    let report = send(&mut b, &mut a);
    let missing: Vec<_> = report
        .conflicts
        .iter()
        .filter(|c| c.kind == "fehlt")
        .collect();
    assert_eq!(missing.len(), 1, "{:?}", report.conflicts);
    assert_eq!(missing[0].table, "registrations");
    send(&mut a, &mut b);
    assert_eq!(dump(a.connection()).unwrap(), dump(b.connection()).unwrap());
    // Discarding it settles it on every laptop.
    resolve_conflict(&mut a, missing[0].id, None).unwrap();
    send(&mut a, &mut b);
    assert!(
        open_conflicts(&mut b)
            .unwrap()
            .iter()
            .all(|c| c.kind != "fehlt")
    );
}

#[test]
fn the_anmeldestelle_moves_places_over_the_capacity_back_and_everyone_sees_who() {
    let mut office = replica();
    let event = event(&mut office, 2);
    let mut desk = replica();
    send(&mut office, &mut desk);
    let event_uid = uid_of(&office, "events", event);
    let event_desk = id_of(&desk, "events", &event_uid);
    // Both laptops fill the two places while apart.
    for n in 1..=2 {
        let p = new_person(&mut office, n);
        assert_eq!(
            register(&mut office, event, p),
            RegistrationStatus::Angemeldet
        );
        let p = new_person(&mut desk, 10 + n);
        assert_eq!(
            register(&mut desk, event_desk, p),
            RegistrationStatus::Angemeldet
        );
    }
    // The desk sees four places taken and says so; it does not move anyone itself.
    let on_desk = send(&mut office, &mut desk);
    assert_eq!(counted(&desk, event_desk), 4);
    assert!(
        on_desk.conflicts.iter().any(|c| c.kind == "kapazitaet"),
        "{:?}",
        on_desk.conflicts
    );
    // The office (Anmeldestelle) moves the two latest back to the waiting list.
    let on_office = send(&mut desk, &mut office);
    assert_eq!(counted(&office, event), 2);
    let moved: Vec<_> = on_office
        .conflicts
        .iter()
        .filter(|c| c.kind == "umgebucht")
        .collect();
    assert_eq!(moved.len(), 2, "{:?}", on_office.conflicts);
    assert!(on_office.conflicts.iter().all(|c| c.kind != "kapazitaet"));
    let on_desk = send(&mut office, &mut desk);
    assert_eq!(counted(&desk, event_desk), 2);
    assert_eq!(
        on_desk
            .conflicts
            .iter()
            .filter(|c| c.kind == "umgebucht")
            .count(),
        2
    );
    assert!(on_desk.conflicts.iter().all(|c| c.kind != "kapazitaet"));
    assert_eq!(
        dump(office.connection()).unwrap(),
        dump(desk.connection()).unwrap()
    );
    let waiting: i64 = desk
        .connection()
        .query_row(
            "SELECT count(*) FROM registrations WHERE status = 'warteliste'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(waiting, 2);
}

#[test]
fn data_from_another_version_is_refused_in_german() {
    let mut a = replica();
    new_person(&mut a, 1);
    let package = export_package(&mut a, None).unwrap();
    let text = String::from_utf8_lossy(&package.bytes).into_owned();
    let own = store::latest_schema_version();
    let newer = text.replacen(
        &format!("\"schema\":{own}"),
        &format!("\"schema\":{}", own + 1),
        1,
    );
    let mut b = replica();
    let err = import_bytes(&mut b, newer.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(err.contains("neuere Tagungsbüro-Version"), "{err}");
    let err = import_bytes(&mut b, b"irgendwas").unwrap_err().to_string();
    assert!(err.contains("keine Abgleichsdatei"), "{err}");
    assert!(dump(b.connection()).unwrap()["persons"].is_empty());
}

#[test]
fn the_same_seed_data_on_two_laptops_merges_without_conflicts() {
    let mut a = replica();
    let mut b = replica();
    crate::imports::seeds::seed_demo(&mut a).unwrap();
    crate::imports::seeds::seed_demo(&mut b).unwrap();
    send(&mut a, &mut b);
    let report = send(&mut b, &mut a);
    assert_eq!(dump(a.connection()).unwrap(), dump(b.connection()).unwrap());
    assert!(
        report
            .conflicts
            .iter()
            .all(|c| c.kind != "fehlt" && c.kind != "doppelt"),
        "{:?}",
        report.conflicts
    );
}

fn outbox(store: &Store) -> i64 {
    store
        .connection()
        .query_row("SELECT count(*) FROM mail_outbox", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_registration_from_another_laptop_queues_its_mail_only_where_it_was_made() {
    let mut a = replica();
    let event = event(&mut a, 10);
    let p = new_person(&mut a, 1);
    register(&mut a, event, p);
    assert_eq!(
        outbox(&a),
        1,
        "the confirmation is queued where the person registered"
    );
    let mut b = replica();
    send(&mut a, &mut b);
    assert_eq!(outbox(&b), 0, "never twice: the outbox stays on its laptop");
    // A status change made on the other laptop queues there, and only there.
    let reg_uid: String = a
        .connection()
        .query_row("SELECT uid FROM registrations", [], |r| r.get(0))
        .unwrap();
    let reg_b = id_of(&b, "registrations", &reg_uid);
    b.write(|tx| registrations::cancel(tx, reg_b, "krank").map(|_| ()))
        .unwrap();
    assert_eq!(outbox(&b), 1);
    send(&mut b, &mut a);
    assert_eq!(outbox(&a), 1);
    assert_eq!(dump(a.connection()).unwrap(), dump(b.connection()).unwrap());
}

#[test]
fn a_shredded_event_stays_shredded_when_an_offline_laptop_writes_to_it() {
    let mut a = replica();
    let event = event(&mut a, 10);
    let p = new_person(&mut a, 1);
    register(&mut a, event, p);
    // The event is over.
    a.write(|tx| {
        tx.execute(
            "UPDATE events SET starts_at = '2020-03-13T10:00:00.000Z',
                 ends_at = '2020-03-13T12:00:00.000Z' WHERE id = ?1",
            [event],
        )?;
        Ok(())
    })
    .unwrap();
    let mut b = replica();
    send(&mut a, &mut b);
    // The office shreds it while the desk, offline, writes a comment and adds a walk-in.
    a.write(|tx| {
        crate::privacy::shred_event(tx, event, crate::privacy::LeftoverPersons::Loeschen)
            .map(|_| ())
    })
    .unwrap();
    let event_b = id_of(&b, "events", &uid_of(&a, "events", event));
    b.write(|tx| {
        tx.execute(
            "UPDATE registrations SET comment = 'vegetarisch, Rollstuhl'",
            [],
        )?;
        Ok(())
    })
    .unwrap();
    let walk_in = new_person(&mut b, 2);
    b.write(|tx| {
        tx.execute(
            "INSERT INTO registrations (uid, event_id, person_id, status, role, source,
                 registered_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'angemeldet', 'teilnehmer', 'vor_ort', ?4, ?4, ?4)",
            rusqlite::params![store::new_uid(), event_b, walk_in, store::now_utc()],
        )?;
        Ok(())
    })
    .unwrap();
    send(&mut b, &mut a);
    send(&mut a, &mut b);
    for store in [&a, &b] {
        let (named, comments, persons): (i64, i64, i64) = store
            .connection()
            .query_row(
                "SELECT (SELECT count(*) FROM registrations WHERE person_id IS NOT NULL),
                        (SELECT count(*) FROM registrations WHERE comment <> ''),
                        (SELECT count(*) FROM persons)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((named, comments, persons), (0, 0, 0));
        let registrations: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM registrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(registrations, 2, "the counts stay, anonymous");
    }
    assert_same(
        &dump(a.connection()).unwrap(),
        &dump(b.connection()).unwrap(),
    );
}

/// Whether any change in the store's chunks ever wrote a text containing `needle`.
pub(super) fn history_holds(store: &Store, needle: &str) -> bool {
    let mut doc = automerge::AutoCommit::new();
    let chunks: Vec<Vec<u8>> = store
        .connection()
        .prepare("SELECT bytes FROM sync_chunks ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for chunk in chunks {
        doc.load_incremental(&chunk).unwrap();
    }
    super::history::tests::history_holds(&mut doc, needle)
}

#[test]
fn an_erased_person_leaves_the_history_of_every_laptop_and_offline_work_survives() {
    let mut office = replica();
    let forum = event(&mut office, 10);
    let erika = new_person(&mut office, 1);
    register(&mut office, forum, erika);
    let mut desk = replica();
    send(&mut office, &mut desk);
    assert!(history_holds(&desk, "p1@example.org"));
    // The desk, offline, registers a walk-in and renames the event; the office erases Erika.
    let walk_in = new_person(&mut desk, 2);
    let forum_desk = id_of(&desk, "events", &uid_of(&office, "events", forum));
    register(&mut desk, forum_desk, walk_in);
    desk.write(|tx| {
        tx.execute("UPDATE events SET title = 'Forum 14 (Einlass)'", [])?;
        Ok(())
    })
    .unwrap();
    let stale = export_package(&mut desk, None).unwrap();
    office
        .write(|tx| crate::privacy::erase_person(tx, erika).map(|_| ()))
        .unwrap();
    after_deletion(&mut office).unwrap();
    assert!(
        !history_holds(&office, "p1@example.org"),
        "gone from the office's log"
    );
    assert!(status(&mut office).unwrap().compacted_at.is_some());
    // The desk's data from before the compaction is not read; the office's is.
    let refused = import_bytes(&mut office, &stale.bytes)
        .unwrap_err()
        .to_string();
    assert!(refused.contains("Verlaufsbereinigung"), "{refused}");
    let report = send(&mut office, &mut desk);
    assert!(report.applied > 0);
    assert!(
        !history_holds(&desk, "p1@example.org"),
        "gone from the desk's log"
    );
    assert!(history_holds(&desk, "p2@example.org"), "the walk-in stays");
    send(&mut desk, &mut office);
    for store in [&office, &desk] {
        let (persons, erika_rows, title): (i64, i64, String) = store
            .connection()
            .query_row(
                "SELECT (SELECT count(*) FROM persons),
                        (SELECT count(*) FROM persons WHERE email = 'p1@example.org'),
                        (SELECT title FROM events)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((persons, erika_rows), (1, 0));
        assert_eq!(title, "Forum 14 (Einlass)");
        let registrations: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM registrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(registrations, 2, "Erika's registration stays, anonymous");
    }
    assert_same(
        &dump(office.connection()).unwrap(),
        &dump(desk.connection()).unwrap(),
    );
    rebuild(&mut desk).unwrap();
    assert_same(
        &dump(office.connection()).unwrap(),
        &dump(desk.connection()).unwrap(),
    );
}

#[test]
fn a_crash_between_an_erasure_and_its_compaction_is_made_good_on_the_next_start() {
    let mut office = replica();
    let erika = new_person(&mut office, 1);
    office
        .write(|tx| crate::privacy::erase_person(tx, erika).map(|_| ()))
        .unwrap();
    // No after_deletion: the process died here. Opening the store again compacts.
    assert!(history_holds(&office, "p1@example.org"));
    attach(&mut office).unwrap();
    assert!(!history_holds(&office, "p1@example.org"));
    let due: Option<String> = office
        .connection()
        .query_row(
            "SELECT value FROM sync_state WHERE key = 'compaction_due'",
            [],
            |r| r.get(0),
        )
        .optional()
        .unwrap();
    assert_eq!(due, None);
}
