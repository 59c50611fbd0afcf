//! Screenshots of the wishes board with the evidence on the cards (issue 12): starts the real
//! app on the demo data, computes suggestions for the 13. Forum and saves the board at
//! 1366×768 and 1024×700 into the folder given as the first argument (default `/tmp`).

use std::path::PathBuf;

use tagungsbuero_e2e::App;

#[tokio::main]
async fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "/tmp".into()));
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let app = App::launch_seeded().await;
    let forum13: i64 = app
        .db()
        .query_row("SELECT id FROM events WHERE number = 13", [], |r| r.get(0))
        .unwrap();
    app.click(&format!("event-open-{forum13}")).await;
    app.click("nav-event-wishes").await;
    app.click("wishes-suggest").await;
    app.wait_for("toast-success").await;
    let evidence = app
        .client
        .find_all(fantoccini::Locator::Css("[data-testid^='wish-evidence-']"))
        .await
        .expect("evidence on the cards");
    assert!(!evidence.is_empty(), "no card shows its evidence");
    for (width, height) in [(1366, 768), (1024, 700)] {
        app.client.set_window_size(width, height).await.unwrap();
        app.wait_for("wishes-suggest").await;
        let png = app.client.screenshot().await.expect("screenshot");
        let path = dir.join(format!("wuensche-evidenz-{width}x{height}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        println!("{}", path.display());
    }
    app.quit().await;
}
