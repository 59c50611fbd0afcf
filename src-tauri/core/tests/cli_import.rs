//! CLI contract of `import contacts|registrations|attendance`, `import undo` and
//! `import-kinds`, run against the built binary; and kill -9 in the middle of an import.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/imports")
        .join(name)
}

fn cli(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tagungsbuero-cli"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("tagungsbuero-cli could not start")
}

/// Runs the CLI, expects success and parses stdout as JSON.
fn json(db: &Path, args: &[&str]) -> Value {
    let out = cli(db, args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn forum(db: &Path, capacity: Option<&str>) -> String {
    let mut args = vec![
        "events",
        "create",
        "--title",
        "13. Forum",
        "--starts-at",
        "2025-03-13 10:00",
        "--ends-at",
        "2025-03-13 12:00",
        "--json",
    ];
    if let Some(c) = capacity {
        args.extend(["--capacity", c]);
    }
    json(db, &args)["id"].to_string()
}

fn count(db: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

const CONTRACT: [&str; 11] = [
    "format",
    "encoding",
    "delimiter",
    "records",
    "imported",
    "new_persons",
    "matched_persons",
    "skipped_empty",
    "review",
    "errors",
    "warnings",
];

fn assert_contract(report: &Value) {
    for field in CONTRACT {
        assert!(report.get(field).is_some(), "missing {field}: {report}");
    }
    for issue in report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .chain(report["warnings"].as_array().unwrap())
    {
        for field in ["record", "line", "field", "message"] {
            assert!(issue.get(field).is_some(), "issue without {field}: {issue}");
        }
    }
}

#[test]
fn import_kinds_lists_every_importer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let out = cli(&db, &["import-kinds"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for id in [
        "contacts",
        "registrations",
        "google_forms",
        "zoom",
        "teams",
        "attendance_csv",
    ] {
        assert!(text.contains(id), "{id} missing in:\n{text}");
    }
    let kinds = json(&db, &["import-kinds", "--json"]);
    let zoom = kinds
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == "zoom")
        .unwrap();
    assert_eq!(zoom["target"], "attendance");
    assert!(zoom["label"].as_str().unwrap().contains("Zoom"));
}

#[test]
fn import_contacts_reports_encoding_delimiter_errors_and_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let file = fixture("kontakte_excel_cp1252.csv");
    let args = [
        "import",
        "contacts",
        "--file",
        file.to_str().unwrap(),
        "--json",
    ];
    let report = json(&db, &args);
    assert_contract(&report);
    assert_eq!(report["format"], "contacts");
    assert_eq!(report["encoding"], "windows-1252");
    assert_eq!(report["delimiter"], ";");
    assert_eq!(report["records"], 5);
    assert_eq!(report["skipped_empty"], 2);
    assert_eq!(
        (report["imported"].as_i64(), report["new_persons"].as_i64()),
        (Some(4), Some(4))
    );
    let error = &report["errors"][0];
    assert_eq!(
        (error["record"].as_i64(), error["line"].as_i64()),
        (Some(5), Some(6))
    );
    assert_eq!(error["field"], "first_name");
    assert!(
        report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["message"].as_str().unwrap().contains("Ko?odziej"))
    );
    let again = json(&db, &args);
    assert_eq!(
        (again["imported"].as_i64(), again["new_persons"].as_i64()),
        (Some(0), Some(0))
    );
    assert_eq!(
        count(&db, "persons"),
        4,
        "importing the same file twice adds nothing"
    );
}

#[test]
fn import_registrations_dry_run_review_and_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let event = forum(&db, None);
    json(
        &db,
        &[
            "register",
            "--event",
            &event,
            "--email",
            "t.hoffmann@example.org",
            "--first-name",
            "Thomas",
            "--last-name",
            "Hoffmann",
        ],
    );
    // Give the known Thomas Hoffmann an Ort, so the form's Thomas Hoffmann (Soest, another
    // e-mail) is a possible duplicate.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE persons SET ort = 'Soest'", [])
        .unwrap();
    let hoffmann: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT id FROM persons", [], |r| r.get(0))
        .unwrap();
    let file = fixture("google_forms.csv");
    let base = [
        "import",
        "registrations",
        "--event",
        &event,
        "--file",
        file.to_str().unwrap(),
        "--json",
    ];
    let mut dry = base.to_vec();
    dry.push("--dry-run");
    let preview = json(&db, &dry);
    assert_contract(&preview);
    assert_eq!(count(&db, "registrations"), 1, "--dry-run writes nothing");
    let report = json(&db, &base);
    for field in CONTRACT {
        if field != "warnings" {
            assert_eq!(
                preview[field], report[field],
                "{field} differs between dry run and import"
            );
        }
    }
    assert_eq!(report["format"], "google_forms");
    assert_eq!(report["encoding"], "UTF-8");
    assert_eq!(report["delimiter"], ",");
    assert_eq!(report["imported"], 3);
    let review = &report["review"][0];
    assert_eq!(review["candidate_person_id"].as_i64(), Some(hoffmann));
    assert_eq!(
        (review["record"].as_i64(), review["line"].as_i64()),
        (Some(5), Some(6))
    );
    assert!(review["reason"].as_str().unwrap().contains("Name und Ort"));
    let consent = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "consent_privacy")
        .unwrap();
    assert_eq!(consent["record"], 4);
    let twice = json(&db, &base);
    assert_eq!(twice["imported"], 0);
    assert_eq!(count(&db, "registrations"), 4);
    let list = json(&db, &["registrations", "list", "--event", &event, "--json"]);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|r| r["minutes"].is_null())
    );
    // Undo removes the import's registrations and persons.
    let undo = json(&db, &["import", "undo", "--json"]);
    assert_eq!(undo["registrations"], 3);
    assert_eq!(count(&db, "registrations"), 1);
}

#[test]
fn import_attendance_from_zoom_and_teams() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let event = forum(&db, None);
    for (email, first, last) in [
        ("ute.brand@example.org", "Ute", "Brand"),
        ("olena.kovalenko@example.org", "Olena", "Kovalenko"),
    ] {
        json(
            &db,
            &[
                "register",
                "--event",
                &event,
                "--email",
                email,
                "--first-name",
                first,
                "--last-name",
                last,
            ],
        );
    }
    let zoom = fixture("zoom_en_summary.csv");
    let report = json(
        &db,
        &[
            "import",
            "attendance",
            "--event",
            &event,
            "--file",
            zoom.to_str().unwrap(),
            "--json",
        ],
    );
    assert_contract(&report);
    assert_eq!(report["format"], "zoom");
    let participants = report["participants"].as_array().unwrap();
    let ute = participants
        .iter()
        .find(|p| p["email"] == "ute.brand@example.org")
        .unwrap();
    for field in ["person_id", "email", "name", "minutes", "present"] {
        assert!(ute.get(field).is_some(), "participant without {field}");
    }
    assert_eq!(
        (ute["minutes"].as_i64(), ute["present"].as_bool()),
        (Some(118), Some(true))
    );
    let unmatched = report["unmatched"].as_array().unwrap();
    assert!(unmatched.iter().all(|u| u.get("display_name").is_some()
        && u.get("email").is_some()
        && u.get("minutes").is_some()));
    assert_eq!(unmatched.len(), 2);
    let list = json(&db, &["registrations", "list", "--event", &event, "--json"]);
    let minutes: Vec<Option<i64>> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["minutes"].as_i64())
        .collect();
    assert_eq!(minutes, [Some(118), Some(20)]);
    let teams = fixture("teams_de_utf16.csv");
    let report = json(
        &db,
        &[
            "import",
            "attendance",
            "--event",
            &event,
            "--file",
            teams.to_str().unwrap(),
            "--min-minutes",
            "30",
            "--json",
        ],
    );
    assert_eq!(report["format"], "teams");
    assert_eq!(report["encoding"], "UTF-16LE");
    assert_eq!(report["delimiter"], "\t");
    let olena = report["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Olena Kovalenko")
        .unwrap();
    assert_eq!(
        (olena["minutes"].as_i64(), olena["present"].as_bool()),
        (Some(35), Some(true))
    );
}

#[test]
fn an_unreadable_file_exits_non_zero_with_a_german_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let missing = dir.path().join("gibt-es-nicht.csv");
    let out = cli(
        &db,
        &[
            "import",
            "contacts",
            "--file",
            missing.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Die Datei gibt es nicht"));
    let garbage = dir.path().join("bild.xlsx");
    std::fs::write(&garbage, b"PK\x03\x04\x00\x00kaputt").unwrap();
    let out = cli(
        &db,
        &[
            "import",
            "contacts",
            "--file",
            garbage.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Fehler: Die Datei bild.xlsx ist fehlerhaft")
    );
    let contacts = fixture("kontakte_excel_cp1252.csv");
    let out = cli(
        &db,
        &[
            "import",
            "contacts",
            "--file",
            contacts.to_str().unwrap(),
            "--mapping",
            "Unbekannt",
            "--json",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("keine gespeicherte Zuordnung"));
    let form = fixture("google_forms.csv");
    let out = cli(
        &db,
        &[
            "import",
            "registrations",
            "--event",
            "99",
            "--file",
            form.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Die Veranstaltung wurde nicht gefunden")
    );
}

#[test]
fn kill_9_in_the_middle_of_an_import_leaves_the_database_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let event = forum(&db, Some("100"));
    json(
        &db,
        &[
            "register",
            "--event",
            &event,
            "--email",
            "vorher@example.org",
            "--first-name",
            "Vor",
            "--last-name",
            "Her",
        ],
    );
    let file = dir.path().join("gross.csv");
    let mut text = String::from("Vorname;Nachname;E-Mail;Organisation;Ort\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "Vorname{i};Nachname{i};p{i}@example.org;Verein {};Ort {}\n",
            i % 300,
            i % 50
        ));
    }
    std::fs::write(&file, text).unwrap();
    let before: Vec<i64> = [
        "persons",
        "registrations",
        "organisations",
        "import_runs",
        "registration_status_log",
    ]
    .iter()
    .map(|t| count(&db, t))
    .collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tagungsbuero-cli"))
        .arg("--db")
        .arg(&db)
        .args([
            "import",
            "registrations",
            "--event",
            &event,
            "--file",
            file.to_str().unwrap(),
            "--json",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first progress line is printed inside the transaction, after 1,000 rows.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 && !line.contains("Fortschritt") {
        line.clear();
    }
    assert!(line.contains("Fortschritt"), "no progress seen");
    child.kill().unwrap();
    let status = child.wait().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        status.signal(),
        Some(9),
        "the import must have been killed mid-way"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    let after: Vec<i64> = [
        "persons",
        "registrations",
        "organisations",
        "import_runs",
        "registration_status_log",
    ]
    .iter()
    .map(|t| count(&db, t))
    .collect();
    assert_eq!(after, before);
}
