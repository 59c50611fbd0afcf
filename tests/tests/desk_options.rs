//! Issue 11, items 4 and 5: after a registration the role, source, flags and comment start over
//! (the next Enter does not register a Referent*in again); an event that is over asks before
//! the registration panel appears.

use tagungsbuero_e2e::{App, cli, create_event};

const ENTER: &str = "\u{E007}";

fn create_past_event(db: &std::path::Path) -> i64 {
    create_event(
        db,
        &[
            "--title",
            "Regionaltreffen Ruhrgebiet",
            "--starts-at",
            "2020-01-31 11:00",
            "--ends-at",
            "2020-01-31 13:00",
        ],
    )
}

async fn select_value(app: &App, testid: &str) -> String {
    app.client
        .execute(
            &format!("return document.querySelector('[data-testid={testid}]').value"),
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn options_start_over_and_late_registrations_are_asked_first() {
    let mut late = 0;
    let app = App::launch_with(|db| {
        cli(db, &["seed-demo"]);
        late = create_past_event(db);
    })
    .await;
    app.click(&format!("event-open-{late}")).await;
    app.wait_for_text("register-late", "Die Veranstaltung ist vorbei.")
        .await;
    assert!(!app.exists("register-panel").await, "asked first");
    app.click("register-late-accept").await;
    app.wait_for("register-panel").await;

    // Register a Referent*in with a comment, then the next person.
    app.set_value("register-role", "referent").await;
    app.set_value("register-source", "vor_ort").await;
    app.click("register-needs-attention").await;
    app.fill("register-comment", "hält den Impulsvortrag").await;
    app.fill("register-search", "kowalski").await;
    app.wait_for_text("register-search-results", "Kowalski")
        .await;
    app.keys("register-search", ENTER).await;
    app.wait_for_text("toasts", "Kowalski").await;
    assert_eq!(select_value(&app, "register-role").await, "teilnehmer");
    assert_eq!(select_value(&app, "register-source").await, "telefon_email");
    assert_eq!(select_value(&app, "register-comment").await, "");
    let checked = app
        .client
        .execute(
            "return document.querySelector('[data-testid=register-needs-attention]').checked",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(checked, serde_json::json!(false));
    let role: String = app
        .db()
        .query_row(
            "SELECT role FROM registrations WHERE event_id = ?1",
            [late],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(role, "referent");
    app.close().await;
}
