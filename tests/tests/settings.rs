//! Issue 10, item 7: the "Einstellungen" screen. The organisation's name and funding line are
//! saved per section (German field errors, nothing saved on an error) and become the organiser
//! and Förderhinweis of a new event; the screen says where the database lives.

use tagungsbuero_e2e::App;

#[tokio::test]
async fn the_settings_are_saved_by_section_and_prefill_new_events() {
    let app = App::launch().await;
    app.click("nav-settings").await;
    let path = app.text("settings-database-path").await;
    assert!(path.ends_with("tagungsbuero.db"), "{path}");
    assert!(app.exists("settings-database-reveal").await);

    app.fill(
        "settings-organisation-name",
        "Partnerschaftsverein Musterstadt e.V.",
    )
    .await;
    app.fill("settings-funding-note", "Gefördert vom Land NRW")
        .await;
    app.fill("settings-retention-months", "zwei Jahre").await;
    app.click("settings-organisation-save").await;
    app.wait_for("toast-success").await;
    let stored = |column: &str| -> String {
        app.db()
            .query_row(
                &format!("SELECT CAST({column} AS TEXT) FROM office_settings"),
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(
        stored("organisation_name"),
        "Partnerschaftsverein Musterstadt e.V."
    );
    assert_eq!(stored("funding_note"), "Gefördert vom Land NRW");
    // The unfinished retention entry was neither saved nor lost.
    assert_eq!(stored("retention_months"), "24");
    app.click("settings-privacy-save").await;
    app.wait_for_text("field-error-retention_months", "ganze Zahl von Monaten")
        .await;
    app.fill("settings-retention-months", "300").await;
    app.click("settings-privacy-save").await;
    app.wait_for_text("field-error-retention_months", "zwischen 1 und 240")
        .await;
    assert_eq!(stored("retention_months"), "24");
    app.fill("settings-retention-months", "36").await;
    app.click("settings-privacy-save").await;
    app.wait_gone("field-error-retention_months").await;
    assert_eq!(stored("retention_months"), "36");

    app.click("nav-events").await;
    app.click("event-new").await;
    let organiser = app.wait_for("event-form-organiser").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let value = organiser.prop("value").await.unwrap().unwrap_or_default();
        if value == "Partnerschaftsverein Musterstadt e.V." {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "organiser not prefilled: {value:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let funding = app.wait_for("event-form-funding-note").await;
    assert_eq!(
        funding.prop("value").await.unwrap().as_deref(),
        Some("Gefördert vom Land NRW")
    );
    app.close().await;
}
