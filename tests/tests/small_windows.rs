//! Issue 11, items 9 and 10: at 1024×700 and 1366×768 with very long names no action is hidden
//! (every "Stornieren" and "Bearbeiten" lies inside the window, the table's action column stays
//! at its right edge), and a long organisation name is cut with "…" and its full text on hover.

use tagungsbuero_e2e::{App, cli, create_event};

/// Testids (prefix match) of elements that are partly outside the window.
async fn outside(app: &App, prefix: &str) -> (usize, Vec<String>) {
    let out = app
        .client
        .execute(
            "const vw = window.innerWidth, vh = window.innerHeight;
             const all = [...document.querySelectorAll(`[data-testid^='${arguments[0]}']`)];
             const bad = all.filter(e => { const r = e.getBoundingClientRect();
               return r.left < 0 || r.right > vw + 0.5; }).map(e => e.dataset.testid);
             return [all.length, bad];",
            vec![serde_json::json!(prefix)],
        )
        .await
        .unwrap();
    let bad = out[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    (out[0].as_u64().unwrap() as usize, bad)
}

#[tokio::test]
async fn no_action_is_hidden_in_small_windows_and_long_names_are_cut() {
    let mut event = 0;
    let long: String = format!(
        "Partnerschaftsverein {}",
        "Städtepartnerschaft Hürth–Peremyschljany und Freundeskreis ".repeat(5)
    )
    .chars()
    .take(290)
    .collect();
    let app = App::launch_with(|db| {
        event = create_event(
            db,
            &[
            "--title",
            "17. Forum Städtepartnerschaften NRW über Klima, Nachhaltigkeit und Jugendbegegnungen",
            "--series",
            "forum",
            "--starts-at",
            "2099-05-13 11:00",
            "--ends-at",
            "2099-05-14 13:00",
            ],
        );
        for i in 0..4 {
            cli(
                db,
                &[
                    "register",
                    "--event",
                    &event.to_string(),
                    "--email",
                    &format!("p{i}@example.org"),
                    "--first-name",
                    "Maximiliane-Josephine",
                    "--last-name",
                    &format!("Müller-Lüdenscheidt-Schwarzenberg{i}"),
                    "--organisation",
                    &format!("{} {i}", long.trim_end()),
                ],
            );
        }
    })
    .await;

    for (width, height) in [(1024, 700), (1366, 768)] {
        app.client.set_window_size(width, height).await.unwrap();
        app.click("nav-events").await;
        app.click(&format!("event-open-{event}")).await;
        app.wait_for("registration-cancel-1").await;
        let (count, bad) = outside(&app, "registration-cancel-").await;
        assert_eq!(count, 4);
        assert!(bad.is_empty(), "{width}×{height}: hidden {bad:?}");
        for id in [
            "event-edit",
            "event-checkin",
            "event-export",
            "event-delete",
        ] {
            let (_, bad) = outside(&app, id).await;
            assert!(bad.is_empty(), "{width}×{height}: {id} hidden");
        }
        // The organisation line is cut, the full name is in its title.
        let cut = app
            .client
            .execute(
                "const e = document.querySelector('[data-testid=registration-row-1] .sub')
                   ?? document.querySelector('td .sub');
                 return [e.scrollWidth > e.clientWidth, e.title.length];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(cut[0], serde_json::json!(true), "{width}×{height}: not cut");
        assert!(cut[1].as_u64().unwrap() >= 290);

        app.click("nav-contacts").await;
        app.wait_for("person-edit-1").await;
        let (_, bad) = outside(&app, "person-edit-").await;
        assert!(bad.is_empty(), "{width}×{height}: hidden {bad:?}");
        app.click("nav-organisations").await;
        app.wait_for("organisation-edit-1").await;
        let (_, bad) = outside(&app, "organisation-edit-").await;
        assert!(bad.is_empty(), "{width}×{height}: hidden {bad:?}");
        let name = app.text("organisation-name-1").await;
        assert!(
            name.starts_with("Partnerschaftsverein")
                && name.ends_with('…')
                && name.chars().count() <= 120,
            "{width}×{height}: organisation name not cut: {name}"
        );
        let title = app
            .wait_for("organisation-name-1")
            .await
            .attr("title")
            .await
            .unwrap()
            .unwrap_or_default();
        assert!(title.chars().count() >= 290, "full name on hover");
    }
    app.close().await;
}
