//! Screenshots of the "Dokumente" dialog (Namensschilder and Teilnahmebescheinigungen, before
//! and after writing) at a given screen size, for looking at the layout on small screens. Run
//! under Xvfb with a screen of that size, e.g.
//! `xvfb-run -a -s "-screen 0 1366x768x24" cargo run -p tagungsbuero-e2e --example documents_screens -- DIR 1366 768`.
//! Needs `xdotool` (sizes the window) and ImageMagick's `import` (captures the screen).

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
    let day: i64 = app
        .db()
        .query_row("SELECT id FROM events WHERE series = 'tag'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let size = format!("{width}x{height}");

    app.click(&format!("event-open-{day}")).await;
    app.wait_for("event-documents").await;
    shot(&dir, &format!("documents-{size}-0-veranstaltung")).await;
    app.click("event-documents").await;
    app.wait_for("documents-dialog").await;
    shot(&dir, &format!("documents-{size}-1-namensschilder")).await;
    app.fill("documents-blank", "x").await;
    app.click("documents-submit").await;
    app.wait_for("field-error-blank").await;
    shot(&dir, &format!("documents-{size}-2-fehler")).await;
    app.fill("documents-blank", "4").await;
    app.click("documents-submit").await;
    app.wait_for("documents-result").await;
    shot(&dir, &format!("documents-{size}-3-ergebnis")).await;
    app.click("documents-again").await;
    app.click("documents-kind-certificates").await;
    shot(&dir, &format!("documents-{size}-4-bescheinigungen")).await;
    app.close().await;
}
