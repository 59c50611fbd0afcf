//! Screenshots of the "Auswertung" (issue 15) on the demo data for 2025, at a given screen size,
//! after the wishes of the 13. and 14. Forum were sorted on the board (so topics and their trend
//! show), plus the exported Jahresbericht. Run under Xvfb with a screen of that size, e.g.
//! `xvfb-run -a -s "-screen 0 1366x768x24" cargo run -p tagungsbuero-e2e --example statistics_screens -- DIR 1366 768`.
//! Needs `xdotool` and ImageMagick's `import` (see import_screens.rs).

use tagungsbuero_e2e::App;
use tagungsbuero_e2e::screens::{Screens, scroll_to};

#[tokio::main]
async fn main() {
    let screens = Screens::from_args();
    let app = App::launch_seeded().await;
    screens.fit_window();
    let size = screens.size();

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
    screens
        .shot(&format!("auswertung-{size}-1-kennzahlen"))
        .await;
    scroll_to(&app, "chart-kinds").await;
    screens
        .shot(&format!("auswertung-{size}-2-diagramme"))
        .await;
    scroll_to(&app, "chart-countries").await;
    screens
        .shot(&format!("auswertung-{size}-3-laender-themen"))
        .await;
    scroll_to(&app, "chart-trend").await;
    screens.shot(&format!("auswertung-{size}-4-trend")).await;
    scroll_to(&app, "stats-not-reached").await;
    app.click("stats-not-reached-toggle").await;
    screens
        .shot(&format!("auswertung-{size}-5-nicht-erreicht"))
        .await;
    scroll_to(&app, "chart-kinds").await;
    app.click("chart-kinds-row").await;
    app.wait_for("stats-drill-table").await;
    screens
        .shot(&format!("auswertung-{size}-6-drilldown"))
        .await;
    app.click("stats-drill-close").await;
    app.click("stats-export").await;
    app.wait_for_text("stats-export-done", "Jahresbericht")
        .await;
    let report = app.export_dir().join("Jahresbericht_2025.xlsx");
    std::fs::copy(
        &report,
        screens.dir.join(format!("Jahresbericht_2025-{size}.xlsx")),
    )
    .expect("copy report");
    app.close().await;
}
