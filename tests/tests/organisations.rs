//! Issue 11, item 14: two spellings of one Verein are offered as likely duplicates and merged
//! like contacts — a choice per field, the partner towns of both, every member moved over.

use tagungsbuero_e2e::{App, cli, create_event};

fn organisation_id(app: &App, name: &str) -> i64 {
    app.db()
        .query_row(
            "SELECT id FROM organisations WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
}

#[tokio::test]
async fn two_spellings_of_one_verein_are_merged_with_their_members() {
    let app = App::launch_with(|db| {
        let event = create_event(
            db,
            &[
                "--title",
                "Regionaltreffen Rheinland",
                "--starts-at",
                "2027-02-11 17:00",
                "--ends-at",
                "2027-02-11 19:00",
            ],
        )
        .to_string();
        for (email, first, organisation) in [
            (
                "anna@komitee.example.org",
                "Anna",
                "Partnerschaftskomitee Hürth e.V.",
            ),
            (
                "ben@komitee.example.org",
                "Ben",
                "Partnerschaftskomitee Hürth",
            ),
            (
                "carla@komitee.example.org",
                "Carla",
                "Partnerschaftskomitee Hürth",
            ),
        ] {
            cli(
                db,
                &[
                    "register",
                    "--event",
                    &event,
                    "--email",
                    email,
                    "--first-name",
                    first,
                    "--last-name",
                    "Beispiel",
                    "--organisation",
                    organisation,
                ],
            );
        }
    })
    .await;
    let with_ev = organisation_id(&app, "Partnerschaftskomitee Hürth e.V.");
    let without = organisation_id(&app, "Partnerschaftskomitee Hürth");

    app.click("nav-organisations").await;
    app.wait_for("organisation-duplicates").await;
    let (first, second) = (with_ev.min(without), with_ev.max(without));
    let duplicate = format!("organisation-duplicate-merge-{first}-{second}");
    // The pair is listed in name order, whichever id is lower.
    let button = if app.exists(&duplicate).await {
        duplicate
    } else {
        format!("organisation-duplicate-merge-{second}-{first}")
    };
    app.click(&button).await;
    app.wait_for("organisation-merge-fields").await;
    // Keep whichever stays, but take the name with "e.V.".
    let keep_name_side = if app
        .text("organisation-merge-dialog")
        .await
        .find("„Partnerschaftskomitee Hürth e.V.“ bleibt")
        .is_some()
    {
        "keep"
    } else {
        "remove"
    };
    app.click(&format!("organisation-merge-name-{keep_name_side}"))
        .await;
    app.wait_for_text(
        "organisation-merge-summary",
        "zu „Partnerschaftskomitee Hürth e.V.“;",
    )
    .await;
    app.click("organisation-merge-confirm").await;
    app.wait_gone("organisation-merge-dialog").await;
    app.wait_gone("organisation-duplicates").await;

    let remaining: Vec<(i64, String)> = {
        let db = app.db();
        let mut stmt = db.prepare("SELECT id, name FROM organisations").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(remaining.len(), 1);
    assert_eq!(remaining[0].1, "Partnerschaftskomitee Hürth e.V.");
    let members: i64 = app
        .db()
        .query_row(
            "SELECT count(*) FROM persons WHERE organisation_id = ?1",
            [remaining[0].0],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(members, 3);
    app.wait_for_text(&format!("organisation-persons-{}", remaining[0].0), "3")
        .await;
    app.close().await;
}
