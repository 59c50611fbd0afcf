//! Screenshots of every step of the "Importieren" wizard at a given screen size, for looking at
//! the layout on small screens. Run under Xvfb with a screen of that size, e.g.
//! `xvfb-run -a -s "-screen 0 1366x768x24" cargo run -p tagungsbuero-e2e --example import_screens -- DIR 1366 768`.
//! Needs `xdotool` (the window is sized to the screen; WebDriver's window commands wait for a
//! window manager that Xvfb does not have) and ImageMagick's `import` (the whole screen is
//! captured, as a person would see it).

use tagungsbuero_e2e::App;
use tagungsbuero_e2e::screens::{Screens, scroll_to};

fn fixture(name: &str) -> String {
    format!("{}/fixtures/imports/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[tokio::main]
async fn main() {
    let screens = Screens::from_args();
    let app = App::launch_seeded().await;
    screens.fit_window();
    let forum: i64 = app
        .db()
        .query_row("SELECT id FROM events WHERE number = 13", [], |r| r.get(0))
        .unwrap();
    let size = screens.size();

    // Contacts: a German Excel list (Windows-1252, semicolons).
    app.click("nav-contacts").await;
    app.click("contacts-import").await;
    app.wait_for("import-view").await;
    screens.shot(&format!("import-{size}-1-datei")).await;
    app.fill("import-path", &fixture("kontakte_excel_cp1252.csv"))
        .await;
    app.click("import-path-open").await;
    app.wait_for("import-mapping").await;
    screens
        .shot(&format!("import-{size}-2-spalten-kontakte"))
        .await;

    // Registrations of the 13th Forum: preview, review, filter, result.
    app.click("nav-events").await;
    app.click(&format!("event-open-{forum}")).await;
    app.click("event-import").await;
    app.fill("import-path", &fixture("wizard_form.csv")).await;
    app.click("import-path-open").await;
    app.wait_for("import-mapping").await;
    screens
        .shot(&format!("import-{size}-3-spalten-formular"))
        .await;
    app.click("import-to-preview").await;
    app.wait_for("import-preview").await;
    screens.shot(&format!("import-{size}-4-vorschau")).await;
    scroll_to(&app, "import-review").await;
    app.click("import-review-same-4").await;
    app.wait_for_text("import-count-known", "2").await;
    screens.shot(&format!("import-{size}-5-duplikat")).await;
    app.click("import-filter-error").await;
    scroll_to(&app, "import-filters").await;
    screens
        .shot(&format!("import-{size}-6-filter-fehler"))
        .await;
    app.click("import-run").await;
    app.wait_for("import-result").await;
    screens.shot(&format!("import-{size}-7-ergebnis")).await;

    // The Zoom report from the check-in desk.
    app.click("import-done").await;
    app.click("event-checkin").await;
    app.click("checkin-import-attendance").await;
    app.fill("import-path", &fixture("wizard_zoom.csv")).await;
    app.click("import-path-open").await;
    app.wait_for("import-mapping").await;
    screens.shot(&format!("import-{size}-8-spalten-zoom")).await;
    app.click("import-to-preview").await;
    scroll_to(&app, "import-attendance").await;
    screens.shot(&format!("import-{size}-9-anwesenheit")).await;
    app.click("import-run").await;
    app.wait_for("import-result").await;
    app.click("import-undo").await;
    app.wait_for("import-undo-dialog").await;
    screens
        .shot(&format!("import-{size}-10-rueckgaengig"))
        .await;
    app.click("import-undo-dialog-cancel").await;

    // A large contact list: the progress bar while the preview runs.
    let big = std::env::temp_dir().join(format!("tagungsbuero-import-{size}.csv"));
    let mut text = String::from("Vorname;Nachname;E-Mail;Organisation;Ort\n");
    for i in 0..6000 {
        text.push_str(&format!(
            "Vorname{i};Nachname{i};person{i}@example.org;Stadt Ort{};Ort{}\n",
            i % 40,
            i % 40
        ));
    }
    std::fs::write(&big, text).expect("large file");
    app.click("nav-contacts").await;
    app.click("contacts-import").await;
    app.fill("import-path", &big.to_string_lossy()).await;
    app.click("import-path-open").await;
    app.click("import-to-preview").await;
    app.wait_for("import-progress").await;
    screens.shot(&format!("import-{size}-11-fortschritt")).await;
    app.client
        .wait()
        .at_most(std::time::Duration::from_secs(120))
        .for_element(fantoccini::Locator::Css("[data-testid=import-preview]"))
        .await
        .expect("preview of the large file");
    screens
        .shot(&format!("import-{size}-12-gross-vorschau"))
        .await;
    let _ = std::fs::remove_file(&big);
    app.close().await;
}
