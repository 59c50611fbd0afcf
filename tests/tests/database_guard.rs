//! Issue 8: the database guard seen from outside — the CLI refuses a database the app has open
//! (exit code 3, German message) and works again once the app is closed; a database file deleted
//! while the app runs is noticed and written back by "Datenbank wiederherstellen".

use std::process::Command;

use tagungsbuero_e2e::{App, cli, cli_binary};

fn cli_on(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(cli_binary())
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("tagungsbuero-cli could not start")
}

#[tokio::test]
async fn the_cli_refuses_a_database_the_app_has_open() {
    let app = App::launch_seeded().await;
    let db = app.db_path.clone();
    let refused = cli_on(&db, &["events", "list", "--json"]);
    assert_eq!(refused.status.code(), Some(3), "{refused:?}");
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("bereits geöffnet"), "{message}");
    assert!(refused.stdout.is_empty());
    // The app is unharmed: its -wal is still there and it keeps working.
    app.click("nav-contacts").await;
    app.wait_for("contacts-table").await;
    let _data = app.quit().await;
    let listed = cli(&db, &["events", "list", "--json"]);
    assert!(listed.contains("Forum"), "{listed}");
}

#[tokio::test]
async fn a_deleted_database_file_is_noticed_and_restored() {
    let app = App::launch_seeded().await;
    let db = app.db_path.clone();
    let events_before = app
        .db()
        .query_row("SELECT count(*) FROM events", [], |r| r.get::<_, i64>(0))
        .unwrap();
    assert!(events_before > 0);
    std::fs::remove_file(&db).unwrap();
    let notice = app.wait_for("database-file-notice").await;
    let text = notice.text().await.unwrap();
    assert!(text.contains("gelöscht"), "{text}");
    app.click("database-restore").await;
    app.wait_gone("database-file-notice").await;
    assert!(db.exists(), "the file is back in place");
    let _data = app.quit().await;
    let events_after: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(events_after, events_before);
}
