//! Issue 16: the support log holds no personal data after a real session (persons registered,
//! a refused duplicate, a panic); a panic in a command leaves the window with a German message;
//! "Über Tagungsbüro" shows the one version number, the database, the data sources and the
//! licences.

use std::time::{Duration, Instant};

use tagungsbuero_e2e::{App, ENTER, UI_TIMEOUT};

const PERSONS: [(&str, &str, &str); 2] = [
    (
        "Xaverine",
        "Quellenbach",
        "xaverine.quellenbach@example.org",
    ),
    ("Ødegard", "Brünnhilde-Sorge", "oedegard.sorge@example.net"),
];

async fn register_new_person(app: &App, first: &str, last: &str, email: &str) {
    app.fill("register-search", last).await;
    app.keys("register-search", ENTER).await;
    app.wait_for("register-new-form").await;
    app.fill("register-new-first-name", first).await;
    app.fill("register-new-last-name", last).await;
    app.fill("register-new-email", email).await;
    app.click("register-submit").await;
}

/// Calls a command from the page like the UI does; returns the error message if it failed.
async fn invoke_error(app: &App, command: &str, args: serde_json::Value) -> Option<String> {
    let script = r#"
        const [command, args, done] = arguments;
        window.__TAURI_INTERNALS__.invoke(command, args)
          .then(() => done(null), (e) => done(e && e.message ? e.message : String(e)));
    "#;
    let result = app
        .client
        .execute_async(script, vec![command.into(), args])
        .await
        .expect("invoke from the page");
    result.as_str().map(str::to_owned)
}

/// The workspace's one version number (`[workspace.package] version` in Cargo.toml).
fn workspace_version() -> String {
    let manifest = include_str!("../../Cargo.toml");
    let section = manifest
        .split("[workspace.package]")
        .nth(1)
        .expect("[workspace.package] in Cargo.toml");
    section
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("version = \"…\"")
        .to_owned()
}

#[tokio::test]
async fn the_log_holds_no_personal_data_and_a_panic_keeps_the_window() {
    let app = App::launch().await;
    app.click("event-new").await;
    app.fill("event-form-title", "Forum Protokolltest").await;
    app.fill("event-form-starts-at", "13.05.2027 11:00").await;
    app.fill("event-form-ends-at", "13.05.2027 13:00").await;
    app.fill("event-form-capacity", "30").await;
    app.click("event-form-save").await;
    app.wait_for_text("event-title", "Forum Protokolltest")
        .await;
    for (i, (first, last, email)) in PERSONS.iter().enumerate() {
        register_new_person(&app, first, last, email).await;
        app.wait_for_text("count-angemeldet", &(i + 1).to_string())
            .await;
    }

    // A refused action whose German message names the person: the log gets only its code.
    let (first, last, email) = PERSONS[0];
    let refused = invoke_error(
        &app,
        "create_person",
        serde_json::json!({ "input": {
            "salutation": "", "title": "", "first_name": first, "last_name": "Zweitname",
            "function": "", "organisation_id": null, "ort": "", "email": email,
            "phone": "", "notes": "" } }),
    )
    .await
    .expect("a second person with the same e-mail is refused");
    assert!(refused.contains(last), "{refused}");

    // A panic inside a command (debug builds' test seam): German message, the app lives on.
    let panicked = invoke_error(
        &app,
        "debug_panic",
        serde_json::json!({ "text": format!("{first} {last} <{email}>") }),
    )
    .await
    .expect("the panic becomes an error");
    assert!(panicked.starts_with("Interner Fehler"), "{panicked}");
    app.click("nav-about").await;
    app.wait_for_text("about-version", &workspace_version())
        .await;

    // The log is written as it happens; wait for the panic's entry.
    let deadline = Instant::now() + UI_TIMEOUT;
    let log = loop {
        let log = app.log_text();
        if log.contains("panic at") || Instant::now() > deadline {
            break log;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        log.contains(&format!("Tagungsbuero {} starting", workspace_version())),
        "{log}"
    );
    assert!(log.contains("database opened"), "{log}");
    assert!(log.contains("refused: email_taken"), "{log}");
    assert!(
        log.contains("panic at") && log.contains("about.rs"),
        "{log}"
    );
    for (first, last, email) in PERSONS {
        for secret in [first, last, email, "Zweitname", "Protokolltest"] {
            assert!(!log.contains(secret), "the log contains {secret:?}:\n{log}");
        }
    }
    app.close().await;
}

#[tokio::test]
async fn about_shows_version_database_sources_and_licences() {
    let app = App::launch().await;
    app.click("nav-about").await;
    app.wait_for_text("about-version", &workspace_version())
        .await;
    assert_eq!(
        app.text("app-version").await,
        format!("Version {}", workspace_version())
    );
    assert_eq!(
        app.text("about-db-path").await,
        app.db_path.display().to_string()
    );
    assert!(app.text("about-log-dir").await.ends_with("logs"));
    app.wait_for_text("about-source-0", "Snowball").await;

    let totals = app
        .wait_for_text("about-licence-totals", "Rust-Bibliotheken")
        .await;
    let crates: usize = totals
        .split_whitespace()
        .skip_while(|w| *w != "enthält")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{totals}"));
    assert!(crates > 100, "{totals}");
    app.fill("about-licence-search", "rusqlite").await;
    app.wait_for_text("about-licence-list", "rusqlite").await;
    assert!(!app.text("about-licence-list").await.contains("serde_json"));
    app.fill("about-licence-search", "gibt-es-nicht-xyz").await;
    app.wait_for("about-licence-none").await;
    app.close().await;
}
