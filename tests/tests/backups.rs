//! Issue 10, item 6: backups listed in Einstellungen with date, size and counts, "Jetzt sichern",
//! and a restore from the UI: pick a backup, see its date and counts, confirm; the current
//! database is kept next to it and the running app goes on with the restored data.

use tagungsbuero_e2e::App;

#[tokio::test]
async fn a_backup_is_listed_and_restored_from_the_settings() {
    let app = App::launch_seeded().await;
    let organisation = |app: &App| -> String {
        app.db()
            .query_row("SELECT organisation_name FROM office_settings", [], |r| {
                r.get(0)
            })
            .unwrap()
    };
    let original = organisation(&app);
    app.click("nav-settings").await;
    app.click("backup-now").await;
    app.wait_for_text("toast-success", "Gesichert").await;
    app.wait_for("backup-row-0").await;
    // Both the start-up backup and this one are from today: the rotation keeps the newest.
    assert!(!app.exists("backup-row-1").await);
    let counts = app.text("backup-counts-0").await;
    assert!(
        counts.contains("Personen") && counts.contains("Anmeldungen"),
        "{counts}"
    );
    assert!(
        app.text("backup-last")
            .await
            .starts_with("Letzte Sicherung:")
    );
    assert!(app.text("backup-folder").await.contains("Sicherungen"));

    // A change after the backup …
    app.fill("settings-organisation-name", "Geändert nach der Sicherung")
        .await;
    app.click("settings-organisation-save").await;
    app.wait_for("toast-success").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while organisation(&app) != "Geändert nach der Sicherung" {
        assert!(std::time::Instant::now() < deadline, "not saved");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // … is undone by restoring the backup; the question names date and counts.
    app.click("backup-restore-0").await;
    let question = app.text("backup-restore-question").await;
    assert!(
        question.contains("Stand vom") && question.contains("Personen"),
        "{question}"
    );
    app.click("backup-restore-dialog-confirm").await;
    app.wait_for_text("toast-success", "wiederhergestellt")
        .await;
    assert_eq!(organisation(&app), original);
    let field = app.wait_for("settings-organisation-name").await;
    assert_eq!(
        field.prop("value").await.unwrap().as_deref(),
        Some(original.as_str())
    );
    let folder = app.export_dir().parent().unwrap().to_owned();
    let kept: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("tagungsbuero.vor-wiederherstellung-"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced database is kept next to it");

    // The app goes on writing into the restored file.
    app.fill("settings-retention-months", "30").await;
    app.click("settings-privacy-save").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let months: i64 = app
            .db()
            .query_row("SELECT retention_months FROM office_settings", [], |r| {
                r.get(0)
            })
            .unwrap();
        if months == 30 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not saved after the restore"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    app.close().await;
}
