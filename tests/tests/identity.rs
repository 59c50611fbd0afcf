//! Issue 8: one identity per e-mail address, merging two contacts with a side-by-side preview
//! (also when both were registered for the same event), and the check-in desk's whole-action
//! undo and "trotzdem einlassen".

use std::path::Path;

use rusqlite::Connection;
use serde_json::Value;
use tagungsbuero_e2e::{App, ENTER, cli};

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("CLI prints JSON")
}

fn create_event(db: &Path, capacity: &str) -> i64 {
    json(&cli(
        db,
        &[
            "events",
            "create",
            "--title",
            "Regionaltreffen Münsterland",
            "--starts-at",
            "2027-05-06 18:00",
            "--ends-at",
            "2027-05-06 20:00",
            "--capacity",
            capacity,
            "--format",
            "praesenz",
            "--json",
        ],
    ))["id"]
        .as_i64()
        .unwrap()
}

fn register(db: &Path, event: i64, email: &str, first: &str, last: &str) -> Value {
    json(&cli(
        db,
        &[
            "register",
            "--event",
            &event.to_string(),
            "--email",
            email,
            "--first-name",
            first,
            "--last-name",
            last,
        ],
    ))
}

fn person_id(db: &Connection, email: &str) -> i64 {
    db.query_row(
        "SELECT id FROM persons WHERE email_key = lower(?1)",
        [email],
        |r| r.get(0),
    )
    .unwrap()
}

fn scalar(db: &Connection, sql: &str, param: i64) -> i64 {
    db.query_row(sql, [param], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn a_look_alike_asks_first_and_a_known_email_offers_that_person() {
    let mut event = 0;
    let app = App::launch_with(|db| {
        cli(db, &["seed-demo"]);
        event = create_event(db, "30");
    })
    .await;
    let persons_before = scalar(&app.db(), "SELECT count(*) + ?1 FROM persons", 0);
    let kowalski = person_id(&app.db(), "hans-peter.kowalski@example.org");
    app.click(&format!("event-open-{event}")).await;
    // Same name and Ort with another address: the form asks, and may create anyway.
    app.click("register-new-person-open").await;
    app.fill("register-new-first-name", "Hans-Peter").await;
    app.fill("register-new-last-name", "Kowalski").await;
    app.fill("register-new-ort", "Bocholt").await;
    app.fill("register-new-email", "hp.k@example.com").await;
    app.click("register-submit").await;
    app.wait_for_text("register-duplicate", "Es gibt bereits Hans-Peter Kowalski")
        .await;
    app.click("register-duplicate-create").await;
    app.wait_for_text("count-angemeldet", "1").await;
    // A known address (other case): "diese Person anmelden" instead of a second person.
    app.click("register-new-person-open").await;
    app.fill("register-new-first-name", "Hans Peter").await;
    app.fill("register-new-last-name", "Kowalski").await;
    app.fill("register-new-email", "Hans-Peter.Kowalski@Example.org")
        .await;
    app.click("register-submit").await;
    app.wait_for_text(
        "register-duplicate",
        "gehört bereits zu Hans-Peter Kowalski",
    )
    .await;
    app.click(&format!("register-duplicate-use-{kowalski}"))
        .await;
    app.wait_for_text("count-angemeldet", "2").await;
    let db = app.db();
    assert_eq!(
        scalar(&db, "SELECT count(*) + ?1 FROM persons", 0),
        persons_before + 1,
        "only the confirmed new person was created"
    );
    let known: i64 = db
        .query_row(
            "SELECT count(*) FROM registrations WHERE event_id = ?1 AND person_id = ?2",
            [event, kowalski],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(known, 1, "the known person is registered");
    app.close().await;
}

#[tokio::test]
async fn merging_two_contacts_registered_for_the_same_event_keeps_the_counted_place() {
    let mut ids = (0, 0, 0);
    let app = App::launch_with(|db| {
        cli(db, &["seed-demo"]);
        let event = create_event(db, "1");
        // The private record registered first and holds the place; the club record waits.
        let holder = register(db, event, "hp.kowalski@example.net", "", "");
        assert_eq!(holder["status"], "angemeldet");
        let waiting = register(db, event, "hans-peter.kowalski@example.org", "", "");
        assert_eq!(waiting["status"], "warteliste");
        let third = register(db, event, "zora.zweite@example.org", "Zora", "Zweite");
        ids = (
            event,
            holder["registration_id"].as_i64().unwrap(),
            third["registration_id"].as_i64().unwrap(),
        );
    })
    .await;
    let (event, holder, third) = ids;
    let (keep, remove) = {
        let db = app.db();
        (
            person_id(&db, "hans-peter.kowalski@example.org"),
            person_id(&db, "hp.kowalski@example.net"),
        )
    };
    app.click("nav-contacts").await;
    app.click("contacts-duplicates").await;
    app.click(&format!("duplicate-pair-merge-{keep}-{remove}"))
        .await;
    app.wait_for("person-merge-dialog").await;
    // Side by side: both addresses, the kept one chosen; the plan for the shared event.
    app.wait_for_text("person-merge-field-email", "hp.kowalski@example.net")
        .await;
    app.wait_for_text("person-merge-result", "hans-peter.kowalski@example.org")
        .await;
    let plan = app
        .wait_for_text(
            &format!("person-merge-event-{event}"),
            &format!("Bleibt: Anmeldung Nr. {holder}"),
        )
        .await;
    assert!(plan.contains("Angemeldet"), "{plan}");
    // Picking the private phone number is one click (the club phone is the default).
    app.click("person-merge-phone-remove").await;
    app.wait_for_text("person-merge-result", "Hans-Peter Kowalski")
        .await;
    app.click("person-merge-dialog-confirm").await;
    app.wait_for("toast-success").await;

    let db = app.db();
    let (email, phone): (String, String) = db
        .query_row(
            "SELECT email, phone FROM persons WHERE id = ?1",
            [keep],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(email, "hans-peter.kowalski@example.org");
    assert_eq!(phone, "+49 171 0000418");
    let (person, status): (i64, String) = db
        .query_row(
            "SELECT person_id, status FROM registrations WHERE id = ?1",
            [holder],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((person, status.as_str()), (keep, "angemeldet"));
    assert_eq!(
        scalar(
            &db,
            "SELECT waitlist_position FROM registrations WHERE id = ?1",
            third
        ),
        1
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) FROM person_history WHERE person_id = ?1 AND summary LIKE 'zusammengeführt mit%'",
            keep
        ),
        1
    );
    // The history shows in the contact.
    app.fill("contacts-search", "kowalski").await;
    app.wait_for_text("contacts-count", "1 Person").await;
    app.click(&format!("person-edit-{keep}")).await;
    app.wait_for_text("person-history", "zusammengeführt mit Hans-Peter Kowalski")
        .await;
    app.close().await;
}

#[tokio::test]
async fn the_desk_admits_from_the_waiting_list_and_undoes_a_walk_in_completely() {
    let mut ids = (0, 0);
    let app = App::launch_with(|db| {
        let event = create_event(db, "1");
        register(db, event, "erika.erste@example.org", "Erika", "Erste");
        let waiting = register(db, event, "wilma.warte@example.org", "Wilma", "Warte");
        ids = (event, waiting["registration_id"].as_i64().unwrap());
    })
    .await;
    let (event, waiting) = ids;
    app.click(&format!("event-open-{event}")).await;
    app.click("event-checkin").await;
    app.wait_for("checkin-desk").await;
    // The waiting list shows at the desk; Enter asks before overbooking.
    app.keys("checkin-search", "warte").await;
    app.wait_for_text("checkin-search-results", "Warteliste (Platz 1)")
        .await;
    app.keys("checkin-search", ENTER).await;
    app.wait_for_text("checkin-admit-question", "1 von 1 Plätzen belegt")
        .await;
    app.click("checkin-admit-dialog-confirm").await;
    app.wait_for_text("checkin-last-name", "Warte").await;
    app.wait_for_text("checkin-count-anwesend", "1").await;
    app.wait_for_text("checkin-count-angemeldet", "2").await;
    let status = |app: &App| -> String {
        app.db()
            .query_row(
                "SELECT status FROM registrations WHERE id = ?1",
                [waiting],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(status(&app), "nachgerueckt");
    app.click("checkin-undo").await;
    app.wait_for_text("checkin-count-angemeldet", "1").await;
    assert_eq!(status(&app), "warteliste");

    // A walk-in: Enter without a hit opens the form; the undo removes everything it created.
    app.keys("checkin-search", "Otto Ofen").await;
    app.wait_for("checkin-search-empty").await;
    app.keys("checkin-search", ENTER).await;
    app.fill("checkin-walkin-email", "otto.ofen@example.org")
        .await;
    app.click("checkin-walkin-submit").await;
    app.wait_for_text("checkin-last-name", "Otto Ofen").await;
    app.wait_for_text("checkin-count-angemeldet", "2").await;
    app.click("checkin-undo").await;
    app.wait_for_text("checkin-count-angemeldet", "1").await;
    app.wait_for("toast-info").await;
    {
        let db = app.db();
        assert_eq!(
            scalar(
                &db,
                "SELECT count(*) FROM persons WHERE email = 'otto.ofen@example.org' AND ?1 = ?1",
                0
            ),
            0,
            "the contact the walk-in created is gone"
        );
    }
    // A walk-in with a known address checks that person in instead of creating a second one.
    let erika = person_id(&app.db(), "erika.erste@example.org");
    app.keys("checkin-search", "Eri Neu").await;
    app.wait_for("checkin-search-empty").await;
    app.keys("checkin-search", ENTER).await;
    app.fill("checkin-walkin-email", "Erika.Erste@example.org")
        .await;
    app.click("checkin-walkin-submit").await;
    app.wait_for_text("checkin-walkin-duplicate", "gehört bereits zu Erika Erste")
        .await;
    app.click(&format!("checkin-walkin-use-{erika}")).await;
    app.wait_for_text("checkin-last-name", "Erika Erste").await;
    app.wait_for_text("checkin-count-anwesend", "1").await;
    let db = app.db();
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) FROM registrations WHERE event_id = ?1",
            event
        ),
        2
    );
    app.close().await;
}
