//! The CLI contracts of the Datenschutz commands on the built binary: `shred --event ID
//! [--dry-run] --json` prints exactly the three counts, `registrations list` shows anonymous rows
//! afterwards and `stats --event ID --json` is the same before and after; `person export` writes
//! an xlsx or prints JSON; `person erase [--dry-run] --json` removes the person and every trace
//! of the e-mail in the file.

mod common;

use std::path::Path;

use common::{json, run, stderr};
use serde_json::{Value, json as j};

fn register(db: &Path, event: &str, email: &str, last: &str, org: &str) -> Value {
    json(
        db,
        &[
            "register",
            "--event",
            event,
            "--email",
            email,
            "--first-name",
            "Erika",
            "--last-name",
            last,
            "--organisation",
            org,
        ],
    )
}

fn past_event(db: &Path, title: &str) -> String {
    let event = json(
        db,
        &[
            "events",
            "create",
            "--title",
            title,
            "--starts-at",
            "2024-05-13 11:00",
            "--ends-at",
            "2024-05-13 13:00",
            "--json",
        ],
    );
    event["id"].to_string()
}

#[test]
fn shred_keeps_counts_and_anonymises_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("buero.db");
    let event = past_event(&db, "Regionaltreffen Rheinland");
    let other = past_event(&db, "Regionaltreffen Westfalen");
    register(
        &db,
        &event,
        "a.wolkenstein@example.org",
        "Wolkenstein",
        "Stadt Hürth",
    );
    register(
        &db,
        &event,
        "b.quast@example.org",
        "Quast",
        "Partnerschaftsverein Unna",
    );
    register(
        &db,
        &other,
        "b.quast@example.org",
        "Quast",
        "Partnerschaftsverein Unna",
    );
    register(&db, &event, "c.ramin@example.org", "Ramin", "Stadt Hürth");
    json(
        &db,
        &[
            "cancel",
            "--event",
            &event,
            "--email",
            "c.ramin@example.org",
        ],
    );
    json(
        &db,
        &[
            "checkin",
            "--event",
            &event,
            "--email",
            "a.wolkenstein@example.org",
            "--day",
            "2024-05-13",
        ],
    );
    let stats_before = json(&db, &["stats", "--event", &event, "--json"]);
    assert_eq!(stats_before["by_status"]["angemeldet"], 2);
    assert_eq!(stats_before["by_status"]["storniert"], 1);
    assert_eq!(stats_before["attendance"]["present"], 1);

    let dry = json(&db, &["shred", "--event", &event, "--dry-run", "--json"]);
    let expected =
        j!({"registrations_anonymised": 3, "persons_removed": 2, "persons_anonymised": 0});
    assert_eq!(dry, expected);
    // The dry run changed nothing.
    let rows = json(&db, &["registrations", "list", "--event", &event, "--json"]);
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["email"].is_string())
    );

    let done = json(&db, &["shred", "--event", &event, "--json"]);
    assert_eq!(done, expected);
    let rows = json(&db, &["registrations", "list", "--event", &event, "--json"]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for row in rows {
        assert!(
            row["person_id"].is_null() && row["email"].is_null(),
            "{row}"
        );
        assert!(
            row["first_name"].is_null() && row["last_name"].is_null(),
            "{row}"
        );
    }
    let mut statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    statuses.sort();
    assert_eq!(statuses, ["angemeldet", "angemeldet", "storniert"]);
    assert_eq!(
        json(&db, &["stats", "--event", &event, "--json"]),
        stats_before
    );
    // Quast is registered elsewhere and stays; the others are gone from the file.
    let persons = json(&db, &["persons", "list", "--json"]);
    let names: Vec<&str> = persons
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["last_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Quast"]);
    let bytes = String::from_utf8_lossy(&std::fs::read(&db).unwrap()).to_lowercase();
    assert!(
        !bytes.contains("wolkenstein"),
        "the shredded name is still in the file"
    );

    // A second run finds nothing left.
    let again = json(&db, &["shred", "--event", &event, "--json"]);
    assert_eq!(
        again,
        j!({"registrations_anonymised": 0, "persons_removed": 0, "persons_anonymised": 0})
    );
}

#[test]
fn shred_refuses_an_event_that_is_not_over() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("buero.db");
    let event = json(
        &db,
        &[
            "events",
            "create",
            "--title",
            "Forum",
            "--starts-at",
            "2099-05-13 11:00",
            "--ends-at",
            "2099-05-13 13:00",
            "--json",
        ],
    )["id"]
        .to_string();
    let out = run(&db, &["shred", "--event", &event, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("noch nicht vorbei"),
        "{}",
        stderr(&out)
    );
    let out = run(&db, &["stats", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--event"), "{}", stderr(&out));
}

#[test]
fn person_export_and_erase() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("buero.db");
    let event = past_event(&db, "Regionaltreffen Rheinland");
    register(
        &db,
        &event,
        "Z.Kaltenbrunn@example.org",
        "Kaltenbrunn",
        "Stadt Hürth",
    );
    let doc = json(
        &db,
        &[
            "person",
            "export",
            "--email",
            "z.kaltenbrunn@example.org",
            "--json",
        ],
    );
    assert_eq!(doc["person"]["last_name"], "Kaltenbrunn");
    assert_eq!(doc["organisation"]["name"], "Stadt Hürth");
    assert_eq!(
        doc["registrations"][0]["event"],
        "Regionaltreffen Rheinland"
    );
    assert_eq!(doc["registrations"][0]["status"], "angemeldet");
    assert!(doc["exported_at"].is_string());
    let xlsx = dir.path().join("auskunft.xlsx");
    let out = run(
        &db,
        &[
            "person",
            "export",
            "--email",
            "z.kaltenbrunn@example.org",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
    assert!(zip.by_name("xl/workbook.xml").is_ok());
    // Never into the database.
    let out = run(
        &db,
        &[
            "person",
            "export",
            "--email",
            "z.kaltenbrunn@example.org",
            "--out",
            db.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));

    let dry = json(
        &db,
        &[
            "person",
            "erase",
            "--email",
            "z.kaltenbrunn@example.org",
            "--dry-run",
            "--json",
        ],
    );
    assert_eq!(
        dry,
        j!({"registrations_anonymised": 1, "persons_removed": 1, "persons_anonymised": 0})
    );
    assert_eq!(
        json(&db, &["persons", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let stats_before = json(&db, &["stats", "--event", &event, "--json"]);
    let done = json(
        &db,
        &[
            "person",
            "erase",
            "--email",
            "z.kaltenbrunn@example.org",
            "--json",
        ],
    );
    assert_eq!(done, dry);
    assert_eq!(
        json(&db, &["stats", "--event", &event, "--json"]),
        stats_before
    );
    assert!(
        json(&db, &["persons", "list", "--json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    let mut bytes = std::fs::read(&db).unwrap();
    if let Ok(wal) = std::fs::read(dir.path().join("buero.db-wal")) {
        bytes.extend(wal);
    }
    let text = String::from_utf8_lossy(&bytes).to_lowercase();
    assert!(
        !text.contains("kaltenbrunn"),
        "the erased person is still in the file"
    );
    let out = run(
        &db,
        &[
            "person",
            "erase",
            "--email",
            "z.kaltenbrunn@example.org",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E-Mail-Adresse"), "{}", stderr(&out));
}
