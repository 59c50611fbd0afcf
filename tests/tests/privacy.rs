//! Issue 10 (Datenschutz): consent given in the registration form is recorded with date and
//! source and shown on the person; the shredder's preview names what goes and what stays and
//! its run leaves anonymous registrations; the Art. 15 Auskunft is written as Excel to the chosen
//! folder, and Art. 17 erasure removes the person.

use calamine::{Data, Reader, Xlsx, open_workbook};
use tagungsbuero_e2e::{App, cli, create_event};

fn scalar(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn past_event_with_two(db: &std::path::Path) -> i64 {
    let event = create_event(
        db,
        &[
            "--title",
            "Regionaltreffen Rheinland",
            "--starts-at",
            "2024-05-13 11:00",
            "--ends-at",
            "2024-05-13 13:00",
        ],
    );
    for (email, last) in [
        ("a.wolkenstein@example.org", "Wolkenstein"),
        ("b.quast@example.org", "Quast"),
    ] {
        cli(
            db,
            &[
                "register",
                "--event",
                &event.to_string(),
                "--email",
                email,
                "--first-name",
                "Erika",
                "--last-name",
                last,
                "--organisation",
                "Stadt Hürth",
            ],
        );
    }
    event
}

#[tokio::test]
async fn consent_ticked_in_the_registration_form_is_recorded_and_shown_on_the_person() {
    let mut event = 0;
    let app = App::launch_with(|db| {
        event = create_event(
            db,
            &[
                "--title",
                "20. Forum",
                "--starts-at",
                "2099-05-13 11:00",
                "--ends-at",
                "2099-05-13 13:00",
            ],
        );
    })
    .await;
    app.click(&format!("event-open-{event}")).await;
    app.click("register-consent-fotos").await;
    app.click("register-consent-einladungen").await;
    app.click("register-new-person-open").await;
    app.fill("register-new-first-name", "Olena").await;
    app.fill("register-new-last-name", "Hrytsenko").await;
    app.fill("register-new-email", "olena@example.org").await;
    app.click("register-submit").await;
    app.wait_for_text("count-angemeldet", "1").await;
    let db = app.db();
    let recorded: Vec<(String, String, String)> = db
        .prepare("SELECT purpose, state, source FROM consents ORDER BY purpose")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        recorded,
        [
            (
                "einladungen".to_owned(),
                "erteilt".to_owned(),
                "telefon".to_owned()
            ),
            (
                "fotos".to_owned(),
                "erteilt".to_owned(),
                "telefon".to_owned()
            ),
        ]
    );
    // The panel's default source is "Telefon/E-Mail", so the consents are recorded as "Telefon".
    let person = scalar(&db, "SELECT id FROM persons");
    // The person shows it; withdrawing the photo consent is saved.
    app.click("nav-contacts").await;
    app.click(&format!("person-edit-{person}")).await;
    app.wait_for("person-privacy").await;
    let state = app.wait_for("consent-state-fotos").await;
    assert_eq!(
        state.prop("value").await.unwrap().as_deref(),
        Some("erteilt")
    );
    app.set_value("consent-state-fotos", "widerrufen").await;
    // The person form is long (history, e-mails, consents): bring the button to the middle of the
    // window, away from the form's sticky action bar, before clicking it.
    let save = app.wait_for("consent-save").await;
    app.client
        .execute(
            "arguments[0].scrollIntoView({ block: 'center' });",
            vec![serde_json::to_value(&save).unwrap()],
        )
        .await
        .unwrap();
    app.click("consent-save").await;
    app.wait_for_text("toast-success", "Einwilligungen gespeichert")
        .await;
    assert_eq!(
        scalar(
            &app.db(),
            "SELECT count(*) FROM consents WHERE purpose = 'fotos' AND state = 'widerrufen'"
        ),
        1
    );
    app.close().await;
}

#[tokio::test]
async fn the_shredder_shows_what_goes_and_what_stays_then_anonymises_the_event() {
    let mut event = 0;
    let app = App::launch_with(|db| event = past_event_with_two(db)).await;
    // The deletion date (2 years after the end) has passed: the list says so.
    app.wait_for(&format!("event-due-{event}")).await;
    app.click(&format!("event-open-{event}")).await;
    app.wait_for_text("event-privacy-due", "Löschfrist").await;
    app.click("event-shred").await;
    app.wait_for("shred-dialog").await;
    app.wait_for_text("shred-removed", "2 Anmeldungen").await;
    app.wait_for_text("shred-removed", "2 Kontakte werden gelöscht")
        .await;
    app.wait_for_text("shred-kept", "2 anonyme Anmeldungen")
        .await;
    // The preview wrote nothing.
    assert_eq!(scalar(&app.db(), "SELECT count(*) FROM persons"), 2);
    app.click("shred-run").await;
    app.wait_for_text("event-privacy-retention", "gelöscht")
        .await;
    let db = app.db();
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) FROM registrations WHERE person_id IS NULL"
        ),
        2
    );
    assert_eq!(scalar(&db, "SELECT count(*) FROM persons"), 0);
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) FROM deletion_log WHERE kind = 'veranstaltung'"
        ),
        1
    );
    // The counters are unchanged.
    app.wait_for_text("count-angemeldet", "2").await;
    app.close().await;
}

#[tokio::test]
async fn the_auskunft_is_written_as_excel_and_the_person_can_be_erased() {
    let app = App::launch_with(|db| {
        past_event_with_two(db);
    })
    .await;
    let person = scalar(
        &app.db(),
        "SELECT id FROM persons WHERE last_name = 'Quast'",
    );
    app.click("nav-contacts").await;
    app.click(&format!("person-edit-{person}")).await;
    app.click("person-auskunft-xlsx").await;
    app.wait_for_text("person-auskunft-saved", "Auskunft-Art15")
        .await;
    let file = std::fs::read_dir(app.export_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("Auskunft-Art15_Quast"))
        .expect("the Auskunft file in the chosen folder");
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    assert!(book.sheet_names().contains(&"Anmeldungen".to_owned()));
    let sheet = book.worksheet_range("Person").unwrap();
    assert!(
        sheet
            .cells()
            .any(|(_, _, c)| matches!(c, Data::String(s) if s == "b.quast@example.org"))
    );
    let registrations = book.worksheet_range("Anmeldungen").unwrap();
    assert!(
        registrations
            .cells()
            .any(|(_, _, c)| matches!(c, Data::String(s) if s == "Regionaltreffen Rheinland"))
    );

    app.click("person-erase").await;
    app.wait_for_text("erase-removed", "1 Anmeldung").await;
    app.wait_for_text("erase-kept", "1 anonyme Anmeldung").await;
    app.click("erase-run").await;
    app.wait_gone(&format!("person-row-{person}")).await;
    let db = app.db();
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) FROM persons WHERE last_name = 'Quast'"
        ),
        0
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) FROM registrations WHERE person_id IS NULL"
        ),
        1
    );
    app.close().await;
}
