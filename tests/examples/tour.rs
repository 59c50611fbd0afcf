//! Screenshot tour: starts the real app on the demo data and saves a PNG of every screen into
//! the folder given as the first argument (default `docs/screens`). Run with `make screenshots`.

use std::path::{Path, PathBuf};

use tagungsbuero_e2e::App;

async fn shot(app: &App, dir: &Path, name: &str) {
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let png = app.client.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    println!("{name}.png");
}

#[tokio::main]
async fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "docs/screens".into()),
    );
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let app = App::launch_seeded().await;
    let id = |sql: &str| -> i64 { app.db().query_row(sql, [], |r| r.get(0)).unwrap() };
    let upcoming = id("SELECT id FROM events WHERE status = 'offen'");
    let forum13 = id("SELECT id FROM events WHERE number = 13");
    let training = id("SELECT id FROM events WHERE series = 'training'");

    shot(&app, &dir, "01-veranstaltungen").await;
    app.click(&format!("event-open-{upcoming}")).await;
    app.wait_for("register-panel").await;
    shot(&app, &dir, "02-veranstaltung-anmeldungen").await;
    app.keys("register-search", "kowal").await;
    app.wait_for("register-search-results").await;
    shot(&app, &dir, "03-anmelden-type-ahead").await;
    app.click("event-checkin").await;
    app.wait_for("checkin-desk").await;
    app.keys("checkin-search", "sch").await;
    shot(&app, &dir, "04-check-in").await;
    app.click("checkin-exit").await;

    app.click("nav-events").await;
    app.click("event-new").await;
    app.fill("event-form-title", "Regionaltreffen Münsterland")
        .await;
    app.fill("event-form-starts-at", "20.04.2027 14:00").await;
    app.fill("event-form-ends-at", "20.04.2027 12:00").await;
    app.click("event-form-save").await;
    app.wait_for("field-error-ends_at").await;
    shot(&app, &dir, "05-veranstaltung-formular-fehler").await;

    app.click("nav-events").await;
    app.click(&format!("event-open-{forum13}")).await;
    app.click("nav-event-wishes").await;
    app.click("wishes-suggest").await;
    app.wait_for("toast-success").await;
    shot(&app, &dir, "06-wuensche-board").await;
    app.click("wishes-present").await;
    app.wait_for("presentation").await;
    app.click("presentation-next").await;
    app.click("presentation-next").await;
    shot(&app, &dir, "07-praesentation").await;
    app.click("presentation-exit").await;

    app.click("nav-events").await;
    app.click(&format!("event-open-{training}")).await;
    app.wait_for("register-panel").await;
    shot(&app, &dir, "08-schulung").await;
    app.client
        .execute(
            "document.querySelector('[data-testid=registrations-table]').scrollIntoView()",
            vec![],
        )
        .await
        .expect("scroll to the registrations");
    shot(&app, &dir, "08b-schulung-anmeldungen-anwesenheit").await;
    app.client
        .execute("window.scrollTo(0, 0)", vec![])
        .await
        .expect("scroll back");
    app.click("event-export").await;
    app.click("export-exporter-attendance").await;
    shot(&app, &dir, "09-export-dialog").await;
    app.click("export-close").await;

    app.click("nav-contacts").await;
    app.fill("contacts-search", "kowalski").await;
    shot(&app, &dir, "10-kontakte").await;
    app.click("nav-organisations").await;
    shot(&app, &dir, "11-organisationen").await;
    app.click("nav-topics").await;
    shot(&app, &dir, "12-themenkatalog").await;
    app.close().await;
}
