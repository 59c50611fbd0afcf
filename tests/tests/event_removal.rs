//! Issue 11, item 3: an event without registrations is deleted after one question; one with
//! registrations can be cancelled ("abgesagt") and is only deleted after its title is typed.

use tagungsbuero_e2e::{App, cli, create_event};

fn create_titled(db: &std::path::Path, title: &str) -> i64 {
    create_event(
        db,
        &[
            "--title",
            title,
            "--series",
            "forum",
            "--starts-at",
            "2099-05-13 11:00",
            "--ends-at",
            "2099-05-13 13:00",
        ],
    )
}

#[tokio::test]
async fn events_are_cancelled_or_deleted_only_on_purpose() {
    let (mut empty, mut busy) = (0, 0);
    let app = App::launch_with(|db| {
        empty = create_titled(db, "Testveranstaltung");
        busy = create_titled(db, "17. Forum Städtepartnerschaften NRW");
        cli(
            db,
            &[
                "register",
                "--event",
                &busy.to_string(),
                "--email",
                "anna@example.org",
                "--first-name",
                "Anna",
                "--last-name",
                "Muster",
            ],
        );
    })
    .await;
    let count = |id: i64| -> i64 {
        app.db()
            .query_row("SELECT count(*) FROM events WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap()
    };

    // Without registrations: one question, then gone.
    app.click(&format!("event-open-{empty}")).await;
    assert!(
        !app.exists("event-cancel").await,
        "nothing to cancel without registrations"
    );
    app.click("event-delete").await;
    app.click("event-delete-dialog-confirm").await;
    app.wait_for(&format!("event-open-{busy}")).await;
    assert_eq!(count(empty), 0);

    // With registrations: cancel keeps everything.
    app.click(&format!("event-open-{busy}")).await;
    app.click("event-cancel").await;
    app.click("event-cancel-dialog-confirm").await;
    app.wait_for_text("event-status", "Abgesagt").await;
    let status: String = app
        .db()
        .query_row("SELECT status FROM events WHERE id = ?1", [busy], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(status, "abgesagt");

    // Deleting needs the title.
    app.click("event-delete").await;
    app.fill("event-delete-title", "17. Forum").await;
    app.click("event-delete-dialog-confirm").await;
    app.wait_for_text("event-delete-error", "stimmt nicht")
        .await;
    assert_eq!(count(busy), 1);
    app.fill("event-delete-title", "17. Forum Städtepartnerschaften NRW")
        .await;
    app.click("event-delete-dialog-confirm").await;
    app.wait_gone("event-title").await;
    assert_eq!(count(busy), 0);
    let tombstones: i64 = app
        .db()
        .query_row(
            "SELECT count(*) FROM tombstones WHERE table_name IN ('events', 'registrations')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        tombstones, 3,
        "two events and one registration leave tombstones"
    );
    app.close().await;
}
