//! The CLI contracts of issue 15, run on the built binary with data the tests make up:
//! `stats --from YYYY-MM-DD --to YYYY-MM-DD --json` and `report --year YYYY --out FILE.xlsx`.

mod common;

use std::path::Path;

use common::{json, run, stderr};
use serde_json::Value;
use tagungsbuero_core::Store;
use tagungsbuero_core::people::{self, OrgKind, OrganisationInput};

fn organisation(store: &mut Store, name: &str, kind: OrgKind) {
    store
        .write(|tx| {
            people::create_organisation(
                tx,
                &OrganisationInput {
                    name: name.into(),
                    kind,
                    ort: String::new(),
                    kreis: String::new(),
                    partner_towns: vec![people::PartnerTown {
                        town: "Thionville".into(),
                        country: "Frankreich".into(),
                    }],
                    ags: None,
                },
            )
        })
        .unwrap();
}

fn event(db: &Path, title: &str, series: &str, day: &str) -> i64 {
    let created = json(
        db,
        &[
            "events",
            "create",
            "--title",
            title,
            "--series",
            series,
            "--starts-at",
            &format!("{day} 10:00"),
            "--ends-at",
            &format!("{day} 16:00"),
            "--json",
        ],
    );
    created["id"].as_i64().unwrap()
}

fn register(db: &Path, event: i64, email: &str, organisation: &str) {
    let out = run(
        db,
        &[
            "register",
            "--event",
            &event.to_string(),
            "--email",
            email,
            "--first-name",
            "Test",
            "--last-name",
            email.split('@').next().unwrap(),
            "--organisation",
            organisation,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

fn check_in(db: &Path, event: i64, email: &str) {
    let out = run(
        db,
        &["checkin", "--event", &event.to_string(), "--email", email],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Two past events in 2024 (a forum and a training), one in 2023; four people from Hürth
/// (Kommune), the Kreis Borken and a Verein.
fn scenario() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bericht.db");
    {
        let mut store = Store::open(&db).unwrap();
        organisation(&mut store, "Stadt Hürth", OrgKind::Kommune);
        organisation(&mut store, "Kreis Borken", OrgKind::Kreis);
        organisation(&mut store, "Freundeskreis Thionville e.V.", OrgKind::Verein);
    }
    let forum = event(&db, "7. Forum", "forum", "2024-03-14");
    let training = event(&db, "Schulung Fördermittel", "training", "2024-06-20");
    let older = event(&db, "Altes Treffen", "other", "2023-05-05");
    register(&db, forum, "a@example.org", "Stadt Hürth");
    register(&db, forum, "b@example.org", "Kreis Borken");
    register(&db, forum, "c@example.org", "Freundeskreis Thionville e.V.");
    register(&db, training, "a@example.org", "Stadt Hürth");
    register(
        &db,
        training,
        "d@example.org",
        "Freundeskreis Thionville e.V.",
    );
    register(&db, older, "e@example.org", "Stadt Hürth");
    check_in(&db, forum, "a@example.org");
    check_in(&db, forum, "b@example.org");
    check_in(&db, training, "a@example.org");
    check_in(&db, older, "e@example.org");
    // c@ did not come to the forum, d@ cancelled the training.
    let out = run(
        &db,
        &[
            "cancel",
            "--event",
            &training.to_string(),
            "--email",
            "d@example.org",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, db)
}

#[test]
fn stats_prints_the_contract_for_a_period() {
    let (_dir, db) = scenario();
    let s = json(
        &db,
        &[
            "stats",
            "--from",
            "2024-01-01",
            "--to",
            "2024-12-31",
            "--json",
        ],
    );
    for key in [
        "events",
        "registrations",
        "present",
        "no_show_rate",
        "distinct_persons",
        "first_timers",
        "kommunen_reached",
        "kreise_reached",
        "kommunen_total",
        "kreise_total",
    ] {
        assert!(s[key].is_number(), "{key}: {s}");
    }
    assert!(s["by_organisation_kind"].is_object());
    assert!(s["by_series"].is_object());
    assert_eq!(s["events"], 2);
    // Places held: forum a, b, c; training a (d cancelled).
    assert_eq!(s["registrations"], 4);
    assert_eq!(s["present"], 3);
    // c@ is the one no-show of four places at past events.
    assert_eq!(s["no_show_rate"].as_f64().unwrap(), 0.25);
    assert_eq!(s["distinct_persons"], 2);
    assert_eq!(s["first_timers"], 0);
    assert_eq!(s["kommunen_reached"], 1);
    assert_eq!(s["kreise_reached"], 1);
    assert_eq!(s["kommunen_total"], 396);
    assert_eq!(s["kreise_total"], 31);
    assert_eq!(s["by_organisation_kind"]["kommune"], 1);
    assert_eq!(s["by_organisation_kind"]["kreis"], 1);
    assert_eq!(s["by_organisation_kind"]["verein"], 0);
    assert_eq!(s["by_series"]["forum"]["events"], 1);
    assert_eq!(s["by_series"]["training"]["events"], 1);
    assert_eq!(s["by_series"]["forum"]["present"], 2);
    assert_eq!(s["cancellations"], 1);
    assert_eq!(s["partner_countries"]["Frankreich"], 2);

    // The 2023 event alone; a series filter.
    let older = json(
        &db,
        &[
            "stats",
            "--from",
            "2023-01-01",
            "--to",
            "2023-12-31",
            "--json",
        ],
    );
    assert_eq!(older["events"], 1);
    assert_eq!(older["kreise_reached"], 0);
    let forums = json(
        &db,
        &[
            "stats",
            "--from",
            "2024-01-01",
            "--to",
            "2024-12-31",
            "--series",
            "forum",
            "--json",
        ],
    );
    assert_eq!(forums["events"], 1);
    assert_eq!(forums["registrations"], 3);
}

#[test]
fn stats_without_a_period_or_with_bad_dates_fails_in_german() {
    let (_dir, db) = scenario();
    let out = run(&db, &["stats", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--from"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let out = run(
        &db,
        &[
            "stats",
            "--from",
            "2024-13-01",
            "--to",
            "2024-12-31",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("kein gültiges Datum"),
        "{}",
        stderr(&out)
    );
    let out = run(
        &db,
        &[
            "stats",
            "--from",
            "2024-12-31",
            "--to",
            "2024-01-01",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("vor seinem Anfang"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn report_writes_the_annual_report_with_numbers() {
    use calamine::{Data, Reader};
    let (dir, db) = scenario();
    let out_file = dir.path().join("Jahresbericht 2024.xlsx");
    let out = run(
        &db,
        &[
            "report",
            "--year",
            "2024",
            "--out",
            out_file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Jahresbericht"));
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&out_file).unwrap();
    let cover = workbook.worksheet_range("Deckblatt").unwrap();
    let value = |label: &str| -> Data {
        cover
            .rows()
            .find(|r| r.first() == Some(&Data::String(label.into())))
            .map(|r| r[1].clone())
            .unwrap()
    };
    assert_eq!(value("Veranstaltungen"), Data::Float(2.0));
    assert_eq!(value("Kommunen erreicht"), Data::Float(1.0));
    assert_eq!(value("Zeitraum"), Data::String("Kalenderjahr 2024".into()));

    // Only .xlsx, never the database.
    let wrong = run(
        &db,
        &[
            "report",
            "--year",
            "2024",
            "--out",
            dir.path().join("x.csv").to_str().unwrap(),
        ],
    );
    assert_eq!(wrong.status.code(), Some(1));
    let onto_db = run(
        &db,
        &["report", "--year", "2024", "--out", db.to_str().unwrap()],
    );
    assert_eq!(onto_db.status.code(), Some(1));
    let still: Value = json(
        &db,
        &[
            "stats",
            "--from",
            "2024-01-01",
            "--to",
            "2024-12-31",
            "--json",
        ],
    );
    assert_eq!(still["events"], 2);
}

#[test]
fn report_writes_the_pdf_when_the_target_ends_in_pdf() {
    let (dir, db) = scenario();
    let help = run(&db, &["report", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains(".pdf"));
    let out_file = dir.path().join("Jahresbericht 2024.pdf");
    let out = run(
        &db,
        &[
            "report",
            "--year",
            "2024",
            "--out",
            out_file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("als PDF"));
    let bytes = std::fs::read(&out_file).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let text = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&out_file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, make deps-test)");
    let text = String::from_utf8(text.stdout).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Jahresbericht 2024"), "{text}");
    assert!(text.contains("Veranstaltungen 2"), "{text}");
    assert!(text.contains("Kommunen erreicht 1 von 396"), "{text}");
    assert!(
        text.contains("Thionville") || text.contains("Frankreich"),
        "{text}"
    );
}
