//! Issue 14, item 4: "Team & Abgleich". The sync file carries another laptop's registration
//! into the app and the app's data back; conflicts after working apart are listed in plain
//! German and settled in the app (choose a value; tell the person who lost the place); the
//! header's status says what waits.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use tagungsbuero_e2e::{App, UI_TIMEOUT, cli, create_event, css, laptops};

/// Reads `sql` from the app's database until it gives `expected` (the UI writes asynchronously).
async fn wait_for_value(app: &App, sql: &str, expected: &str) {
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        let value: Option<String> = app.db().query_row(sql, [], |r| r.get(0)).ok();
        if value.as_deref() == Some(expected) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{sql} gave {value:?}, not {expected}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Brings `element` to the middle of the window (away from the notices at the bottom left).
async fn centre(app: &App, element: &fantoccini::elements::Element) {
    app.client
        .execute(
            "arguments[0].scrollIntoView({ block: 'center' });",
            vec![serde_json::to_value(element).unwrap()],
        )
        .await
        .unwrap();
}

/// Centres `element` and clicks it.
async fn press_element(app: &App, element: fantoccini::elements::Element) {
    centre(app, &element).await;
    element.click().await.unwrap();
}

/// Centres the button and clicks it once it is enabled: the screen disables its buttons
/// while an import still reloads the lists after its notice appeared.
async fn press(app: &App, testid: &str) {
    centre(app, &app.wait_for(testid).await).await;
    app.click(testid).await;
}

async fn import_in_app(app: &App, file: &Path) {
    app.click("nav-team").await;
    app.fill("team-file-path", &file.display().to_string())
        .await;
    press(app, "team-file-path-open").await;
}

#[tokio::test]
async fn a_sync_file_brings_another_laptops_registration_and_takes_the_apps_data_back() {
    let dir = tempfile::tempdir().unwrap();
    let desk = dir.path().join("einlass.db");
    let event = create_event(
        &desk,
        &[
            "--title",
            "Tag der Städtepartnerschaften 2099",
            "--starts-at",
            "2099-06-20 10:00",
            "--ends-at",
            "2099-06-20 17:00",
            "--capacity",
            "200",
        ],
    );
    laptops::register(&desk, event, "erika@example.org", "Erika", "Muster");
    let stick = dir.path().join("stick.abgleich");
    laptops::export(&desk, &stick);

    let app = App::launch().await;
    assert_eq!(app.text("sync-indicator").await, "Nicht gekoppelt");
    app.click("nav-team").await;
    app.wait_for("team-no-peers").await;
    app.fill("team-name", "Büro").await;
    press(&app, "team-name-save").await;
    app.wait_for_text("toast-success", "Name dieses Laptops")
        .await;
    wait_for_value(
        &app,
        "SELECT value FROM sync_state WHERE key = 'name'",
        "Büro",
    )
    .await;

    import_in_app(&app, &stick).await;
    app.wait_for_text("toast-success", "Änderungen übernommen")
        .await;
    app.wait_for_text("team-peer-line", "Letzter Abgleich")
        .await;
    let desk_row = app.text("team-desk").await;
    assert!(
        desk_row.contains("Tag der Städtepartnerschaften 2099"),
        "{desk_row}"
    );
    assert!(
        !desk_row.contains("dieser Laptop"),
        "the desk created the event: {desk_row}"
    );
    assert_ne!(app.text("sync-indicator").await, "Nicht gekoppelt");

    // The desk's registration is on the event's page.
    let here: i64 = app
        .db()
        .query_row(
            "SELECT id FROM events WHERE title = 'Tag der Städtepartnerschaften 2099'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    app.click("nav-events").await;
    app.click(&format!("event-open-{here}")).await;
    let registration: i64 = app
        .db()
        .query_row(
            "SELECT id FROM registrations WHERE event_id = ?1",
            [here],
            |r| r.get(0),
        )
        .unwrap();
    app.wait_for_text(
        &format!("registration-name-{registration}"),
        "Muster, Erika",
    )
    .await;

    // The same file again adds nothing.
    import_in_app(&app, &stick).await;
    app.wait_for_text("toast-success", "Keine neuen Änderungen")
        .await;

    // The app's file goes back to the desk: it learns the app's name.
    press(&app, "team-file-export").await;
    app.wait_for_text("toast-success", "Abgleichsdatei gespeichert")
        .await;
    let written: Vec<_> = std::fs::read_dir(app.export_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let name = written[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("Abgleich_Büro_") && name.ends_with(".abgleich"),
        "{name}"
    );
    let report = laptops::import(&desk, &written[0]);
    assert!(report["applied"].as_u64().unwrap() > 0, "{report}");
    let status: serde_json::Value =
        serde_json::from_str(&cli(&desk, &["sync", "status", "--json"])).unwrap();
    assert_eq!(status["peers"][0]["name"], "Büro", "{status}");
    app.close().await;
}

#[tokio::test]
async fn conflicts_after_working_apart_are_listed_and_settled_in_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk_file = None;
    let app = App::launch_with(|db| desk_file = Some(laptops::disagreeing(db, dir.path()))).await;
    let (file, desk) = desk_file.unwrap();
    import_in_app(&app, &file).await;
    app.wait_for_text("toast-success", "2 Konflikte brauchen eine Entscheidung")
        .await;
    app.wait_for_text("sync-indicator", "Konflikte: 2").await;

    // Max registered last for the one place: the app (the event's Anmeldestelle) moved him
    // back to the waiting list, and says whom to tell.
    let notify = app.text("team-conflict-notify").await;
    assert_eq!(
        notify,
        "Bitte benachrichtigen: Max Beispiel, max@example.org"
    );
    wait_for_value(
        &app,
        "SELECT r.status FROM registrations r JOIN persons p ON p.id = r.person_id WHERE p.email = 'max@example.org'",
        "warteliste",
    )
    .await;
    let desks = app.text("team-desk").await;
    assert!(desks.contains("dieser Laptop"), "{desks}");

    // Two values for Hans Weber's Ort: choose Bonn, confirm.
    let choices = app
        .client
        .find_all(Locator::Css(&css("team-conflict-choose")))
        .await
        .unwrap();
    let mut bonn = None;
    for choice in choices {
        if choice.text().await.unwrap().contains("Bonn") {
            bonn = Some(choice);
        }
    }
    press_element(&app, bonn.expect("a button for Bonn")).await;
    let question = app.text("team-conflict-confirm").await;
    assert!(question.contains("„Bonn“ übernehmen?"), "{question}");
    app.click("team-conflict-confirm-confirm").await;
    app.wait_for_text("toast-success", "Konflikt ist erledigt")
        .await;
    wait_for_value(
        &app,
        "SELECT ort FROM persons WHERE email = 'hans@example.org'",
        "Bonn",
    )
    .await;
    app.wait_for_text("sync-indicator", "Konflikte: 1").await;

    // Max was told: the last conflict is done.
    press(&app, "team-conflict-resolve").await;
    app.wait_for("team-no-conflicts").await;
    let deadline = Instant::now() + UI_TIMEOUT;
    while app.text("sync-indicator").await.starts_with("Konflikte") {
        assert!(
            Instant::now() < deadline,
            "the header still shows conflicts"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The choice reaches the desk with the app's next file: Bonn there too, no conflict left.
    press(&app, "team-file-export").await;
    app.wait_for_text("toast-success", "Abgleichsdatei gespeichert")
        .await;
    let written = std::fs::read_dir(app.export_dir())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    // The app's data dir goes with the app: the stick keeps the file.
    let stick = dir.path().join("zurueck.abgleich");
    std::fs::copy(&written, &stick).unwrap();
    app.close().await;
    let report = laptops::import(&desk, &stick);
    let open: Vec<&str> = report["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["kind"].as_str())
        .collect();
    assert!(!open.contains(&"feld"), "{report}");
    let ort: String = rusqlite::Connection::open(&desk)
        .unwrap()
        .query_row(
            "SELECT ort FROM persons WHERE email = 'hans@example.org'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ort, "Bonn");
}
