//! Screenshots of the "Auswertung" (issue 15) on the demo data for 2025, at a given screen size,
//! after the wishes of the 13. and 14. Forum were sorted on the board (so topics and their trend
//! show), plus the exported Jahresbericht. Run under Xvfb with a screen of that size, e.g.
//! `xvfb-run -a -s "-screen 0 1366x768x24" cargo run -p tagungsbuero-e2e --example statistics_screens -- DIR 1366 768`.
//! Needs `xdotool` and ImageMagick's `import` (see import_screens.rs).

use std::path::{Path, PathBuf};
use std::process::Command;

use tagungsbuero_e2e::App;

async fn shot(dir: &Path, name: &str) {
    // Let the charts draw (a picture, not a test).
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
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

    for number in [13, 14] {
        let forum: i64 = app
            .db()
            .query_row(
                "SELECT id FROM events WHERE series = 'forum' AND number = ?1",
                [number],
                |r| r.get(0),
            )
            .unwrap();
        app.click("nav-events").await;
        app.click(&format!("event-open-{forum}")).await;
        app.click("nav-event-wishes").await;
        app.click("wishes-suggest").await;
        app.wait_for_text("toasts", "zugeordnet").await;
    }

    // The board's notices would cover the navigation in the pictures.
    while app.exists("toast-close").await {
        app.click("toast-close").await;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.click("nav-statistics").await;
    app.wait_for("stats-year").await;
    app.set_value("stats-year", "2025").await;
    app.wait_for_text("stats-events", "3").await;
    app.wait_for("chart-reach-bar").await;
    shot(&dir, &format!("auswertung-{size}-1-kennzahlen")).await;
    scroll_to(&app, "chart-kinds").await;
    shot(&dir, &format!("auswertung-{size}-2-diagramme")).await;
    scroll_to(&app, "chart-countries").await;
    shot(&dir, &format!("auswertung-{size}-3-laender-themen")).await;
    scroll_to(&app, "chart-trend").await;
    shot(&dir, &format!("auswertung-{size}-4-trend")).await;
    scroll_to(&app, "stats-not-reached").await;
    app.click("stats-not-reached-toggle").await;
    shot(&dir, &format!("auswertung-{size}-5-nicht-erreicht")).await;
    scroll_to(&app, "chart-kinds").await;
    app.click("chart-kinds-row").await;
    app.wait_for("stats-drill-table").await;
    shot(&dir, &format!("auswertung-{size}-6-drilldown")).await;
    app.click("stats-drill-close").await;
    app.click("stats-export").await;
    app.wait_for_text("stats-export-done", "Jahresbericht")
        .await;
    let report = app.export_dir().join("Jahresbericht_2025.xlsx");
    std::fs::copy(&report, dir.join(format!("Jahresbericht_2025-{size}.xlsx")))
        .expect("copy report");
    app.close().await;
}
