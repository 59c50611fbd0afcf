//! The CLI contracts of the desk's subcommands, run on the built binary: `events create/list`,
//! `register` (place, then waiting list), `cancel` (the waiting list moves up), `checkin`,
//! `registrations list` and `persons search` print their JSON shapes; wrong input ends with a
//! German message on stderr and exit code 1, never a panic.

mod common;

use std::path::Path;

use common::{json, run};
use serde_json::Value;

fn german_failure(db: &Path, args: &[&str], expected: &str) {
    let out = run(db, args);
    assert_eq!(out.status.code(), Some(1), "{args:?}");
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.starts_with("Fehler: "), "{message}");
    assert!(message.contains(expected), "{args:?}: {message}");
}

fn register(db: &Path, event: &str, n: u32) -> Value {
    json(
        db,
        &[
            "register",
            "--event",
            event,
            "--email",
            &format!("person{n}@example.org"),
            "--first-name",
            "Erika",
            "--last-name",
            &format!("Beispiel{n}"),
            "--organisation",
            "Partnerschaftsverein Hürth",
        ],
    )
}

#[test]
fn the_desk_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("buero.db");
    let event = json(
        &db,
        &[
            "events",
            "create",
            "--title",
            "17. Forum Städtepartnerschaften NRW",
            "--starts-at",
            "2099-05-13 11:00",
            "--ends-at",
            "2099-05-13 13:00",
            "--capacity",
            "1",
            "--series",
            "forum",
            "--number",
            "17",
            "--json",
        ],
    );
    assert_eq!(event["title"], "17. Forum Städtepartnerschaften NRW");
    assert_eq!(event["starts_at"], "2099-05-13T11:00:00+02:00");
    let id = event["id"].as_i64().unwrap().to_string();

    let listed = json(&db, &["events", "list", "--json"]);
    assert_eq!(listed[0]["id"].as_i64().unwrap().to_string(), id);
    assert!(listed[0]["counts"].is_object(), "{listed}");

    let first = register(&db, &id, 1);
    assert_eq!(first["status"], "angemeldet");
    let second = register(&db, &id, 2);
    assert_eq!(second["status"], "warteliste");
    assert_eq!(second["waitlist_position"], 1);

    let cancelled = json(
        &db,
        &[
            "cancel",
            "--event",
            &id,
            "--email",
            "PERSON1@example.org",
            "--reason",
            "krank",
        ],
    );
    assert_eq!(cancelled["cancelled"]["status"], "storniert");
    assert_eq!(cancelled["promoted"]["email"], "person2@example.org");
    assert_eq!(cancelled["promoted"]["status"], "nachgerueckt");

    let checked_in = json(
        &db,
        &[
            "checkin",
            "--event",
            &id,
            "--email",
            "person2@example.org",
            "--day",
            "2099-05-13",
        ],
    );
    assert_eq!(checked_in["state"], "anwesend");
    assert_eq!(checked_in["last_name"], "Beispiel2");

    let rows = json(&db, &["registrations", "list", "--event", &id, "--json"]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    for key in [
        "registration_id",
        "person_id",
        "email",
        "status",
        "waitlist_position",
    ] {
        assert!(rows[0].get(key).is_some(), "missing {key}: {}", rows[0]);
    }

    let hits = json(&db, &["persons", "search", "beisp", "--json"]);
    assert_eq!(hits.as_array().unwrap().len(), 2);

    german_failure(
        &db,
        &["registrations", "list", "--event", "999", "--json"],
        "nicht gefunden",
    );
    german_failure(
        &db,
        &["cancel", "--event", &id, "--email", "niemand@example.org"],
        "nicht",
    );
    german_failure(
        &db,
        &[
            "events",
            "create",
            "--title",
            "Falsch",
            "--starts-at",
            "2099-05-13 13:00",
            "--ends-at",
            "2099-05-13 11:00",
        ],
        "Ende",
    );
    german_failure(
        &db,
        &["register", "--event", &id, "--email", "kein-at-zeichen"],
        "E-Mail",
    );
}
