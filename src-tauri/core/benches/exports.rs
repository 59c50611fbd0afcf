//! Benchmark: the Teilnehmendenliste of 10,000 registrations (default columns: 13 columns plus
//! one attendance column per day of a two-day event with workshops).
//!
//! Measures the median of several runs of
//! - `registrations::list` (loading the rows from SQLite),
//! - `exports::render` for xlsx (load + build + write the workbook in memory),
//! - the same written to a file with `exports::export_to_file`,
//!
//! and, when `python3` with openpyxl is available, runs `tests/bench/openpyxl_participants.py`,
//! which writes the same rows and formats (Excel table with banded rows and autofilter, frozen
//! header, column widths, dates as TT.MM.JJJJ, landscape page setup) with openpyxl, and prints
//! the ratio. Run with `cargo bench -p tagungsbuero-core --bench exports`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tagungsbuero_core::Store;
use tagungsbuero_core::error::CoreResult;
use tagungsbuero_core::events::{self, EventFormat, EventInput, EventStatus, Series};
use tagungsbuero_core::exports::{self, ExportRequest, ProtectedPaths};
use tagungsbuero_core::people::{self, OrgKind, OrganisationInput, PersonInput};
use tagungsbuero_core::registrations::attendance::{self, AttendanceState};
use tagungsbuero_core::registrations::sessions::{self, SessionInput};
use tagungsbuero_core::registrations::{self, RegisterInput, Role, Source};

const REGISTRATIONS: usize = 10_000;
const RUNS: usize = 7;

const FIRST_NAMES: [&str; 12] = [
    "Jürgen",
    "Ösgür",
    "Anna-Lena",
    "Élodie",
    "Małgorzata",
    "Sven",
    "Ingrid",
    "Hans-Peter",
    "Olena",
    "Mustafa",
    "Claudia",
    "Björn",
];
const LAST_NAMES: [&str; 12] = [
    "Müller",
    "Schäfer",
    "Weiß",
    "Öztürk",
    "Kowalczyk",
    "Brinkmann",
    "de Vries",
    "Hoffmann",
    "Schulze Hessing",
    "Lefèvre",
    "Kovalenko",
    "Zimmermann",
];
const TOWNS: [(&str, &str); 8] = [
    ("Dortmund", ""),
    ("Hürth", "Rhein-Erft-Kreis"),
    ("Versmold", "Kreis Gütersloh"),
    ("Billerbeck", "Kreis Coesfeld"),
    ("Mönchengladbach", ""),
    ("Lüdenscheid", "Märkischer Kreis"),
    ("Bocholt", "Kreis Borken"),
    ("Kleve", "Kreis Kleve"),
];

fn main() -> CoreResult<()> {
    let dir = std::env::temp_dir().join(format!("tagungsbuero-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let started = Instant::now();
    let mut store = Store::open(&dir.join("bench.db"))?;
    let event_id = build_event(&mut store)?;
    println!(
        "Testdaten: {REGISTRATIONS} Anmeldungen in {:.1} s angelegt",
        started.elapsed().as_secs_f64()
    );

    let request = ExportRequest::new("participants", event_id);
    let load = median(|| {
        store.read(|conn| registrations::list(conn, event_id))?;
        Ok(())
    })?;
    let render = median(|| {
        store.read(|conn| exports::render(conn, &request))?;
        Ok(())
    })?;
    let xlsx = dir.join("teilnehmende.xlsx");
    let to_file = median(|| {
        exports::export_to_file(&mut store, &request, &xlsx, &ProtectedPaths::new())?;
        Ok(())
    })?;
    let size = std::fs::metadata(&xlsx)?.len();
    println!("registrations::list          Median {:>8.1} ms", ms(load));
    println!("exports::render (xlsx)       Median {:>8.1} ms", ms(render));
    println!(
        "exports::export_to_file      Median {:>8.1} ms ({} KB)",
        ms(to_file),
        size / 1024
    );
    println!(
        "  davon Tabelle + Excel-Datei       {:>8.1} ms (render − list)",
        ms(render.saturating_sub(load))
    );
    compare_with_openpyxl(&mut store, event_id, &dir, to_file)?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median wall time of [`RUNS`] runs after one warm-up run.
fn median(mut run: impl FnMut() -> CoreResult<()>) -> CoreResult<Duration> {
    run()?;
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        run()?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok(times[RUNS / 2])
}

/// A two-day event with two workshops and 10,000 registrations, half present on day one.
fn build_event(store: &mut Store) -> CoreResult<i64> {
    store.write(|tx| {
        let event = events::create(tx, event_input())?;
        let workshops = [
            session(tx, event.id, "Workshop A: Fördermittel", "2025-09-26 13:00")?,
            session(
                tx,
                event.id,
                "Workshop B: Jugendaustausch",
                "2025-09-27 13:00",
            )?,
        ];
        let organisations = organisations(tx)?;
        for i in 0..REGISTRATIONS {
            let person = people::create_person(tx, &person_input(i, &organisations))?;
            let mut input = RegisterInput::existing(event.id, person.id);
            input.first_time = i.is_multiple_of(3);
            input.role = if i.is_multiple_of(50) {
                Role::Referent
            } else {
                Role::Teilnehmer
            };
            input.source = Source::Formular;
            input.session_ids = vec![workshops[i % 2]];
            let registration = registrations::register(tx, &input)?.registration;
            if i.is_multiple_of(2) {
                attendance::set_attendance(
                    tx,
                    registration.registration_id,
                    Some("2025-09-26"),
                    None,
                    AttendanceState::Anwesend,
                )?;
            }
        }
        Ok(event.id)
    })
}

fn event_input() -> EventInput {
    EventInput {
        title: "7. Tag der Städtepartnerschaften".into(),
        series: Series::Tag,
        number: Some(7),
        starts_at: "2025-09-26 10:00".into(),
        ends_at: "2025-09-27 16:00".into(),
        format: EventFormat::Praesenz,
        venue: "Dortmund".into(),
        online_link: String::new(),
        capacity: None,
        registration_deadline: None,
        description: String::new(),
        status: EventStatus::Offen,
        organiser: "Netzwerkstelle Städtepartnerschaften NRW".into(),
        funding_note: String::new(),
    }
}

fn session(
    tx: &rusqlite::Transaction<'_>,
    event_id: i64,
    name: &str,
    starts: &str,
) -> CoreResult<i64> {
    let ends = format!("{} 15:00", &starts[..10]);
    let input = SessionInput {
        name: name.into(),
        starts_at: starts.into(),
        ends_at: ends,
        room: "Saal 1".into(),
        capacity: None,
    };
    Ok(sessions::create_session(tx, event_id, &input)?.id)
}

fn organisations(tx: &rusqlite::Transaction<'_>) -> CoreResult<Vec<i64>> {
    let kinds = [
        OrgKind::Kommune,
        OrgKind::Verein,
        OrgKind::Kreis,
        OrgKind::Bildung,
    ];
    (0..40)
        .map(|i| {
            let (ort, kreis) = TOWNS[i % TOWNS.len()];
            let input = OrganisationInput {
                name: format!("Partnerschaftsverein {ort} Nr. {i} e.V."),
                kind: kinds[i % kinds.len()],
                ort: ort.into(),
                kreis: kreis.into(),
                partner_towns: Vec::new(),
                ags: None,
            };
            Ok(people::create_organisation(tx, &input)?.id)
        })
        .collect()
}

fn person_input(i: usize, organisations: &[i64]) -> PersonInput {
    let first = FIRST_NAMES[i % FIRST_NAMES.len()];
    let last = LAST_NAMES[(i / FIRST_NAMES.len()) % LAST_NAMES.len()];
    PersonInput {
        salutation: if i.is_multiple_of(2) { "Frau" } else { "Herr" }.into(),
        first_name: first.into(),
        last_name: last.into(),
        organisation_id: (!i.is_multiple_of(7)).then(|| organisations[i % organisations.len()]),
        ort: TOWNS[i % TOWNS.len()].0.into(),
        email: format!("person{i}@example.org"),
        phone: format!("+49 231 {i:06}"),
        ..PersonInput::default()
    }
}

/// Runs the openpyxl script on the same rows (exported as CSV) and prints both figures.
fn compare_with_openpyxl(
    store: &mut Store,
    event_id: i64,
    dir: &Path,
    rust: Duration,
) -> CoreResult<()> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/bench/openpyxl_participants.py");
    let has_openpyxl = Command::new("python3")
        .args(["-c", "import openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_openpyxl {
        println!(
            "openpyxl: nicht verfügbar (python3 -m pip install openpyxl), Vergleich übersprungen"
        );
        return Ok(());
    }
    let csv = dir.join("teilnehmende.csv");
    let mut request = ExportRequest::new("participants", event_id);
    request.options.insert("format".into(), "csv".into());
    exports::export_to_file(store, &request, &csv, &ProtectedPaths::new())?;
    let output = Command::new("python3")
        .arg(&script)
        .arg(&csv)
        .arg(dir.join("openpyxl.xlsx"))
        .arg("3")
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let seconds: Option<f64> = stdout
        .lines()
        .find_map(|l| l.strip_prefix("median_seconds="))
        .and_then(|v| v.trim().parse().ok());
    match seconds {
        Some(s) => {
            println!(
                "openpyxl (gleiche Zeilen und Formate) Median {:>8.1} ms",
                s * 1000.0
            );
            println!(
                "Verhältnis openpyxl / Tagungsbüro (export_to_file): {:.1}×",
                s / rust.as_secs_f64()
            );
        }
        None => println!(
            "openpyxl-Skript lieferte kein Ergebnis: {}",
            String::from_utf8_lossy(&output.stderr)
        ),
    }
    Ok(())
}
