//! Benchmark of the registration desk on a large contact base (issue 3):
//! 100,000 persons and 5,000 registrations; type-ahead search (goal p99 < 15 ms), registering
//! one person (goal < 5 ms), opening an event with 1,000 registrations (goal < 50 ms) and the
//! list of likely duplicates over all persons (goal < 2 s).
//!
//! Run with `cargo bench -p tagungsbuero-core --bench registration_desk`.

use std::time::{Duration, Instant};

use rusqlite::params;
use tagungsbuero_core::events::{self, EventFormat, EventInput, EventStatus, Series};
use tagungsbuero_core::registrations::{self, RegisterInput};
use tagungsbuero_core::{Store, overview, people};

const PERSONS: usize = 100_000;
const EVENTS: usize = 5;
const REGISTRATIONS_PER_EVENT: usize = 1_000;

const FIRST: &[&str] = &[
    "Anna",
    "Jürgen",
    "Zofia",
    "Mehmet",
    "Claire",
    "Olena",
    "Bernd",
    "Ute",
    "Hans-Peter",
    "Sabine",
    "Thomas",
    "Fatma",
    "Łukasz",
    "Inge",
    "Karl",
    "Marie",
    "Dmytro",
    "Petra",
    "Stefan",
    "Jörg",
];
const LAST: &[&str] = &[
    "Müller",
    "Schmitz",
    "Weiß",
    "Nowak",
    "Yılmaz",
    "Kowalski",
    "Schäfer",
    "Becker",
    "Hoffmann",
    "Krüger",
    "Dubois",
    "Koch",
    "Wagner",
    "Schröder",
    "Kovalenko",
    "Lehmann",
    "Brand",
    "Jansen",
    "Özdemir",
    "Großmann",
    "Richter",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Hartmann",
];
const ORTE: &[&str] = &[
    "Köln",
    "Dortmund",
    "Hürth",
    "Bocholt",
    "Lüdenscheid",
    "Mönchengladbach",
    "Düsseldorf",
    "Münster",
    "Bonn",
    "Essen",
    "Duisburg",
    "Bielefeld",
    "Gütersloh",
    "Versmold",
    "Unna",
];

fn event_input(i: usize) -> EventInput {
    EventInput {
        title: format!("{}. Forum Städtepartnerschaften NRW", 20 + i),
        series: Series::Forum,
        number: Some(20 + i as i64),
        starts_at: format!("2030-0{}-10 11:00", i + 1),
        ends_at: format!("2030-0{}-10 13:00", i + 1),
        format: EventFormat::Online,
        venue: String::new(),
        online_link: String::new(),
        capacity: Some(REGISTRATIONS_PER_EVENT as i64 + 100),
        registration_deadline: None,
        description: String::new(),
        status: EventStatus::Offen,
        organiser: String::new(),
        funding_note: String::new(),
    }
}

/// Fills the store with the persons (bulk insert, as an import would) and registrations.
fn populate(store: &mut Store) -> Vec<i64> {
    store
        .write(|tx| {
            let mut insert = tx.prepare(
                "INSERT INTO persons (uid, first_name, last_name, ort, email, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            )?;
            for i in 0..PERSONS {
                let first = FIRST[i % FIRST.len()];
                let last = format!("{}{}", LAST[(i / FIRST.len()) % LAST.len()], i / (FIRST.len() * LAST.len()));
                let ort = ORTE[(i / 7) % ORTE.len()];
                // Addresses as people have them: first.last@domain (tokens are names).
                let email = format!("{first}.{last}@example.org").to_lowercase();
                insert.execute(params![format!("bench-{i}"), first, last, ort, email])?;
            }
            Ok(())
        })
        .expect("persons");
    let mut event_ids = Vec::new();
    for e in 0..EVENTS {
        let id = store
            .write(|tx| events::create(tx, event_input(e)))
            .unwrap()
            .id;
        store
            .write(|tx| {
                for r in 0..REGISTRATIONS_PER_EVENT {
                    let person_id =
                        (e * REGISTRATIONS_PER_EVENT + r) as i64 * 7 % PERSONS as i64 + 1;
                    registrations::register(tx, &RegisterInput::existing(id, person_id))?;
                }
                Ok(())
            })
            .unwrap();
        event_ids.push(id);
    }
    event_ids
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(name: &str, mut samples: Vec<Duration>, goal: Duration) {
    samples.sort();
    let (p50, p99) = (percentile(&samples, 0.5), percentile(&samples, 0.99));
    let verdict = if p99 < goal { "erreicht" } else { "VERFEHLT" };
    println!(
        "{name:<42} n={:>5}  p50 {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms  (Ziel {} ms: {verdict})",
        samples.len(),
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        samples.last().unwrap().as_secs_f64() * 1e3,
        goal.as_millis()
    );
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let value = f();
    (start.elapsed(), value)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("bench.db")).unwrap();
    let (setup, event_ids) = time(|| populate(&mut store));
    println!(
        "Aufbau: {PERSONS} Personen, {} Anmeldungen in {:.1} s",
        EVENTS * REGISTRATIONS_PER_EVENT,
        setup.as_secs_f64()
    );

    // What the assistant types, one keystroke at a time: every prefix is a query.
    let typed = [
        "Müller12",
        "koln schm",
        "mueller",
        "Weiß",
        "nowak dortm",
        "anna.müller12@ex",
        "Jörg Gro",
        "hür",
    ];
    let mut search = Vec::new();
    for _ in 0..20 {
        for word in typed {
            for end in word.char_indices().map(|(i, c)| i + c.len_utf8()) {
                let (d, hits) =
                    time(|| people::search(store.connection(), &word[..end], 8).unwrap());
                assert!(hits.len() <= 8);
                if std::env::var_os("BENCH_SLOW").is_some() && d > Duration::from_millis(10) {
                    eprintln!("slow: {:?} {:?}", &word[..end], d);
                }
                search.push(d);
            }
        }
    }
    report(
        "Type-ahead-Suche (8 Treffer)",
        search,
        Duration::from_millis(15),
    );

    let mut register = Vec::new();
    for i in 0..500 {
        let person_id = (i * 13 + 3) as i64 % PERSONS as i64 + 1;
        let event_id = event_ids[i % EVENTS];
        let (d, result) = time(|| {
            store.write(|tx| {
                registrations::register(tx, &RegisterInput::existing(event_id, person_id))
            })
        });
        if result.is_ok() {
            register.push(d);
        }
    }
    report(
        "Eine Person anmelden (Transaktion)",
        register,
        Duration::from_millis(5),
    );

    let mut open = Vec::new();
    for _ in 0..50 {
        let (d, detail) = time(|| store.read(|c| overview::detail(c, event_ids[0])).unwrap());
        assert!(detail.registrations.len() >= REGISTRATIONS_PER_EVENT);
        open.push(d);
    }
    report(
        "Veranstaltung mit 1.000 Anmeldungen öffnen",
        open,
        Duration::from_millis(50),
    );

    // The "Dubletten" list of Kontakte groups all persons by folded name and Ort (issue 8).
    let mut pairs = Vec::new();
    for _ in 0..5 {
        let (d, found) = time(|| people::duplicate_pairs(store.connection(), 200).unwrap());
        assert!(found.len() <= 200);
        pairs.push(d);
    }
    report(
        "Dubletten-Liste (alle Personen)",
        pairs,
        Duration::from_millis(2000),
    );

    // Opening runs the guard, the read-only inspection and `PRAGMA quick_check` every time.
    let path = dir.path().join("bench.db");
    drop(store);
    let size_mb = std::fs::metadata(&path).map_or(0.0, |m| m.len() as f64 / 1e6);
    let mut reopen = Vec::new();
    for _ in 0..10 {
        let (d, reopened) = time(|| Store::open(&path).unwrap());
        drop(reopened);
        reopen.push(d);
    }
    println!("Datenbankdatei: {size_mb:.1} MB");
    report(
        "Datenbank öffnen (Sperre, quick_check)",
        reopen,
        Duration::from_millis(1000),
    );
}
