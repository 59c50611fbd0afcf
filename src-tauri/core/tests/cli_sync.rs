//! CLI contract of the sync file (issue 14): `sync export --out FILE [--since-peer ID]` and
//! `sync import --file FILE --json` printing `{"applied": N, "conflicts": [...]}`; a fresh
//! database initialised by an import becomes a full copy.

mod common;

use common::{json, run, stderr};

fn dump(db: &std::path::Path) -> serde_json::Value {
    json(db, &["sync", "dump"])
}

#[test]
fn a_fresh_database_imported_from_a_sync_file_is_a_full_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    assert!(run(&a, &["seed-demo"]).status.success());
    let file = dir.path().join("abgleich.sync");
    let out = run(&a, &["sync", "export", "--out", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(
        &b,
        &["sync", "import", "--file", file.to_str().unwrap(), "--json"],
    );
    let keys: Vec<&String> = report.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["applied", "conflicts"]);
    assert!(report["applied"].as_u64().unwrap() > 0);
    assert_eq!(report["conflicts"], serde_json::json!([]));
    assert_eq!(dump(&a), dump(&b));
    let registrations = json(&b, &["registrations", "list", "--event", "1", "--json"]);
    assert!(!registrations.as_array().unwrap().is_empty());
    // The same file again changes nothing.
    let again = json(
        &b,
        &["sync", "import", "--file", file.to_str().unwrap(), "--json"],
    );
    assert_eq!(again["applied"], 0);
}

#[test]
fn since_peer_exports_only_what_the_other_laptop_lacks_and_both_converge() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let event = json(
        &a,
        &[
            "events",
            "create",
            "--title",
            "Forum",
            "--series",
            "forum",
            "--starts-at",
            "2099-03-13 11:00",
            "--ends-at",
            "2099-03-13 13:00",
            "--format",
            "online",
            "--capacity",
            "10",
            "--json",
        ],
    );
    let event_id = event["id"].as_i64().unwrap().to_string();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    assert!(
        run(&a, &["sync", "export", "--out", &path("1.sync")])
            .status
            .success()
    );
    json(&b, &["sync", "import", "--file", &path("1.sync"), "--json"]);
    // B answers with everything it has; A now knows B.
    assert!(
        run(&b, &["sync", "export", "--out", &path("2.sync")])
            .status
            .success()
    );
    json(&a, &["sync", "import", "--file", &path("2.sync"), "--json"]);
    let b_id = json(&b, &["sync", "status", "--json"])["laptop_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Offline, each registers someone.
    json(
        &a,
        &[
            "register",
            "--event",
            &event_id,
            "--email",
            "a@example.org",
            "--first-name",
            "Anna",
            "--last-name",
            "A",
        ],
    );
    json(
        &b,
        &[
            "register",
            "--event",
            &event_id,
            "--email",
            "b@example.org",
            "--first-name",
            "Ben",
            "--last-name",
            "B",
        ],
    );
    let out = run(
        &a,
        &[
            "sync",
            "export",
            "--out",
            &path("3.sync"),
            "--since-peer",
            &b_id,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let full = std::fs::metadata(path("1.sync")).unwrap().len();
    let delta = std::fs::metadata(path("3.sync")).unwrap().len();
    assert!(delta < full * 4, "{delta} vs {full}");
    let on_b = json(&b, &["sync", "import", "--file", &path("3.sync"), "--json"]);
    assert!(on_b["applied"].as_u64().unwrap() >= 1);
    assert!(
        run(&b, &["sync", "export", "--out", &path("4.sync")])
            .status
            .success()
    );
    json(&a, &["sync", "import", "--file", &path("4.sync"), "--json"]);
    assert_eq!(dump(&a), dump(&b));
    let list = json(
        &b,
        &["registrations", "list", "--event", &event_id, "--json"],
    );
    assert_eq!(list.as_array().unwrap().len(), 2);
    // An unknown peer is refused in German.
    let out = run(
        &a,
        &[
            "sync",
            "export",
            "--out",
            &path("5.sync"),
            "--since-peer",
            "unbekannt",
        ],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("Kein Laptop"), "{}", stderr(&out));
}

#[test]
fn anything_but_a_sync_file_is_refused_and_the_database_file_is_never_a_target() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    let bogus = dir.path().join("kaputt.sync");
    std::fs::write(&bogus, "kein Abgleich").unwrap();
    let out = run(
        &a,
        &[
            "sync",
            "import",
            "--file",
            bogus.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("keine Abgleichsdatei"),
        "{}",
        stderr(&out)
    );
    let out = run(&a, &["sync", "export", "--out", a.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(std::fs::metadata(&a).unwrap().len() > 0);
}

#[test]
fn after_an_erasure_the_other_laptop_takes_over_the_cleaned_history_before_its_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let (office, desk) = (dir.path().join("buero.db"), dir.path().join("einlass.db"));
    assert!(run(&office, &["seed-demo"]).status.success());
    let to_desk = dir.path().join("an_einlass.abgleich");
    let to_office = dir.path().join("an_buero.abgleich");
    let path = |p: &std::path::Path| p.to_str().unwrap().to_owned();
    assert!(
        run(&office, &["sync", "export", "--out", &path(&to_desk)])
            .status
            .success()
    );
    json(
        &desk,
        &["sync", "import", "--file", &path(&to_desk), "--json"],
    );
    // The desk exports its state; meanwhile the office erases a contact.
    assert!(
        run(&desk, &["sync", "export", "--out", &path(&to_office)])
            .status
            .success()
    );
    let persons = json(&office, &["persons", "list", "--json"]);
    let email = persons.as_array().unwrap()[0]["email"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(dump(&desk).to_string().contains(&email));
    let erased = run(&office, &["person", "erase", "--email", &email, "--json"]);
    assert!(erased.status.success(), "{}", stderr(&erased));

    // The desk's file from before the cleaning is refused in German, nothing is read.
    let refused = run(
        &office,
        &["sync", "import", "--file", &path(&to_office), "--json"],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("Verlaufsbereinigung"),
        "{}",
        stderr(&refused)
    );
    // The office's new file brings the desk onto the cleaned history; then both ways again.
    assert!(
        run(&office, &["sync", "export", "--out", &path(&to_desk)])
            .status
            .success()
    );
    let report = json(
        &desk,
        &["sync", "import", "--file", &path(&to_desk), "--json"],
    );
    assert!(report["applied"].as_u64().unwrap() > 0);
    assert!(!dump(&desk).to_string().contains(&email));
    assert!(
        run(&desk, &["sync", "export", "--out", &path(&to_office)])
            .status
            .success()
    );
    json(
        &office,
        &["sync", "import", "--file", &path(&to_office), "--json"],
    );
    assert_eq!(dump(&office), dump(&desk));
}
