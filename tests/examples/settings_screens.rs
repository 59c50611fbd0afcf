//! Screenshots of the "Einstellungen" screen at a given screen size: the top (Organisation,
//! Datenschutz, Sicherungen), the list of backups and the question before a restore. Run under
//! Xvfb with a screen of that size, e.g.
//! `xvfb-run -a -s "-screen 0 1366x768x24" cargo run -p tagungsbuero-e2e --example settings_screens -- DIR 1366 768`.
//! Needs `xdotool` and ImageMagick's `import`, like `import_screens`.

use std::path::{Path, PathBuf};
use std::process::Command;

use tagungsbuero_e2e::App;

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

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "docs/screens".into()));
    let width: u32 = args.next().map_or(1366, |w| w.parse().expect("width"));
    let height: u32 = args.next().map_or(768, |h| h.parse().expect("height"));
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let app = App::launch_seeded().await;
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

    app.click("nav-settings").await;
    app.click("backup-now").await;
    app.wait_for("backup-row-0").await;
    app.click("settings-backup-encrypted").await;
    shot(&dir, &format!("einstellungen-{size}-1-oben")).await;
    scroll_to(&app, "settings-backups").await;
    shot(&dir, &format!("einstellungen-{size}-2-sicherungen")).await;
    scroll_to(&app, "settings-database").await;
    shot(&dir, &format!("einstellungen-{size}-3-datenbank")).await;
    app.click("backup-restore-0").await;
    app.wait_for("backup-restore-question").await;
    shot(&dir, &format!("einstellungen-{size}-4-wiederherstellen")).await;
    app.close().await;
}
