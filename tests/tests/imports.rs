//! Issue 9: the "Importieren" wizard. A web-form export is imported into the 13th Forum with one
//! possible duplicate resolved as the same person (and its mapping saved under a name; a missing
//! file is reported in German first), then the Zoom participant report of that
//! forum with a name matched by hand and the threshold lowered; the counts are checked on screen
//! and in the database, and the attendance import is undone. The native open dialog cannot be
//! driven, so the files are given through the wizard's path field.

use tagungsbuero_e2e::App;

fn fixture(name: &str) -> String {
    format!("{}/fixtures/imports/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test]
async fn a_form_export_and_a_zoom_report_are_imported_through_the_wizard() {
    let app = App::launch_seeded().await;
    let one = |sql: &str| -> i64 { app.db().query_row(sql, [], |r| r.get(0)).unwrap() };
    let forum = one("SELECT id FROM events WHERE number = 13");
    let iryna = one("SELECT id FROM persons WHERE email = 'iryna.melnyk@example.org'");
    let registered = |forum: i64| {
        app.db()
            .query_row(
                "SELECT count(*) FROM registrations WHERE event_id = ?1",
                [forum],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
    };
    let before = registered(forum);

    // Registrations from the event page.
    app.click(&format!("event-open-{forum}")).await;
    app.click("event-import").await;
    app.wait_for("import-view").await;
    app.fill("import-path", &fixture("fehlt.csv")).await;
    app.click("import-path-open").await;
    app.wait_for_text("import-error", "Die Datei gibt es nicht.")
        .await;
    app.fill("import-path", &fixture("wizard_form.csv")).await;
    app.click("import-path-open").await;
    app.wait_for_text("import-format", "Google Forms").await;
    assert_eq!(app.text("import-encoding").await, "UTF-8");
    assert_eq!(app.text("import-delimiter").await, "Komma");
    assert!(!app.exists("import-error").await);
    app.fill("import-mapping-name", "Anmeldeformular Website")
        .await;
    app.click("import-mapping-save").await;
    app.wait_for_text("toast-success", "Anmeldeformular Website")
        .await;
    assert_eq!(
        one("SELECT count(*) FROM import_mappings WHERE name = 'Anmeldeformular Website'"),
        1
    );
    app.click("import-to-preview").await;
    app.wait_for("import-preview").await;
    assert_eq!(app.text("import-count-new").await, "2");
    assert_eq!(app.text("import-count-known").await, "1");
    assert_eq!(app.text("import-count-review").await, "1");
    assert_eq!(app.text("import-count-error").await, "1");

    // Only the error row when filtered, with its reason.
    app.click("import-filter-error").await;
    app.wait_for_text("import-row-5", "Datenschutz").await;
    assert!(!app.exists("import-row-1").await);
    app.click("import-filter-all").await;
    app.wait_for("import-row-1").await;

    // The possible duplicate side by side, resolved as the stored person.
    app.wait_for_text("import-review-4", "iryna.privat@example.net")
        .await;
    app.wait_for_text("import-review-candidate-4", "iryna.melnyk@example.org")
        .await;
    app.click("import-review-same-4").await;
    app.wait_for_text("import-count-known", "2").await;
    app.wait_for_text("import-review-decision-4", "zugeordnet")
        .await;
    assert_eq!(app.text("import-count-review").await, "0");

    app.click("import-run").await;
    app.wait_for("import-result").await;
    assert_eq!(app.text("import-fig-imported").await, "4");
    assert_eq!(app.text("import-fig-new").await, "2");
    assert_eq!(app.text("import-fig-known").await, "2");
    assert_eq!(app.text("import-fig-errors").await, "1");

    assert_eq!(registered(forum), before + 4);
    let iryna_registered = one(&format!(
        "SELECT count(*) FROM registrations WHERE event_id = {forum} AND person_id = {iryna}"
    ));
    assert_eq!(
        iryna_registered, 1,
        "the review case became the stored person"
    );
    assert_eq!(
        one("SELECT count(*) FROM persons WHERE email LIKE 'iryna.privat%'"),
        0
    );
    assert_eq!(
        one("SELECT count(*) FROM persons WHERE email = 'karl.koch@example.org'"),
        0,
        "the row without consent is not imported"
    );
    let counted = one(&format!(
        "SELECT count(*) FROM registrations WHERE event_id = {forum}
           AND status IN ('angemeldet', 'nachgerueckt')"
    ));
    app.click("import-done").await;
    app.wait_for_text("count-angemeldet", &counted.to_string())
        .await;

    // The Zoom report from the check-in desk.
    let lina = one("SELECT id FROM persons WHERE email = 'lina.neumann@example.org'");
    let tarek = one("SELECT id FROM persons WHERE email = 'tarek.haddad@example.org'");
    app.click("event-checkin").await;
    app.click("checkin-import-attendance").await;
    app.wait_for("import-view").await;
    app.fill("import-path", &fixture("wizard_zoom.csv")).await;
    app.click("import-path-open").await;
    app.wait_for_text("import-format", "Zoom").await;
    app.click("import-to-preview").await;
    app.wait_for("import-attendance").await;
    assert_eq!(
        app.text(&format!("import-participant-present-{lina}"))
            .await,
        "ja"
    );
    assert_eq!(
        app.text(&format!("import-participant-present-{tarek}"))
            .await,
        "nein",
        "20 of 120 minutes are below the default threshold"
    );
    let mut ipad = None;
    for i in 0..2 {
        if app
            .text(&format!("import-unmatched-{i}"))
            .await
            .contains("iPad Wohnzimmer")
        {
            ipad = Some(i);
        }
    }
    let ipad = ipad.expect("the tablet's name is listed as unmatched");
    app.set_value(&format!("import-match-{ipad}"), &iryna.to_string())
        .await;
    app.wait_for(&format!("import-participant-{iryna}")).await;
    app.fill("import-threshold", "15").await;
    app.click("import-threshold-apply").await;
    app.wait_for_text(&format!("import-participant-present-{tarek}"), "ja")
        .await;

    app.click("import-run").await;
    app.wait_for("import-result").await;
    assert_eq!(app.text("import-fig-participants").await, "3");
    assert_eq!(app.text("import-fig-present").await, "3");
    assert_eq!(app.text("import-fig-unmatched").await, "1");
    let minutes = |person: i64| {
        app.db()
            .query_row(
                "SELECT a.minutes FROM attendance a JOIN registrations r ON r.id = a.registration_id
                  WHERE r.event_id = ?1 AND r.person_id = ?2 AND a.state = 'anwesend'",
                [forum, person],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
    };
    assert_eq!(minutes(lina), 110, "overlapping joins are counted once");
    assert_eq!(minutes(tarek), 20);
    assert_eq!(minutes(iryna), 120);
    assert_eq!(
        one("SELECT person_id FROM person_aliases WHERE alias = 'iPad Wohnzimmer'"),
        iryna,
        "the name matched by hand is remembered"
    );

    // "Rückgängig" removes the marks of the last import again.
    app.click("import-undo").await;
    app.click("import-undo-dialog-confirm").await;
    app.wait_for("import-undone").await;
    assert_eq!(
        one(&format!(
            "SELECT count(*) FROM attendance a JOIN registrations r ON r.id = a.registration_id
              WHERE r.event_id = {forum} AND a.minutes IS NOT NULL"
        )),
        0
    );
    assert_eq!(registered(forum), before + 4, "the registrations stay");
    app.close().await;
}
