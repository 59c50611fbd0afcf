//! Benchmark of the registrations import (issue 9): 10,000 form rows into one event against
//! 100,000 existing persons, dedupe included — 30 % of the rows are known e-mails, 5 % share
//! name and Ort with a stored person under another e-mail (review), 2 % are re-submissions
//! within the file. Also 2,500 and 5,000 rows to show the growth is linear, and a preview
//! (rolled-back run) of the full file. Prints the time and the peak memory (VmHWM).
//!
//! Run with `cargo bench -p tagungsbuero-core --bench imports`.

use std::time::Instant;

use rusqlite::params;
use tagungsbuero_core::Store;
use tagungsbuero_core::events::{self, EventFormat, EventInput, EventStatus, Series};
use tagungsbuero_core::imports::{self, ImportRequest, ImportTarget, read};

const PERSONS: usize = 100_000;
const ORTE: &[&str] = &[
    "Köln", "Dortmund", "Hürth", "Bocholt", "Unna", "Münster", "Bonn", "Essen",
];

fn populate(store: &mut Store) {
    store
        .write(|tx| {
            let mut insert = tx.prepare(
                "INSERT INTO persons (uid, first_name, last_name, ort, email, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            )?;
            for i in 0..PERSONS {
                insert.execute(params![
                    format!("bench-{i}"),
                    format!("Vorname{i}"),
                    format!("Müller{i}"),
                    ORTE[i % ORTE.len()],
                    format!("person{i}@example.org"),
                ])?;
            }
            Ok(())
        })
        .expect("persons");
}

fn event(store: &mut Store, n: usize) -> i64 {
    store
        .write(|tx| {
            events::create(
                tx,
                EventInput {
                    title: format!("Bench-Forum {n}"),
                    series: Series::Forum,
                    number: Some(n as i64 + 100),
                    starts_at: "2030-03-13 10:00".into(),
                    ends_at: "2030-03-13 12:00".into(),
                    format: EventFormat::Online,
                    venue: String::new(),
                    online_link: String::new(),
                    capacity: Some(8_000),
                    registration_deadline: None,
                    description: String::new(),
                    status: EventStatus::Offen,
                    organiser: String::new(),
                    funding_note: String::new(),
                },
            )
        })
        .unwrap()
        .id
}

/// A Google-Forms-like export with `rows` rows.
fn form_export(rows: usize, offset: usize) -> Vec<u8> {
    let mut text = String::from(
        "Zeitstempel,E-Mail-Adresse,Vorname,Nachname,Organisation,Ort,Ihre Wünsche für den heutigen Austausch,Datenschutz\n",
    );
    for r in 0..rows {
        let i = r + offset;
        let (first, last, ort, email) = match r % 100 {
            // A known e-mail (written in another case).
            0..30 => {
                let p = (i * 7) % PERSONS;
                (
                    format!("Vorname{p}"),
                    format!("Müller{p}"),
                    ORTE[p % ORTE.len()].to_owned(),
                    format!("Person{p}@Example.org"),
                )
            }
            // Same name and Ort as a stored person, another e-mail: a review case.
            30..35 => {
                let p = (i * 13) % PERSONS;
                (
                    format!("Vorname{p}"),
                    format!("Müller{p}"),
                    ORTE[p % ORTE.len()].to_owned(),
                    format!("neu{i}@example.net"),
                )
            }
            // A re-submission of the previous row.
            50..52 => (
                format!("Neu{}", i - 1),
                format!("Person{}", i - 1),
                "Köln".to_owned(),
                format!("neu{}@example.com", i - 1),
            ),
            _ => (
                format!("Neu{i}"),
                format!("Person{i}"),
                "Köln".to_owned(),
                format!("neu{i}@example.com"),
            ),
        };
        text.push_str(&format!(
            "2025/02/14 9:{:02}:33 AM MEZ,{email},{first},{last},Verein {},{ort},Mehr Austausch mit Partnerstädten,Ja\n",
            r % 60,
            i % 500
        ));
    }
    text.into_bytes()
}

/// Peak resident memory of this process in MB (Linux).
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("bench.db")).unwrap();
    let start = Instant::now();
    populate(&mut store);
    println!(
        "Aufbau: {PERSONS} Personen in {:.1} s, Spitzenspeicher {:.0} MB",
        start.elapsed().as_secs_f64(),
        peak_mb()
    );
    let mut offset = 0;
    for (n, rows) in [2_500, 5_000, 10_000].into_iter().enumerate() {
        let event_id = event(&mut store, n);
        let bytes = form_export(rows, offset);
        offset += rows;
        let request = ImportRequest {
            target: Some(ImportTarget::Registrations),
            event_id: Some(event_id),
            ..ImportRequest::default()
        };
        let start = Instant::now();
        let file = read::read_bytes("anmeldungen.csv", &bytes).unwrap();
        let read_time = start.elapsed();
        if rows == 10_000 {
            let start = Instant::now();
            let preview = imports::preview(&mut store, &file, &request, &mut |_, _| {}).unwrap();
            println!(
                "Vorschau {rows:>6} Zeilen: {:>6.2} s ({} Prüffälle)",
                start.elapsed().as_secs_f64(),
                preview.review.len()
            );
        }
        let start = Instant::now();
        let report = imports::import(&mut store, &file, &request, &mut |_, _| {}).unwrap();
        let elapsed = start.elapsed() + read_time;
        println!(
            "Import  {rows:>6} Zeilen: {:>6.2} s ({:>5.0} µs/Zeile; lesen {:.2} s) – {} importiert, {} neu, {} bekannt, {} Prüffälle, {} übersprungen; Spitzenspeicher {:.0} MB",
            elapsed.as_secs_f64(),
            elapsed.as_secs_f64() * 1e6 / rows as f64,
            read_time.as_secs_f64(),
            report.imported,
            report.new_persons,
            report.matched_persons,
            report.review.len(),
            report.skipped,
            peak_mb()
        );
    }
}
