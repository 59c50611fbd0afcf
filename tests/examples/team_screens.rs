//! Screenshots of "Team & Abgleich" at a given screen size: a laptop paired with the app after
//! both worked apart — the conflicts (a value to choose, a person to tell), the laptops, the
//! events' Anmeldestelle — and the header's status. Run under Xvfb with a screen of that size:
//! `xvfb-run -a -s "-screen 0 1366x768x24" cargo run -p tagungsbuero-e2e --example team_screens -- DIR 1366 768`.
//! Needs `xdotool` and ImageMagick's `import`, like `import_screens`, and the built CLI. With
//! `TEAM_SCREENS_FILE=1` the desk's data comes by sync file instead of pairing.

use std::path::Path;

use tagungsbuero_e2e::screens::{Screens, scroll_to};
use tagungsbuero_e2e::{App, cli, css, laptops};

/// The desk laptop joins with the code the app shows, then exchanges.
async fn pair_and_exchange(app: &App, screens: &Screens, size: &str, desk: &Path) {
    app.click("team-offer").await;
    app.wait_for("team-offer-code").await;
    screens.shot(&format!("team-{size}-1-koppeln")).await;
    let code: String = app
        .text("team-offer-code")
        .await
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let mut address = String::new();
    for item in app
        .client
        .find_all(fantoccini::Locator::Css(&css("team-offer-address")))
        .await
        .unwrap()
    {
        let text = item.text().await.unwrap();
        if text.starts_with("127.0.0.1:") {
            address = text;
        }
    }
    app.click("team-offer-close").await;
    cli(desk, &["sync", "pair", "--peer", &address, "--code", &code]);
    cli(desk, &["sync", "once", "--peer", &address]);
}

#[tokio::main]
async fn main() {
    let screens = Screens::from_args();
    let work = tempfile::tempdir().expect("temp dir");
    let mut desk = None;
    let app = App::launch_with(|db| {
        cli(db, &["seed-demo"]);
        desk = Some(laptops::disagreeing(db, work.path()));
    })
    .await;
    let (file, desk) = desk.unwrap();
    screens.fit_window();
    let size = screens.size();

    app.click("nav-team").await;
    app.fill("team-name", "Büro").await;
    app.click("team-name-save").await;
    app.wait_for("toast-success").await;
    if std::env::var_os("TEAM_SCREENS_FILE").is_some() {
        app.fill("team-file-path", &file.display().to_string())
            .await;
        app.click("team-file-path-open").await;
    } else {
        pair_and_exchange(&app, &screens, &size, &desk).await;
    }
    app.wait_for_text("sync-indicator", "Konflikte").await;
    app.wait_for("team-conflict").await;
    screens.shot(&format!("team-{size}-2-oben")).await;
    scroll_to(&app, "team-conflicts").await;
    screens.shot(&format!("team-{size}-3-konflikte")).await;
    scroll_to(&app, "team-desks").await;
    screens.shot(&format!("team-{size}-4-anmeldestelle")).await;
    app.click("nav-events").await;
    screens.shot(&format!("team-{size}-5-kopfzeile")).await;
    app.close().await;
}
