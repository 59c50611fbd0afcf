//! Benchmark: the "Auswertung" of a year with 40 events and 10,000 registrations (4,000 persons
//! from 600 organisations — 300 Kommunen and 31 Kreise linked to their entries —, attendance
//! for 85 %, 6,000 wishes in 12 topics).
//!
//! Measures the median of several runs of
//! - `reporting::statistics` (everything the screen shows after a click: one read),
//! - `reporting::drill` for an organisation kind (the list behind a bar),
//! - `reporting::annual_report_bytes` (the Jahresbericht workbook in memory).
//!
//! The target is under 300 ms for the screen's query part. Run with
//! `cargo bench -p tagungsbuero-core --bench reporting`.

use std::time::{Duration, Instant};

use rusqlite::params;
use tagungsbuero_core::Store;
use tagungsbuero_core::error::CoreResult;
use tagungsbuero_core::municipalities;
use tagungsbuero_core::reporting::{self, DrillKey, StatsFilter};

const EVENTS: usize = 40;
const REGISTRATIONS: usize = 10_000;
const PERSONS: usize = 4_000;
const ORGANISATIONS: usize = 600;
const RUNS: usize = 9;
const TOPICS: [&str; 12] = [
    "Jugendaustausch",
    "Fördermittel",
    "Ukraine",
    "Frankreich",
    "Nachwuchs im Verein",
    "Digitalisierung",
    "Klimapartnerschaften",
    "Öffentlichkeitsarbeit",
    "Polen",
    "Städtenetzwerke",
    "Bürgerbegegnungen",
    "Schulpartnerschaften",
];

fn build(store: &mut Store) -> CoreResult<()> {
    store.write(|tx| {
        let now = "2025-01-01T00:00:00.000Z";
        let kommunen = municipalities::kommunen();
        let kreise = municipalities::kreise();
        for o in 0..ORGANISATIONS {
            let (name, kind, ags) = if o < 300 {
                let k = &kommunen[o];
                (format!("Stadt {} ({o})", k.name), "kommune", Some(k.ags.clone()))
            } else if o < 331 {
                let k = &kreise[o - 300];
                (format!("{} ({o})", k.name), "kreis", Some(k.key.clone()))
            } else {
                (format!("Partnerschaftsverein Nr. {o}"), "verein", None)
            };
            tx.execute(
                "INSERT INTO organisations (uid, name, kind, ags, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![format!("org-{o}"), name, kind, ags, now],
            )?;
            let id = tx.last_insert_rowid();
            for (i, country) in ["Frankreich", "Polen", "Ukraine", "Türkei", "Israel"]
                .iter()
                .enumerate()
                .filter(|(i, _)| (o + i) % 3 == 0)
            {
                tx.execute(
                    "INSERT INTO partner_towns (uid, organisation_id, town, country, position, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                    params![format!("town-{o}-{i}"), id, format!("Partnerstadt {o}-{i}"), country, i as i64, now],
                )?;
            }
        }
        for p in 0..PERSONS {
            tx.execute(
                "INSERT INTO persons (uid, first_name, last_name, organisation_id, email, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![
                    format!("person-{p}"),
                    "Vorname",
                    format!("Nachname {p}"),
                    (p % (ORGANISATIONS + 50) < ORGANISATIONS).then_some((p % ORGANISATIONS) as i64 + 1),
                    format!("p{p}@example.org"),
                    now
                ],
            )?;
        }
        let per_event = REGISTRATIONS / EVENTS;
        let mut wish = 0;
        for e in 0..EVENTS {
            let series = ["forum", "tag", "training", "other"][e % 4];
            let day = format!("2025-{:02}-{:02}", 1 + e % 12, 3 + (e / 12) * 7);
            tx.execute(
                "INSERT INTO events (uid, title, series, number, starts_at, ends_at, format, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'abgeschlossen', ?8, ?8)",
                params![
                    format!("event-{e}"),
                    format!("Veranstaltung {e}"),
                    series,
                    e as i64 + 1,
                    format!("{day}T09:00:00Z"),
                    format!("{day}T15:00:00Z"),
                    ["online", "praesenz", "hybrid"][e % 3],
                    now
                ],
            )?;
            let event_id = tx.last_insert_rowid();
            let mut clusters = Vec::new();
            for (t, topic) in TOPICS.iter().enumerate() {
                tx.execute(
                    "INSERT INTO wish_clusters (uid, event_id, label, origin, position, created_at, updated_at)
                     VALUES (?1, ?2, ?3, 'catalogue', ?4, ?5, ?5)",
                    params![format!("cluster-{e}-{t}"), event_id, topic, t as i64, now],
                )?;
                clusters.push(tx.last_insert_rowid());
            }
            for r in 0..per_event {
                let person = (e * per_event + r * 7) % PERSONS;
                let status = match r % 20 {
                    0 => "storniert",
                    1 => "warteliste",
                    _ => "angemeldet",
                };
                let position = (status == "warteliste").then_some(r as i64 + 1);
                let inserted = tx.execute(
                    "INSERT OR IGNORE INTO registrations (uid, event_id, person_id, status, waitlist_position, first_time, registered_at, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?7)",
                    params![format!("reg-{e}-{r}"), event_id, person as i64 + 1, status, position, (r % 5 == 0) as i64, now],
                )?;
                if inserted == 0 {
                    continue;
                }
                let registration = tx.last_insert_rowid();
                if status == "angemeldet" && r % 7 != 0 {
                    tx.execute(
                        "INSERT INTO attendance (uid, registration_id, day, state, recorded_at, created_at, updated_at)
                         VALUES (?1, ?2, ?3, 'anwesend', ?4, ?4, ?4)",
                        params![format!("att-{e}-{r}"), registration, day, now],
                    )?;
                }
                if r % 5 < 3 {
                    tx.execute(
                        "INSERT INTO wishes (uid, event_id, registration_id, text, cluster_id, assignment, position, created_at, updated_at)
                         VALUES (?1, ?2, ?3, 'Mehr Austausch', ?4, 'auto', ?5, ?6, ?6)",
                        params![format!("wish-{wish}"), event_id, registration, clusters[(r * (e + 1)) % TOPICS.len()], r as i64, now],
                    )?;
                    wish += 1;
                }
            }
        }
        Ok(())
    })
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn measure<T>(label: &str, mut run: impl FnMut() -> CoreResult<T>) -> CoreResult<Duration> {
    run()?; // warm the statement cache and the page cache
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        run()?;
        times.push(started.elapsed());
    }
    let m = median(times);
    println!("{label:<52} Median {:>7.1} ms", m.as_secs_f64() * 1000.0);
    Ok(m)
}

fn main() -> CoreResult<()> {
    let dir =
        std::env::temp_dir().join(format!("tagungsbuero-bench-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let started = Instant::now();
    let mut store = Store::open(&dir.join("bench.db"))?;
    build(&mut store)?;
    let filter = StatsFilter::year(2025);
    let (registrations, events) = store.read(|c| {
        Ok((
            c.query_row("SELECT count(*) FROM registrations", [], |r| {
                r.get::<_, i64>(0)
            })?,
            c.query_row("SELECT count(*) FROM events", [], |r| r.get::<_, i64>(0))?,
        ))
    })?;
    println!(
        "Testdaten: {events} Veranstaltungen, {registrations} Anmeldungen in {:.1} s angelegt",
        started.elapsed().as_secs_f64()
    );
    let stats = store.read(|c| reporting::statistics(c, &filter))?;
    println!(
        "Ergebnis: {} anwesend, {} Personen, {} von 396 Kommunen, {} von 31 Kreisen, {} Themen",
        stats.present,
        stats.distinct_persons,
        stats.kommunen_reached,
        stats.kreise_reached,
        stats.topics.len()
    );
    let screen = measure("Auswertung (reporting::statistics, ein Jahr)", || {
        store.read(|c| reporting::statistics(c, &filter))
    })?;
    measure("Drill-down (Personen einer Organisationsart)", || {
        store.read(|c| reporting::drill(c, &filter, &DrillKey::OrganisationKind("kommune".into())))
    })?;
    measure("Jahresbericht (xlsx im Speicher, ohne Abfrage)", || {
        reporting::annual_report_bytes(&stats)
    })?;
    println!(
        "Ziel < 300 ms für die Auswertung: {}",
        if screen < Duration::from_millis(300) {
            "erreicht"
        } else {
            "VERFEHLT"
        }
    );
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
