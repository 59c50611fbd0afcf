//! Screenshots of "Team & Abgleich" at a given screen size: a laptop paired with the app after
//! both worked apart — the conflicts (a value to choose, a person to tell), the laptops, the
//! events' Anmeldestelle — and the header's status. Run under Xvfb with a screen of that size:
//! `xvfb-run -a -s "-screen 0 1366x768x24" cargo run -p tagungsbuero-e2e --example team_screens -- DIR 1366 768`.
//! Needs `xdotool` and ImageMagick's `import`, like `import_screens`, and the built CLI. With
//! `TEAM_SCREENS_FILE=1` the desk's data comes by sync file instead of pairing.

use std::path::{Path, PathBuf};
use std::process::Command;

use tagungsbuero_e2e::{App, cli, css, laptops};

async fn shot(dir: &Path, name: &str) {
    // Let transitions and the focus ring settle (a picture, not a test).
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let path = dir.join(format!("{name}.png"));
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(&path)
        .status()
        .expect("ImageMagick's import");
    assert!(status.success(), "import -window root failed");
    println!("{}", path.display());
}

async fn scroll_to(app: &App, testid: &str) {
    app.wait_for(testid).await;
    app.client
        .execute(
            &format!("document.querySelector('[data-testid={testid}]').scrollIntoView()"),
            vec![],
        )
        .await
        .expect("scroll");
}

/// The desk laptop joins with the code the app shows, then exchanges.
async fn pair_and_exchange(app: &App, dir: &Path, size: &str, desk: &Path) {
    app.click("team-offer").await;
    app.wait_for("team-offer-code").await;
    shot(dir, &format!("team-{size}-1-koppeln")).await;
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
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "docs/screens".into()));
    let width: u32 = args.next().map_or(1366, |w| w.parse().expect("width"));
    let height: u32 = args.next().map_or(768, |h| h.parse().expect("height"));
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let work = tempfile::tempdir().expect("temp dir");
    let mut desk = None;
    let app = App::launch_with(|db| {
        cli(db, &["seed-demo"]);
        desk = Some(laptops::disagreeing(db, work.path()));
    })
    .await;
    let (file, desk) = desk.unwrap();
    let status = Command::new("xdotool")
        .args([
            "search",
            "--name",
            "Tagungsbüro",
            "windowmove",
            "0",
            "0",
            "windowsize",
        ])
        .args([width.to_string(), height.to_string()])
        .status()
        .expect("xdotool");
    assert!(status.success(), "xdotool could not size the window");
    let size = format!("{width}x{height}");

    app.click("nav-team").await;
    app.fill("team-name", "Büro").await;
    app.click("team-name-save").await;
    app.wait_for("toast-success").await;
    if std::env::var_os("TEAM_SCREENS_FILE").is_some() {
        app.fill("team-file-path", &file.display().to_string())
            .await;
        app.click("team-file-path-open").await;
    } else {
        pair_and_exchange(&app, &dir, &size, &desk).await;
    }
    app.wait_for_text("sync-indicator", "Konflikte").await;
    app.wait_for("team-conflict").await;
    shot(&dir, &format!("team-{size}-2-oben")).await;
    scroll_to(&app, "team-conflicts").await;
    shot(&dir, &format!("team-{size}-3-konflikte")).await;
    scroll_to(&app, "team-desks").await;
    shot(&dir, &format!("team-{size}-4-anmeldestelle")).await;
    app.click("nav-events").await;
    shot(&dir, &format!("team-{size}-5-kopfzeile")).await;
    app.close().await;
}
