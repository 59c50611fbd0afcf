//! Issue 15: the Auswertung on the demo data — pick 2025, see the reach figure and the charts,
//! click a bar for the events behind it, export the Jahresbericht (read back with calamine).

use calamine::{Data, Reader, Xlsx, open_workbook};
use tagungsbuero_e2e::App;

#[tokio::test]
async fn the_auswertung_of_2025_shows_the_reach_drills_down_and_exports_the_report() {
    let app = App::launch_seeded().await;
    app.click("nav-statistics").await;
    app.wait_for("stats-year").await;
    app.set_value("stats-year", "2025").await;
    app.wait_for_text("stats-events", "3").await;
    let reach = app
        .wait_for_text("stats-reach-kommunen", "von 396 Kommunen erreicht")
        .await;
    let reached: i64 = reach
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a number first: {reach:?}"));
    assert!(reached > 0, "{reach}");
    app.wait_for_text("stats-reach-kreise", "von 31 Kreisen")
        .await;

    // The same figure the screen shows, counted from the database file independently.
    let expected: i64 = app
        .db()
        .query_row(
            "SELECT count(DISTINCT o.ags) FROM registrations r
             JOIN events e ON e.id = r.event_id AND e.starts_at LIKE '2025-%'
             JOIN persons p ON p.id = r.person_id
             JOIN organisations o ON o.id = p.organisation_id AND o.kind = 'kommune' AND o.ags IS NOT NULL
             WHERE EXISTS (SELECT 1 FROM attendance a WHERE a.registration_id = r.id AND a.state = 'anwesend')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reached, expected);

    // A chart with its numbers beside it; the reach per Regierungsbezirk has five bars.
    app.wait_for("chart-reach-bar").await;
    let bars = app
        .client
        .find_all(fantoccini::Locator::Css(&tagungsbuero_e2e::css(
            "chart-reach-bar",
        )))
        .await
        .unwrap();
    assert_eq!(bars.len(), 5);
    app.wait_for_text("chart-series-table", "Forum").await;

    // A click on the forum bar lists the two forums of 2025.
    let forum_bar = app
        .client
        .find(fantoccini::Locator::Css(
            "[data-testid=chart-series-bar][data-key=forum]",
        ))
        .await
        .unwrap();
    forum_bar.click().await.unwrap();
    let list = app.wait_for_text("stats-drill-table", "Forum").await;
    assert!(list.contains("13.03.2025"), "{list}");
    app.click("stats-drill-close").await;

    // The Jahresbericht goes to the export folder (the save dialog's test seam).
    app.click("stats-export").await;
    app.wait_for_text("stats-export-done", "Jahresbericht")
        .await;
    let path = app.export_dir().join("Jahresbericht_2025.xlsx");
    assert!(path.is_file(), "{}", path.display());
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let cover = book.worksheet_range("Deckblatt").unwrap();
    let value = |label: &str| {
        cover
            .rows()
            .find(|r| r.first() == Some(&Data::String(label.into())))
            .map(|r| r[1].clone())
            .unwrap()
    };
    assert_eq!(value("Veranstaltungen"), Data::Float(3.0));
    assert_eq!(value("Kommunen erreicht"), Data::Float(reached as f64));

    // The same report as a print-ready PDF.
    app.click("stats-export-pdf").await;
    app.wait_for_text("stats-export-done", "als PDF").await;
    let pdf = app.export_dir().join("Jahresbericht_2025.pdf");
    let text = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8(text.stdout).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Jahresbericht 2025"), "{text}");
    assert!(text.contains("Veranstaltungen 3"), "{text}");
    assert!(
        text.contains(&format!("Kommunen erreicht {reached} von 396")),
        "{text}"
    );
    app.close().await;
}

#[tokio::test]
async fn the_organisation_form_offers_the_official_kommune() {
    let app = App::launch().await;
    app.click("nav-organisations").await;
    app.click("organisation-new").await;
    app.fill("organisation-form-name", "Stadt Hürth").await;
    // The only match is chosen by itself.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let chosen = app
            .wait_for("organisation-form-ags")
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default();
        if chosen == "05362028" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "chosen: {chosen:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.click("organisation-form-save").await;
    app.wait_for_text("organisations-table", "Hürth (Rhein-Erft-Kreis)")
        .await;
    let ags: String = app
        .db()
        .query_row(
            "SELECT ags FROM organisations WHERE name = 'Stadt Hürth'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ags, "05362028");
    app.close().await;
}
