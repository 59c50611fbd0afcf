//! Issue 3: keyboard-only registration of a returning person, waiting list and promotion,
//! the check-in desk with Enter and undo, duplicate warning and merge, attendance per day.

use std::path::Path;

use serde_json::Value;
use tagungsbuero_e2e::{App, ENTER, cli};

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("CLI prints JSON")
}

/// Seeds the demo data and creates an extra event; returns its id.
fn seed_with_event(db: &Path, capacity: &str, starts: &str, ends: &str) -> i64 {
    cli(db, &["seed-demo"]);
    let event = json(&cli(
        db,
        &[
            "events",
            "create",
            "--title",
            "Regionaltreffen Ruhrgebiet",
            "--starts-at",
            starts,
            "--ends-at",
            ends,
            "--capacity",
            capacity,
            "--format",
            "praesenz",
            "--json",
        ],
    ));
    event["id"].as_i64().unwrap()
}

async fn open_event(app: &App, event_id: i64) {
    app.click(&format!("event-open-{event_id}")).await;
    app.wait_for("register-panel").await;
}

#[tokio::test]
async fn a_returning_person_is_registered_with_the_keyboard_only() {
    let mut event_id = 0;
    let app = App::launch_with(|db| {
        event_id = seed_with_event(db, "30", "2027-05-06 18:00", "2027-05-06 20:00");
    })
    .await;
    open_event(&app, event_id).await;
    // "kowal" + Enter: five keystrokes and Enter pick the top hit.
    app.keys("register-search", "kowal").await;
    app.wait_for_text("register-search-results", "Kowalski")
        .await;
    app.keys("register-search", ENTER).await;
    app.wait_for_text("count-angemeldet", "1").await;
    let table = app.wait_for_text("registrations-table", "Kowalski").await;
    assert!(table.contains("Angemeldet"), "{table}");
    let registered: String = app
        .db()
        .query_row(
            "SELECT p.last_name FROM registrations r JOIN persons p ON p.id = r.person_id
             WHERE r.event_id = ?1",
            [event_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(registered, "Kowalski");
    app.close().await;
}

#[tokio::test]
async fn cancelling_in_a_full_event_promotes_the_waiting_list_in_the_ui() {
    let mut ids = (0, 0, 0);
    let app = App::launch_with(|db| {
        let event = seed_with_event(db, "1", "2027-05-06 18:00", "2027-05-06 20:00");
        let e = event.to_string();
        let first = json(&cli(
            db,
            &[
                "register",
                "--event",
                &e,
                "--email",
                "erste@example.org",
                "--first-name",
                "Erika",
                "--last-name",
                "Erste",
            ],
        ));
        let second = json(&cli(
            db,
            &[
                "register",
                "--event",
                &e,
                "--email",
                "zweite@example.org",
                "--first-name",
                "Zora",
                "--last-name",
                "Zweite",
            ],
        ));
        assert_eq!(second["status"], "warteliste");
        ids = (
            event,
            first["registration_id"].as_i64().unwrap(),
            second["registration_id"].as_i64().unwrap(),
        );
    })
    .await;
    let (event, first, second) = ids;
    open_event(&app, event).await;
    app.wait_for_text(
        &format!("registration-status-{second}"),
        "Warteliste (Platz 1)",
    )
    .await;
    app.wait_for_text("count-warteliste", "1").await;
    app.click(&format!("registration-cancel-{first}")).await;
    app.fill("cancel-reason", "Terminkonflikt").await;
    app.click("cancel-dialog-confirm").await;
    app.wait_for_text(&format!("registration-status-{first}"), "Storniert")
        .await;
    app.wait_for_text(&format!("registration-status-{second}"), "Nachgerückt")
        .await;
    app.wait_for_text("count-warteliste", "0").await;
    let (status, reason): (String, String) = app
        .db()
        .query_row(
            "SELECT status, cancel_reason FROM registrations WHERE id = ?1",
            [first],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (status.as_str(), reason.as_str()),
        ("storniert", "Terminkonflikt")
    );
    app.close().await;
}

#[tokio::test]
async fn the_check_in_desk_checks_in_with_enter_and_undoes() {
    let mut event = 0;
    let app = App::launch_with(|db| {
        event = seed_with_event(db, "10", "2027-05-06 18:00", "2027-05-06 20:00");
        let e = event.to_string();
        cli(
            db,
            &[
                "register",
                "--event",
                &e,
                "--email",
                "paula.pott@example.org",
                "--first-name",
                "Paula",
                "--last-name",
                "Pott",
            ],
        );
        cli(
            db,
            &[
                "register",
                "--event",
                &e,
                "--email",
                "otto.ofen@example.org",
                "--first-name",
                "Otto",
                "--last-name",
                "Ofen",
            ],
        );
    })
    .await;
    open_event(&app, event).await;
    app.click("event-checkin").await;
    app.wait_for("checkin-desk").await;
    assert_eq!(
        app.focused_testid().await,
        "checkin-search",
        "the search has the focus"
    );
    app.wait_for_text("checkin-count-offen", "2").await;
    app.keys("checkin-search", "pott").await;
    app.wait_for_text("checkin-search-results", "Pott").await;
    app.keys("checkin-search", ENTER).await;
    app.wait_for_text("checkin-last-name", "Pott").await;
    app.wait_for_text("checkin-count-anwesend", "1").await;
    app.wait_for_text("checkin-count-offen", "1").await;
    assert_eq!(attendance_states(&app, event), ["anwesend"]);
    app.click("checkin-undo").await;
    app.wait_for_text("checkin-count-anwesend", "0").await;
    app.wait_for_text("checkin-count-offen", "2").await;
    assert!(
        attendance_states(&app, event).is_empty(),
        "undo removed the mark"
    );
    app.close().await;
}

/// The attendance marks of `event` in the app's database (the demo data has marks of its own).
fn attendance_states(app: &App, event: i64) -> Vec<String> {
    app.db()
        .prepare(
            "SELECT a.state FROM attendance a
             JOIN registrations r ON r.id = a.registration_id
             WHERE r.event_id = ?1 ORDER BY a.id",
        )
        .unwrap()
        .query_map([event], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[tokio::test]
async fn a_duplicate_is_warned_about_and_merged() {
    let app = App::launch_seeded().await;
    let (keep, remove): (i64, i64) = {
        let db = app.db();
        let id = |mail: &str| -> i64 {
            db.query_row("SELECT id FROM persons WHERE email = ?1", [mail], |r| {
                r.get(0)
            })
            .unwrap()
        };
        (
            id("hans-peter.kowalski@example.org"),
            id("hp.kowalski@example.net"),
        )
    };
    app.click("nav-contacts").await;
    // A new entry with the same name and Ort triggers the warning.
    app.click("person-new").await;
    app.fill("person-form-first-name", "Hans-Peter").await;
    app.fill("person-form-last-name", "Kowalski").await;
    app.fill("person-form-ort", "Bocholt").await;
    app.click("person-form-save").await;
    app.wait_for(&format!("person-duplicate-{keep}")).await;
    app.click("person-form-cancel").await;
    // Merge the second record into the first.
    app.fill("contacts-search", "kowalski").await;
    // Wait for the debounced search: clicking while the table re-renders can miss the row.
    app.wait_for_text("contacts-count", "2 Personen").await;
    app.click(&format!("person-edit-{remove}")).await;
    app.click("person-form-find-duplicates").await;
    app.click(&format!("person-merge-{keep}")).await;
    // The side-by-side preview keeps the kept person's address by default.
    app.wait_for_text("person-merge-result", "hans-peter.kowalski@example.org")
        .await;
    app.click("person-merge-dialog-confirm").await;
    app.wait_for("toast-success").await;
    let db = app.db();
    let left: i64 = db
        .query_row(
            "SELECT count(*) FROM persons WHERE last_name = 'Kowalski'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 1, "one Kowalski remains");
    let registrations: i64 = db
        .query_row(
            "SELECT count(*) FROM registrations WHERE person_id = ?1",
            [keep],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(registrations, 4, "3 of the kept record + 1 moved over");
    let email: String = db
        .query_row("SELECT email FROM persons WHERE id = ?1", [keep], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(email, "hans-peter.kowalski@example.org", "not replaced");
    app.close().await;
}

#[tokio::test]
async fn a_two_day_training_records_attendance_per_day() {
    let mut ids = (0, 0);
    let app = App::launch_with(|db| {
        let event = seed_with_event(db, "25", "2027-11-26 10:00", "2027-11-27 16:00");
        let e = event.to_string();
        let r = json(&cli(
            db,
            &[
                "register",
                "--event",
                &e,
                "--email",
                "tina.tag@example.org",
                "--first-name",
                "Tina",
                "--last-name",
                "Tag",
            ],
        ));
        ids = (event, r["registration_id"].as_i64().unwrap());
    })
    .await;
    let (event, registration) = ids;
    open_event(&app, event).await;
    app.click(&format!("attendance-{registration}-2027-11-26"))
        .await;
    app.wait_for_text("count-anwesend", "1").await;
    app.click(&format!("attendance-{registration}-2027-11-27"))
        .await;
    let second = app
        .wait_for(&format!("attendance-{registration}-2027-11-27"))
        .await;
    let deadline = std::time::Instant::now() + tagungsbuero_e2e::UI_TIMEOUT;
    while second.attr("aria-pressed").await.unwrap().as_deref() != Some("true") {
        assert!(
            std::time::Instant::now() < deadline,
            "day 2 not marked present"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let days: Vec<(String, String)> = app
        .db()
        .prepare("SELECT day, state FROM attendance WHERE registration_id = ?1 ORDER BY day")
        .unwrap()
        .query_map([registration], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        days,
        [
            ("2027-11-26".into(), "anwesend".into()),
            ("2027-11-27".into(), "anwesend".into())
        ]
    );
    app.close().await;
}
