//! Screenshots of the "Dokumente" dialog (Namensschilder and Teilnahmebescheinigungen, before
//! and after writing) at a given screen size, for looking at the layout on small screens. Run
//! under Xvfb with a screen of that size, e.g.
//! `xvfb-run -a -s "-screen 0 1366x768x24" cargo run -p tagungsbuero-e2e --example documents_screens -- DIR 1366 768`.
//! Needs `xdotool` (sizes the window) and ImageMagick's `import` (captures the screen).

use tagungsbuero_e2e::App;
use tagungsbuero_e2e::screens::Screens;

#[tokio::main]
async fn main() {
    let screens = Screens::from_args();
    let app = App::launch_seeded().await;
    screens.fit_window();
    let day: i64 = app
        .db()
        .query_row("SELECT id FROM events WHERE series = 'tag'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let size = screens.size();

    app.click(&format!("event-open-{day}")).await;
    app.wait_for("event-documents").await;
    screens
        .shot(&format!("documents-{size}-0-veranstaltung"))
        .await;
    app.click("event-documents").await;
    app.wait_for("documents-dialog").await;
    screens
        .shot(&format!("documents-{size}-1-namensschilder"))
        .await;
    app.fill("documents-blank", "x").await;
    app.click("documents-submit").await;
    app.wait_for("field-error-blank").await;
    screens.shot(&format!("documents-{size}-2-fehler")).await;
    app.fill("documents-blank", "4").await;
    app.click("documents-submit").await;
    app.wait_for("documents-result").await;
    screens.shot(&format!("documents-{size}-3-ergebnis")).await;
    app.click("documents-again").await;
    app.click("documents-kind-certificates").await;
    screens
        .shot(&format!("documents-{size}-4-bescheinigungen"))
        .await;
    app.close().await;
}
