//! Screenshots of the "Einstellungen" screen at a given screen size: the top (Organisation,
//! Datenschutz, Sicherungen), the list of backups and the question before a restore. Run under
//! Xvfb with a screen of that size, e.g.
//! `xvfb-run -a -s "-screen 0 1366x768x24" cargo run -p tagungsbuero-e2e --example settings_screens -- DIR 1366 768`.
//! Needs `xdotool` and ImageMagick's `import`, like `import_screens`.

use tagungsbuero_e2e::App;
use tagungsbuero_e2e::screens::{Screens, scroll_to};

#[tokio::main]
async fn main() {
    let screens = Screens::from_args();
    let app = App::launch_seeded().await;
    screens.fit_window();
    let size = screens.size();

    app.click("nav-settings").await;
    app.click("backup-now").await;
    app.wait_for("backup-row-0").await;
    app.click("settings-backup-encrypted").await;
    screens.shot(&format!("einstellungen-{size}-1-oben")).await;
    scroll_to(&app, "settings-backups").await;
    screens
        .shot(&format!("einstellungen-{size}-2-sicherungen"))
        .await;
    scroll_to(&app, "settings-database").await;
    screens
        .shot(&format!("einstellungen-{size}-3-datenbank"))
        .await;
    app.click("backup-restore-0").await;
    app.wait_for("backup-restore-question").await;
    screens
        .shot(&format!("einstellungen-{size}-4-wiederherstellen"))
        .await;
    app.close().await;
}
