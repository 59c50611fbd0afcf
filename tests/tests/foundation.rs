//! Issue 2: creating an event through the form, registering two persons, the counts, the rows
//! in the SQLite file, and the German error for an end before the start.

use tagungsbuero_e2e::{App, ENTER};

async fn create_event(app: &App, title: &str, starts: &str, ends: &str) {
    app.click("event-new").await;
    app.fill("event-form-title", title).await;
    app.fill("event-form-starts-at", starts).await;
    app.fill("event-form-ends-at", ends).await;
    app.fill("event-form-capacity", "30").await;
    app.click("event-form-save").await;
}

async fn register_new_person(app: &App, first: &str, last: &str, email: &str) {
    app.fill("register-search", last).await;
    app.keys("register-search", ENTER).await;
    app.wait_for("register-new-form").await;
    app.fill("register-new-first-name", first).await;
    app.fill("register-new-last-name", last).await;
    app.fill("register-new-email", email).await;
    app.click("register-submit").await;
}

#[tokio::test]
async fn create_an_event_register_two_persons_and_read_them_back() {
    let app = App::launch().await;
    create_event(
        &app,
        "16. Forum Städtepartnerschaften NRW",
        "13.05.2027 11:00",
        "13.05.2027 13:00",
    )
    .await;
    app.wait_for_text("event-title", "16. Forum Städtepartnerschaften NRW")
        .await;
    app.wait_for_text("event-when", "Do, 13.05.2027, 11:00–13:00")
        .await;

    register_new_person(&app, "Anna", "Beispiel", "anna.beispiel@example.org").await;
    app.wait_for_text("count-angemeldet", "1").await;
    register_new_person(&app, "Jörg", "Weiß", "joerg.weiss@example.org").await;
    app.wait_for_text("count-angemeldet", "2").await;
    app.wait_for_text("registrations-shown", "2").await;
    let table = app.text("registrations-table").await;
    assert!(
        table.contains("Beispiel, Anna") && table.contains("Weiß, Jörg"),
        "{table}"
    );

    let db = app.db();
    let (title, starts_at): (String, String) = db
        .query_row("SELECT title, starts_at FROM events", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(title, "16. Forum Städtepartnerschaften NRW");
    assert_eq!(starts_at, "2027-05-13T09:00:00Z", "stored in UTC");
    let rows: Vec<(String, String, String)> = db
        .prepare(
            "SELECT p.last_name, p.email, r.status FROM registrations r
             JOIN persons p ON p.id = r.person_id ORDER BY p.last_name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        [
            (
                "Beispiel".into(),
                "anna.beispiel@example.org".into(),
                "angemeldet".into()
            ),
            (
                "Weiß".into(),
                "joerg.weiss@example.org".into(),
                "angemeldet".into()
            ),
        ]
    );
    app.close().await;
}

#[tokio::test]
async fn an_end_before_the_start_shows_the_german_error_and_saves_nothing() {
    let app = App::launch().await;
    create_event(
        &app,
        "Regionaltreffen Münsterland",
        "20.04.2027 14:00",
        "20.04.2027 12:00",
    )
    .await;
    let message = app.wait_for_text("field-error-ends_at", "Ende").await;
    assert!(message.contains("nach dem Beginn"), "{message}");
    app.wait_for("event-form-errors").await;
    let typed = app
        .wait_for("event-form-title")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(typed, "Regionaltreffen Münsterland", "the input is kept");
    let count: i64 = app
        .db()
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 0, "nothing saved");
    app.close().await;
}
