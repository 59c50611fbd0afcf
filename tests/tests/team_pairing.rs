//! Issue 14, item 4 (network): pairing the app with another laptop in the LAN and seeing each
//! other's registrations within seconds. The other laptop is a `tagungsbuero-cli` database on
//! 127.0.0.1: once it joins the app's team with the code the app shows (`sync pair`, then
//! `sync once` for each exchange), once the app joins it (`sync serve`, its code typed into the
//! app's "Mit Laptop koppeln").

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tagungsbuero_e2e::{App, UI_TIMEOUT, cli, cli_binary, create_event, laptops};

/// Waits until `sql` on the app's database gives a row; returns its first column.
async fn wait_for_row(app: &App, sql: &str) -> i64 {
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        if let Ok(id) = app.db().query_row(sql, [], |r| r.get(0)) {
            return id;
        }
        assert!(Instant::now() < deadline, "no row for {sql}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

fn the_apps_event(db: &Path) {
    let event = create_event(
        db,
        &[
            "--title",
            "Partnerschaftsforum 2099",
            "--starts-at",
            "2099-09-09 10:00",
            "--ends-at",
            "2099-09-09 13:00",
            "--capacity",
            "50",
        ],
    );
    laptops::register(db, event, "anna@example.org", "Anna", "Büro");
}

#[tokio::test]
async fn a_laptop_joins_with_the_apps_code_and_registrations_travel_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let desk = dir.path().join("einlass.db");
    let app = App::launch_with(the_apps_event).await;
    app.click("nav-team").await;
    app.wait_for("team-no-peers").await;
    app.click("team-offer").await;
    let code: String = app
        .text("team-offer-code")
        .await
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    assert_eq!(code.len(), 8, "{code}");
    let mut address = None;
    for item in app
        .client
        .find_all(fantoccini::Locator::Css(&tagungsbuero_e2e::css(
            "team-offer-address",
        )))
        .await
        .unwrap()
    {
        let text = item.text().await.unwrap();
        if text.starts_with("127.0.0.1:") {
            address = Some(text);
        }
    }
    let address = address.expect("the loopback address is offered");
    app.click("team-offer-close").await;

    // The desk joins the team and exchanges: it gets the app's registration.
    cli(
        &desk,
        &["sync", "pair", "--peer", &address, "--code", &code],
    );
    app.wait_for("team-peer-online").await;
    cli(&desk, &["sync", "once", "--peer", &address]);
    assert_eq!(
        count(
            &desk,
            "SELECT count(*) FROM persons WHERE email = 'anna@example.org'"
        ),
        1
    );

    // A registration made on the desk appears in the app within seconds.
    let event = laptops::event_on(&desk, "Partnerschaftsforum 2099");
    let here: i64 = app
        .db()
        .query_row(
            "SELECT id FROM events WHERE title = 'Partnerschaftsforum 2099'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    app.click("nav-events").await;
    app.click(&format!("event-open-{here}")).await;
    laptops::register(&desk, event, "max@example.org", "Max", "Einlass");
    cli(&desk, &["sync", "once", "--peer", &address]);
    let registration = wait_for_row(
        &app,
        "SELECT r.id FROM registrations r JOIN persons p ON p.id = r.person_id WHERE p.email = 'max@example.org'",
    )
    .await;
    app.wait_for_text(&format!("registration-name-{registration}"), "Einlass, Max")
        .await;

    // The team page lists the desk as paired; it can be removed, and is refused from then on.
    app.click("nav-team").await;
    app.click("team-peer-remove").await;
    app.click("team-remove-confirm-confirm").await;
    app.wait_for_text("toast-success", "gehört nicht mehr zum Team")
        .await;
    let refused = Command::new(cli_binary())
        .arg("--db")
        .arg(&desk)
        .args(["sync", "once", "--peer", &address])
        .output()
        .unwrap();
    assert!(!refused.status.success(), "a removed laptop is refused");
    app.close().await;
}

/// `sync serve` on `db`: the process, its pairing code and its port.
fn serve(db: &Path) -> (Child, String, u16) {
    let mut child = Command::new(cli_binary())
        .arg("--db")
        .arg(db)
        .args(["sync", "serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut code, mut port) = (None, None);
    while port.is_none() {
        let Some(line) = lines.next() else {
            let mut why = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut why)
                .unwrap();
            panic!("sync serve ended: {why}");
        };
        let line = line.unwrap();
        if let Some(c) = line.strip_prefix("Kopplungscode: ") {
            code = Some(c.trim().to_owned());
        }
        if let Some(rest) = line.strip_prefix("Bereit für Abgleiche auf Port ") {
            port = rest.split_whitespace().next().and_then(|p| p.parse().ok());
        }
    }
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let mut errors = child.stderr.take().unwrap();
    std::thread::spawn(move || std::io::copy(&mut errors, &mut std::io::sink()));
    (child, code.expect("a pairing code"), port.unwrap())
}

#[tokio::test]
async fn the_app_joins_a_serving_laptop_with_its_code_and_german_errors_on_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let office = dir.path().join("buero.db");
    let event = create_event(
        &office,
        &[
            "--title",
            "Tag der Städtepartnerschaften 2099",
            "--starts-at",
            "2099-06-20 10:00",
            "--ends-at",
            "2099-06-20 17:00",
        ],
    );
    laptops::register(&office, event, "erika@example.org", "Erika", "Muster");
    let app = App::launch_with(the_apps_event).await;
    let (mut server, code, port) = serve(&office);
    let address = format!("127.0.0.1:{port}");

    app.click("nav-team").await;
    app.click("team-join").await;
    app.click("team-join-submit").await;
    assert!(
        app.text("team-join-address-error")
            .await
            .contains("Adresse")
    );
    assert!(
        app.text("team-join-code-error")
            .await
            .contains("Kopplungscode")
    );
    app.fill("team-join-address", &address).await;
    app.fill("team-join-code", "0000 0000").await;
    app.click("team-join-submit").await;
    app.wait_for_text("team-join-error", "Kopplungscode ist falsch")
        .await;
    app.fill("team-join-code", &code).await;
    app.click("team-join-submit").await;
    app.wait_for_text("toast-success", "Gekoppelt mit").await;

    app.click("team-sync-now").await;
    app.wait_for_text("toast-success", "Abgeglichen").await;
    let here = wait_for_row(
        &app,
        "SELECT id FROM events WHERE title = 'Tag der Städtepartnerschaften 2099'",
    )
    .await;
    app.click("nav-events").await;
    app.click(&format!("event-open-{here}")).await;
    let registration = wait_for_row(
        &app,
        "SELECT r.id FROM registrations r JOIN persons p ON p.id = r.person_id WHERE p.email = 'erika@example.org'",
    )
    .await;
    app.wait_for_text(
        &format!("registration-name-{registration}"),
        "Muster, Erika",
    )
    .await;
    app.close().await;
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(
        count(
            &office,
            "SELECT count(*) FROM persons WHERE email = 'anna@example.org'"
        ),
        1,
        "the app's registration reached the serving laptop"
    );
}
