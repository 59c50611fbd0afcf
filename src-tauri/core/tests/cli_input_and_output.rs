//! CLI contracts for input cleaning, export targets and closed pipes, checked from outside
//! the process (the built `tagungsbuero-cli`).

mod common;

use std::path::Path;
use std::process::Stdio;

use common::{cli, run};

fn ok(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn first_event(db: &Path) -> String {
    let events: serde_json::Value =
        serde_json::from_str(&ok(db, &["events", "list", "--json"])).unwrap();
    events[0]["id"].as_i64().unwrap().to_string()
}

fn seeded(dir: &Path, name: &str) -> std::path::PathBuf {
    let db = dir.join(name);
    ok(&db, &["seed-demo"]);
    db
}

#[test]
fn a_closed_pipe_ends_the_cli_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), "demo.db");
    let event = first_event(&db);
    for args in [
        vec!["registrations", "list", "--event", event.as_str()],
        vec!["registrations", "list", "--event", event.as_str(), "--json"],
        vec!["events", "list"],
    ] {
        // The reading end is closed before the CLI writes anything: every write fails.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = cli(&db)
            .args(&args)
            .stdout(Stdio::from(writer))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn organisation_names_differing_in_white_space_are_one_organisation() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("neu.db");
    let event: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &[
            "events",
            "create",
            "--title",
            "Forum",
            "--starts-at",
            "2027-05-13 11:00",
            "--ends-at",
            "2027-05-13 13:00",
            "--json",
        ],
    ))
    .unwrap();
    let event = event["id"].as_i64().unwrap().to_string();
    for (email, organisation) in [
        ("a@example.org", "Partnerschaftsverein Hürth"),
        ("b@example.org", "Partnerschaftsverein Hürth\n"),
        ("c@example.org", " Partnerschaftsverein  Hürth\r\n"),
    ] {
        ok(
            &db,
            &[
                "register",
                "--event",
                &event,
                "--email",
                email,
                "--first-name",
                "Anna",
                "--last-name",
                "Beispiel",
                "--organisation",
                organisation,
            ],
        );
    }
    let out = run(
        &db,
        &[
            "register",
            "--event",
            &event,
            "--email",
            "d@example.org",
            "--first-name",
            "Esc\u{1b}[31m",
            "--last-name",
            "Beispiel",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Steuerzeichen"), "{stderr}");
}

#[test]
fn the_cli_never_exports_over_its_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), "daten.xlsx");
    let event = first_event(&db);
    let db_text = db.to_str().unwrap();
    let wal = format!("{db_text}-wal");
    for (out_path, expected) in [
        (db_text, "gehört zur Datenbank"),
        (wal.as_str(), "Endung .xlsx"),
    ] {
        let out = run(
            &db,
            &[
                "export",
                "--event",
                &event,
                "--kind",
                "attendance",
                "--out",
                out_path,
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{out_path}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{stderr}");
    }
    // Still the same database.
    assert_eq!(first_event(&db), event);
    let fine = dir.path().join("liste.xlsx");
    ok(
        &db,
        &[
            "export",
            "--event",
            &event,
            "--kind",
            "attendance",
            "--out",
            fine.to_str().unwrap(),
        ],
    );
    assert!(fine.exists());
}
