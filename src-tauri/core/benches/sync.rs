//! Benchmark of the laptop sync (issue 14).
//!
//! 1. Two laptops share one event, go offline, and each makes 5,000 new registrations (a new
//!    contact and its registration per write, as at the desk). Then one exchange in both
//!    directions: time, bytes on the wire, and that both have all 10,000.
//! 2. A year of the office's work (~40 events, 3,000 registrations, every second one checked
//!    in, one in ten cancelled): the size of the chunk table; then one Art. 17 erasure: the
//!    compaction's time and size, and an offline laptop's rebase onto the new epoch.
//!
//! Run with `cargo bench -p tagungsbuero-core --bench sync`.

use std::path::Path;
use std::time::Instant;

use tagungsbuero_core::events::{self, EventFormat, EventInput, EventStatus, Series};
use tagungsbuero_core::registrations::{self, RegisterInput, attendance};
use tagungsbuero_core::{Store, people, sync};

fn event_input(title: &str, capacity: Option<i64>, day: u32) -> EventInput {
    EventInput {
        title: title.into(),
        series: Series::Forum,
        number: None,
        starts_at: format!("2099-{:02}-{:02} 10:00", 1 + day / 28 % 12, 1 + day % 28),
        ends_at: format!("2099-{:02}-{:02} 16:00", 1 + day / 28 % 12, 1 + day % 28),
        format: EventFormat::Praesenz,
        venue: String::new(),
        online_link: String::new(),
        capacity,
        registration_deadline: None,
        description: String::new(),
        status: EventStatus::Offen,
        organiser: String::new(),
        funding_note: String::new(),
    }
}

fn open(path: &Path) -> Store {
    let mut store = Store::open(path).unwrap();
    sync::attach(&mut store).unwrap();
    store
}

/// One write: a new contact and its registration.
fn register_new(store: &mut Store, event: i64, tag: &str, n: usize) -> i64 {
    store
        .write(|tx| {
            let person = people::create_person(
                tx,
                &people::PersonInput {
                    first_name: format!("Vorname{n}"),
                    last_name: format!("Nachname{tag}{n}"),
                    ort: "Dortmund".into(),
                    email: format!("{tag}{n}@example.org"),
                    ..people::PersonInput::default()
                },
            )?;
            Ok(
                registrations::register(tx, &RegisterInput::existing(event, person.id))?
                    .registration
                    .registration_id,
            )
        })
        .unwrap()
}

fn chunk_bytes(store: &Store) -> (i64, i64) {
    store
        .connection()
        .query_row(
            "SELECT count(*), ifnull(sum(length(bytes)), 0) FROM sync_chunks",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

fn count(store: &Store, table: &str) -> i64 {
    store
        .connection()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn two_laptops(dir: &Path, per_laptop: usize) {
    let mut a = open(&dir.join("a.db"));
    let mut b = open(&dir.join("b.db"));
    let event = a
        .write(|tx| events::create(tx, event_input("Tag der Städtepartnerschaften", None, 0)))
        .unwrap()
        .id;
    let first = sync::export_package(&mut a, None).unwrap();
    sync::import_bytes(&mut b, &first.bytes).unwrap();
    let b_event: i64 = b
        .connection()
        .query_row("SELECT id FROM events", [], |r| r.get(0))
        .unwrap();
    let a_id = sync::laptop_id(a.connection()).unwrap();
    let b_id = sync::laptop_id(b.connection()).unwrap();
    // B has told A what it has (the first import), A learns B's state from a file of B.
    let hello = sync::export_package(&mut b, None).unwrap();
    sync::import_bytes(&mut a, &hello.bytes).unwrap();

    let started = Instant::now();
    for n in 0..per_laptop {
        register_new(&mut a, event, "a", n);
        register_new(&mut b, b_event, "b", n);
    }
    let offline = started.elapsed();

    let started = Instant::now();
    let to_b = sync::export_package(&mut a, Some(&b_id)).unwrap();
    let to_a = sync::export_package(&mut b, Some(&a_id)).unwrap();
    let on_b = sync::import_bytes(&mut b, &to_b.bytes).unwrap();
    let on_a = sync::import_bytes(&mut a, &to_a.bytes).unwrap();
    let exchange = started.elapsed();
    assert_eq!(count(&a, "registrations"), 2 * per_laptop as i64);
    assert_eq!(
        sync::dump(a.connection()).unwrap(),
        sync::dump(b.connection()).unwrap()
    );
    println!(
        "Zwei Laptops mit je {per_laptop} neuen Anmeldungen (offline {:.1} s für {} Schreibvorgänge):",
        offline.as_secs_f64(),
        2 * per_laptop
    );
    println!(
        "  ein Austausch in beide Richtungen: {:.2} s, {} + {} Bytes ({} + {} Änderungen), danach je {} Anmeldungen, Konflikte: {}",
        exchange.as_secs_f64(),
        to_b.bytes.len(),
        to_a.bytes.len(),
        on_b.applied,
        on_a.applied,
        count(&a, "registrations"),
        on_a.conflicts.len() + on_b.conflicts.len()
    );
    let (chunks, bytes) = chunk_bytes(&a);
    println!(
        "  Änderungsprotokoll danach: {chunks} Einträge, {:.1} MB",
        bytes as f64 / 1e6
    );
}

fn a_year(dir: &Path) {
    let path = dir.join("jahr.db");
    let mut store = open(&path);
    let events: Vec<i64> = (0..40)
        .map(|i| {
            store
                .write(|tx| {
                    events::create(tx, event_input(&format!("Veranstaltung {i}"), Some(200), i))
                })
                .unwrap()
                .id
        })
        .collect();
    let mut regs = Vec::new();
    for n in 0..3_000 {
        regs.push(register_new(&mut store, events[n % 40], "j", n));
    }
    for (i, reg) in regs.iter().enumerate() {
        if i % 2 == 0 {
            store
                .write(|tx| attendance::check_in(tx, *reg, None))
                .unwrap();
        } else if i % 10 == 1 {
            store
                .write(|tx| registrations::cancel(tx, *reg, "abgesagt"))
                .unwrap();
        }
    }
    let (chunks, bytes) = chunk_bytes(&store);
    let file = std::fs::metadata(&path).unwrap().len();
    println!(
        "Ein Jahr (40 Veranstaltungen, 3.000 Anmeldungen, 1.500 Check-ins, 150 Stornos): Änderungsprotokoll {chunks} Einträge, {:.1} MB; Datenbankdatei {:.1} MB",
        bytes as f64 / 1e6,
        file as f64 / 1e6
    );
    compaction(dir, &mut store);
}

/// The year's log after one Art. 17 erasure: the compaction (fresh epoch, vacuum) and what a
/// second laptop that was offline needs to take it over (rebase onto the new epoch).
fn compaction(dir: &Path, store: &mut Store) {
    let desk_path = dir.join("einlass.db");
    let mut desk = open(&desk_path);
    let full = sync::export_package(store, None).unwrap();
    sync::import_bytes(&mut desk, &full.bytes).unwrap();
    let event: i64 = desk
        .connection()
        .query_row("SELECT id FROM events ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    for n in 0..20 {
        register_new(&mut desk, event, "d", n);
    }
    let person: i64 = store
        .connection()
        .query_row("SELECT id FROM persons ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let started = Instant::now();
    store
        .write(|tx| tagungsbuero_core::privacy::erase_person(tx, person).map(|_| ()))
        .unwrap();
    sync::after_deletion(store).unwrap();
    let compacted = started.elapsed();
    let (chunks, bytes) = chunk_bytes(store);
    let started = Instant::now();
    let package = sync::export_package(store, None).unwrap();
    sync::import_bytes(&mut desk, &package.bytes).unwrap();
    let back = sync::export_package(&mut desk, None).unwrap();
    sync::import_bytes(store, &back.bytes).unwrap();
    let rebased = started.elapsed();
    assert_eq!(
        sync::dump(store.connection()).unwrap(),
        sync::dump(desk.connection()).unwrap()
    );
    println!(
        "  nach einer Löschung (Art. 17) verdichtet in {:.2} s: {chunks} Einträge, {:.1} MB; ein Laptop mit 20 Offline-Anmeldungen übernimmt den neuen Verlauf (und gibt seine zurück) in {:.2} s, {:.1} MB über die Leitung",
        compacted.as_secs_f64(),
        bytes as f64 / 1e6,
        rebased.as_secs_f64(),
        (package.bytes.len() + back.bytes.len()) as f64 / 1e6
    );
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    two_laptops(dir.path(), 5_000);
    a_year(dir.path());
}
