//! Benchmark: Namensschilder for 400 people (50 A4 sheets of 8) and Teilnahmebescheinigungen
//! for 100 people present, rendered to PDF by the embedded Typst engine.
//!
//! Prints the first render (fonts parsed, templates compiled) and the median of several further
//! renders, each from the database to the PDF bytes, and the PDF sizes. Run with
//! `cargo bench -p tagungsbuero-core --bench documents`.

use std::time::{Duration, Instant};

use tagungsbuero_core::Store;
use tagungsbuero_core::documents::badges::{self, BadgeRequest};
use tagungsbuero_core::documents::certificates::{self, CertificateRequest};
use tagungsbuero_core::events::{self, EventFormat, EventInput, EventStatus, Series};
use tagungsbuero_core::people::{self, PersonInput};
use tagungsbuero_core::registrations::attendance::{self, AttendanceState};
use tagungsbuero_core::registrations::{self, RegisterInput, Role};

const PEOPLE: usize = 400;
const PRESENT_EVERY: usize = 4;
const RUNS: usize = 5;

const FIRST_NAMES: [&str; 10] = [
    "Jürgen",
    "Anna-Lena",
    "Małgorzata",
    "Işıl",
    "Олена",
    "Hans-Peter",
    "Zsófia",
    "Björn",
    "Maximiliane-Konstantina",
    "Ayşe",
];
const LAST_NAMES: [&str; 10] = [
    "Müller",
    "Schulze Hessing",
    "Kowalczyk",
    "Yıldız",
    "Коваленко",
    "Öztürk-Weiß",
    "Győri",
    "de Vries",
    "von Wolkenstein-Rodeneck",
    "Brinkmann",
];
const ORGANISATIONS: [&str; 4] = [
    "Städtepartnerschaftsverein Lüdenscheid e. V.",
    "Stadt Münster",
    "Freundeskreis der Partnerstädte Gelsenkirchen-Buer, Zenica, Olsztyn und Trabzon e. V.",
    "",
];

fn fixture() -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    let event_id = store
        .write(|tx| {
            let event = events::create(
                tx,
                EventInput {
                    title: "7. Tag der Städtepartnerschaften NRW".into(),
                    series: Series::Tag,
                    number: Some(7),
                    starts_at: "2026-06-12 10:00".into(),
                    ends_at: "2026-06-12 17:00".into(),
                    format: EventFormat::Praesenz,
                    venue: "Rathaus, Friedensplatz 1, 44135 Dortmund".into(),
                    online_link: String::new(),
                    capacity: None,
                    registration_deadline: None,
                    description: "Workshops, Austausch und Markt der Möglichkeiten.".into(),
                    status: EventStatus::Offen,
                    organiser: "Netzwerkstelle Städtepartnerschaften NRW, Dortmund".into(),
                    funding_note: "Gefördert durch die Staatskanzlei NRW".into(),
                },
            )?;
            for i in 0..PEOPLE {
                let organisation = ORGANISATIONS[i % ORGANISATIONS.len()];
                let person = people::create_person(
                    tx,
                    &PersonInput {
                        first_name: FIRST_NAMES[i % FIRST_NAMES.len()].into(),
                        last_name: format!("{} {i}", LAST_NAMES[(i / 10) % LAST_NAMES.len()]),
                        ort: "Dortmund".into(),
                        email: format!("p{i}@example.org"),
                        organisation_id: if organisation.is_empty() {
                            None
                        } else {
                            Some(people::find_or_create_organisation_by_name(
                                tx,
                                organisation,
                            )?)
                        },
                        ..PersonInput::default()
                    },
                )?;
                let mut input = RegisterInput::existing(event.id, person.id);
                if i % 25 == 0 {
                    input.role = Role::Referent;
                }
                let id = registrations::register(tx, &input)?
                    .registration
                    .registration_id;
                if i % PRESENT_EVERY == 0 {
                    attendance::set_attendance(tx, id, None, None, AttendanceState::Anwesend)?;
                }
            }
            Ok(event.id)
        })
        .unwrap();
    (store, event_id)
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn measure(label: &str, mut render: impl FnMut() -> (usize, usize)) {
    let started = Instant::now();
    let (pages, bytes) = render();
    let first = started.elapsed();
    let runs = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            render();
            started.elapsed()
        })
        .collect();
    println!(
        "{label}: {pages} Seiten, {:.0} KiB – erster Lauf {:.2} s, Median {:.2} s ({RUNS} Läufe)",
        bytes as f64 / 1024.0,
        first.as_secs_f64(),
        median(runs).as_secs_f64()
    );
}

fn main() {
    let (store, event_id) = fixture();
    let conn = store.connection();
    measure(&format!("{PEOPLE} Namensschilder"), || {
        let (pdf, named) = badges::render_badges(conn, &BadgeRequest::new(event_id)).unwrap();
        assert_eq!(named, PEOPLE);
        (pdf.pages, pdf.bytes.len())
    });
    measure(
        &format!("{} Teilnahmebescheinigungen", PEOPLE / PRESENT_EVERY),
        || {
            let (pdf, people) =
                certificates::render_certificates(conn, &CertificateRequest::new(event_id))
                    .unwrap();
            assert_eq!(people, PEOPLE / PRESENT_EVERY);
            (pdf.pages, pdf.bytes.len())
        },
    );
}
