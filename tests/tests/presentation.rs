//! Issue 11, item 1: the presentation pages by what actually fits. At several window sizes every
//! wish is on exactly one page and drawn inside the window and inside its column (nothing cut off,
//! nothing off-screen); non-answers ("keine") get no slide unless the board says so.

use std::collections::BTreeMap;

use tagungsbuero_e2e::{App, create_event};

/// Wishes of a real forum, with a few long ones and non-answers.
fn wishes() -> Vec<String> {
    let mut w: Vec<String> = [
        "Neue Themen für alte Partnerschaften: Klima, Nachhaltigkeit",
        "Klimapartnerschaften mit Kommunen im globalen Süden",
        "Nachhaltige Beschaffung in der Partnerschaftsarbeit",
        "Fördermöglichkeiten für Bürgerbegegnungen",
        "Finanzierung von Jugendbegegnungen",
        "Wie gewinnen wir Nachwuchs für den Verein?",
        "Ehrenamt stärken und junge Menschen einbinden",
        "Austausch mit unserer Partnerstadt in der Ukraine",
        "Hilfstransporte in die Ukraine organisieren",
        "Kontakte nach Polen vertiefen",
        "Partnerschaften mit Frankreich neu beleben",
        "Versicherungsschutz bei Bürgerreisen",
        "Öffentlichkeitsarbeit und Social Media für Vereine",
        "Digitale Formate für den Austausch",
        "keine",
        "mal schauen",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    for i in 1..=14 {
        w.push(format!(
            "Erfahrungsaustausch Nummer {i} zu Klima und Nachhaltigkeit in Städtepartnerschaften{}",
            " mit vielen Beispielen aus der Praxis".repeat(i % 4)
        ));
    }
    w.push(
        format!(
            "Ein sehr langer Wunsch zur Nachhaltigkeit: {}",
            "Wir möchten wissen, wie andere Vereine Klimaschutz in ihre Begegnungen einbauen. "
                .repeat(8)
        )
        .trim_end()
        .to_owned(),
    );
    w
}

/// The wishes on the current page; panics when one is outside the window or cut off by its column.
async fn visible_wishes(app: &App) -> Vec<String> {
    let out = app
        .client
        .execute(
            "const vw = window.innerWidth, vh = window.innerHeight, bad = [], texts = [];
             for (const w of document.querySelectorAll('[data-testid=presentation-wish]')) {
               const r = w.getBoundingClientRect();
               const c = w.closest('[data-testid=presentation-column]').getBoundingClientRect();
               const inside = r.left >= 0 && r.top >= 0 && r.right <= vw + 0.5 && r.bottom <= vh + 0.5
                 && r.left >= c.left - 0.5 && r.right <= c.right + 0.5 && r.bottom <= c.bottom + 0.5;
               if (!inside) bad.push([w.textContent, r.left, r.top, r.right, r.bottom, c.bottom, vw, vh]);
               texts.push(w.textContent);
             }
             return { bad, texts };",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        out["bad"].as_array().unwrap().is_empty(),
        "wishes outside the window or cut off: {}",
        out["bad"]
    );
    out["texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_owned())
        .collect()
}

/// Opens the presentation at `width` × `height` and returns how often each wish was shown.
async fn walk(app: &App, width: u32, height: u32) -> BTreeMap<String, usize> {
    app.client.set_window_size(width, height).await.unwrap();
    app.click("wishes-present").await;
    app.wait_for("presentation").await;
    let first = app.wait_for_text("presentation-page", "1 / ").await;
    let count: usize = first.split(" / ").nth(1).unwrap().trim().parse().unwrap();
    assert!(count > 2, "{width}×{height}: only {count} pages");
    let mut seen = BTreeMap::new();
    for page in 1..=count {
        app.wait_for_text("presentation-page", &format!("{page} / {count}"))
            .await;
        for text in visible_wishes(app).await {
            *seen.entry(text).or_insert(0) += 1;
        }
        if page < count {
            app.click("presentation-next").await;
        }
    }
    app.click("presentation-exit").await;
    app.wait_for("wishes-present").await;
    seen
}

#[tokio::test]
async fn every_wish_is_on_exactly_one_slide_and_inside_the_window_at_every_size() {
    let mut event = 0;
    let app = App::launch_with(|db| {
        event = create_event(
            db,
            &[
                "--title",
                "16. Forum Städtepartnerschaften NRW",
                "--series",
                "forum",
                "--number",
                "16",
                "--starts-at",
                "2027-05-13 11:00",
                "--ends-at",
                "2027-05-13 13:00",
            ],
        );
    })
    .await;
    let wishes = wishes();
    app.click(&format!("event-open-{event}")).await;
    app.click("nav-event-wishes").await;
    app.fill("wishes-paste", &wishes.join("\n")).await;
    app.click("wishes-paste-submit").await;
    app.wait_for_text("wishes-total", &wishes.len().to_string())
        .await;
    app.click("wishes-suggest").await;
    app.wait_for("cluster-new").await;
    // Wait until the suggestions are stored (no wish unassigned any more).
    app.wait_for_text("wishes-unassigned-count", "0 nicht zugeordnet")
        .await;

    let presented: Vec<&String> = wishes
        .iter()
        .filter(|w| !matches!(w.as_str(), "keine" | "mal schauen"))
        .collect();
    for (width, height) in [(1024, 700), (1366, 768), (1920, 1080), (800, 600)] {
        let seen = walk(&app, width, height).await;
        for wish in &presented {
            assert_eq!(
                seen.get(wish.as_str()),
                Some(&1),
                "{width}×{height}: {wish:?} not shown exactly once"
            );
        }
        assert_eq!(
            seen.len(),
            presented.len(),
            "{width}×{height}: non-answers are not presented by default"
        );
    }

    // "Allgemein in der Präsentation zeigen" brings the non-answers back.
    app.click("wishes-show-general").await;
    let stored = || {
        app.db()
            .query_row(
                "SELECT show_general FROM wish_presentation_settings WHERE event_id = ?1",
                [event],
                |r| r.get::<_, bool>(0),
            )
            .unwrap_or(false)
    };
    let deadline = std::time::Instant::now() + tagungsbuero_e2e::UI_TIMEOUT;
    while !stored() {
        assert!(std::time::Instant::now() < deadline, "setting not stored");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let seen = walk(&app, 1366, 768).await;
    assert_eq!(seen.get("keine"), Some(&1));
    assert_eq!(seen.get("mal schauen"), Some(&1));
    app.close().await;
}
