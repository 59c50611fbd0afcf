//! The CLI contracts of `persons list` and `persons merge` (issue 8), run on the built binary:
//! JSON on stdout, German errors on stderr with a non-zero exit.

mod common;

use std::path::Path;

use common::{json as ok_json, run};
use serde_json::Value;

fn register(db: &Path, event: &str, email: &str, first: &str, last: &str) -> Value {
    ok_json(
        db,
        &[
            "register",
            "--event",
            event,
            "--email",
            email,
            "--first-name",
            first,
            "--last-name",
            last,
        ],
    )
}

/// One event with one place: A holds it, B waits, C waits; returns (event, ids of A, B, C).
fn full_event(db: &Path) -> (String, [i64; 3]) {
    let event = ok_json(
        db,
        &[
            "events",
            "create",
            "--title",
            "Forum Städtepartnerschaften",
            "--starts-at",
            "2099-05-06 18:00",
            "--ends-at",
            "2099-05-06 20:00",
            "--capacity",
            "1",
            "--json",
        ],
    );
    let event = event["id"].to_string();
    let a = register(
        db,
        &event,
        "hp@verein.example.org",
        "Hans-Peter",
        "Kowalski",
    );
    let b = register(
        db,
        &event,
        "hp@privat.example.net",
        "Hans-Peter",
        "Kowalski",
    );
    let c = register(db, &event, "zora@example.org", "Zora", "Zweite");
    assert_eq!(b["status"], "warteliste");
    let ids = [a, b, c].map(|r| r["person_id"].as_i64().unwrap());
    (event, ids)
}

fn persons(db: &Path) -> Vec<Value> {
    ok_json(db, &["persons", "list", "--json"])
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn persons_list_prints_every_person_with_its_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let (_, [a, ..]) = full_event(&db);
    let list = persons(&db);
    assert_eq!(list.len(), 3);
    let first = list.iter().find(|p| p["id"] == a).unwrap();
    for key in [
        "id",
        "uid",
        "first_name",
        "last_name",
        "email",
        "updated_at",
    ] {
        assert!(!first[key].is_null(), "{key} missing in {first}");
    }
    assert_eq!(first["email"], "hp@verein.example.org");
}

#[test]
fn persons_merge_dry_run_prints_the_plan_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let (event, [a, b, c]) = full_event(&db);
    let before = persons(&db);
    let (keep, remove) = (b.to_string(), a.to_string());
    let plan = ok_json(
        &db,
        &[
            "persons",
            "merge",
            "--keep",
            &keep,
            "--remove",
            &remove,
            "--dry-run",
            "--json",
        ],
    );
    assert_eq!(plan["kept"], b);
    assert_eq!(plan["removed"], a);
    let r = &plan["registrations"][0];
    assert_eq!(r["event_id"].to_string(), event);
    assert_eq!(r["status"], "angemeldet", "the counted registration stays");
    assert!(r["promoted_person_id"].is_null(), "no place was freed");
    assert_eq!(persons(&db), before, "a dry run writes nothing");

    // The real merge gives the same plan.
    let done = ok_json(
        &db,
        &[
            "persons", "merge", "--keep", &keep, "--remove", &remove, "--json",
        ],
    );
    assert_eq!(done["registrations"], plan["registrations"]);
    let after = persons(&db);
    assert_eq!(after.len(), 2);
    let kept = after.iter().find(|p| p["id"] == b).unwrap();
    assert_eq!(
        kept["email"], "hp@privat.example.net",
        "the kept person's address stays"
    );
    let list = ok_json(&db, &["registrations", "list", "--event", &event, "--json"]);
    let statuses: Vec<(i64, String, Value)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["person_id"].as_i64().unwrap(),
                r["status"].as_str().unwrap().to_owned(),
                r["waitlist_position"].clone(),
            )
        })
        .collect();
    assert!(statuses.contains(&(b, "angemeldet".into(), Value::Null)));
    assert!(statuses.contains(&(c, "warteliste".into(), 1.into())));
}

#[test]
fn persons_merge_reports_who_moves_up_into_a_freed_place() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let event = ok_json(
        &db,
        &[
            "events",
            "create",
            "--title",
            "Tag der Partnerschaften",
            "--starts-at",
            "2099-05-06 18:00",
            "--ends-at",
            "2099-05-06 20:00",
            "--capacity",
            "2",
            "--json",
        ],
    )["id"]
        .to_string();
    let a = register(&db, &event, "anna@example.org", "Anna", "Brand")["person_id"].clone();
    let b = register(&db, &event, "a.brand@example.net", "Anna", "Brand")["person_id"].clone();
    let w = register(&db, &event, "wartend@example.org", "Wim", "Wartend");
    assert_eq!(w["status"], "warteliste");
    let merged = ok_json(
        &db,
        &[
            "persons",
            "merge",
            "--keep",
            &a.to_string(),
            "--remove",
            &b.to_string(),
            "--json",
        ],
    );
    assert_eq!(merged["registrations"][0]["status"], "angemeldet");
    assert_eq!(
        merged["registrations"][0]["promoted_person_id"],
        w["person_id"]
    );
}

#[test]
fn persons_merge_errors_are_german_with_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let (_, [a, ..]) = full_event(&db);
    let a = a.to_string();
    let same = run(
        &db,
        &["persons", "merge", "--keep", &a, "--remove", &a, "--json"],
    );
    assert!(!same.status.success());
    let stderr = String::from_utf8_lossy(&same.stderr);
    assert!(
        stderr.contains("nicht mit sich selbst zusammengeführt"),
        "{stderr}"
    );
    assert!(same.stdout.is_empty());
    let missing = run(
        &db,
        &[
            "persons", "merge", "--keep", &a, "--remove", "999", "--json",
        ],
    );
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("Die Person wurde nicht gefunden"));
}
