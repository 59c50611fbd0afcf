//! Screenshots of the wishes board with the evidence on the cards (issue 12): starts the real
//! app on the demo data, computes suggestions for the 13. Forum and saves the board at
//! 1366×768 and 1024×700 into the folder given as the first argument (default `/tmp`); then a
//! card the example reader placed (its evidence words) at both sizes; then three wishes about a topic the catalogue lacks go into a new cluster, and its dialog
//! "Als Thema übernehmen" is saved at both sizes.

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
    // Two wishes the keywords read otherwise (Bürgerreisen, Digitalisierung): the example
    // reader decides, and the card names its words.
    let read_by_examples = [
        "Gastfamilien: wer haftet, wenn das Gastkind etwas kaputt macht?",
        "Theatergruppe will mit Stück in die Partnerstadt, Bühne und Technik vor Ort?",
    ];
    app.fill("wishes-paste", &read_by_examples.join("\n")).await;
    app.click("wishes-paste-submit").await;
    let host_family: i64 = {
        let deadline = std::time::Instant::now() + tagungsbuero_e2e::UI_TIMEOUT;
        loop {
            let found = app.db().query_row(
                "SELECT id FROM wishes WHERE event_id = ?1 AND text = ?2",
                rusqlite::params![forum13, read_by_examples[0]],
                |r| r.get(0),
            );
            if let Ok(id) = found {
                break id;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the pasted wish was not stored"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    };
    app.click("wishes-suggest").await;
    app.wait_for(&format!("wish-evidence-{host_family}")).await;
    let insurance: i64 = app
        .db()
        .query_row(
            "SELECT cluster_id FROM wishes WHERE id = ?1",
            [host_family],
            |r| r.get(0),
        )
        .expect("placed");
    for (width, height) in [(1366, 768), (1024, 700)] {
        app.client.set_window_size(width, height).await.unwrap();
        tagungsbuero_e2e::screens::scroll_to(&app, &format!("cluster-{insurance}")).await;
        let png = app.client.screenshot().await.expect("screenshot");
        let path = dir.join(format!("wuensche-beispielleser-{width}x{height}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        println!("{}", path.display());
    }
    let on_the_day = [
        "Gemeinnützigkeit und Bürgerreisen – was sagt das Finanzamt?",
        "Verliert der Verein die Gemeinnützigkeit, wenn wir Feste feiern?",
        "Finanzamt prüft unsere Gemeinnützigkeit: wer hat Erfahrung?",
    ];
    app.fill("wishes-paste", &on_the_day.join("\n")).await;
    app.click("wishes-paste-submit").await;
    app.wait_for("toast-success").await;
    app.click("cluster-new").await;
    app.fill("cluster-dialog-label", "Vereinsrecht & Gemeinnützigkeit")
        .await;
    app.click("cluster-dialog-confirm").await;
    app.wait_for("toast-success").await;
    let id_of = |sql: &str, text: &str| -> i64 {
        app.db()
            .query_row(sql, rusqlite::params![forum13, text], |r| r.get(0))
            .expect("stored")
    };
    let cluster = id_of(
        "SELECT id FROM wish_clusters WHERE event_id = ?1 AND label = ?2",
        "Vereinsrecht & Gemeinnützigkeit",
    );
    for text in on_the_day {
        let wish = id_of(
            "SELECT id FROM wishes WHERE event_id = ?1 AND text = ?2",
            text,
        );
        app.click(&format!("wish-move-{wish}")).await;
        app.click(&format!("wish-move-target-{cluster}")).await;
        app.wait_gone(&format!("wish-move-target-{cluster}")).await;
    }
    tagungsbuero_e2e::screens::scroll_to(&app, &format!("cluster-{cluster}")).await;
    let png = app.client.screenshot().await.expect("screenshot");
    let path = dir.join("wuensche-eigener-cluster-1024x700.png");
    std::fs::write(&path, png).expect("write screenshot");
    println!("{}", path.display());
    app.click(&format!("cluster-adopt-{cluster}")).await;
    app.wait_for("adopt-notes").await;
    for (width, height) in [(1366, 768), (1024, 700)] {
        app.client.set_window_size(width, height).await.unwrap();
        app.wait_for("adopt-keywords").await;
        let png = app.client.screenshot().await.expect("screenshot");
        let path = dir.join(format!("wuensche-thema-uebernehmen-{width}x{height}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        println!("{}", path.display());
    }
    app.quit().await;
}
