//! Issue 14's "Done when": two app windows on one machine (two data dirs) pair and show each
//! other's registrations within seconds. Window A (the office) has the Partnerschaftsforum with
//! Anna's registration, window B (the check-in desk) the Tag der Städtepartnerschaften with
//! Bernd's; B joins A's team with the code A shows; then each window opens the other's event.
//! Both windows sit side by side on one screen:
//! `xvfb-run -a -s "-screen 0 2732x768x24" cargo run -p tagungsbuero-e2e --example two_windows -- DIR`.
//! Needs `xdotool` and ImageMagick's `import`, and the built CLI.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tagungsbuero_e2e::{App, UI_TIMEOUT, create_event, css, laptops};

fn event(db: &Path, title: &str, day: &str, email: &str, first: &str, last: &str) {
    let id = create_event(
        db,
        &[
            "--title",
            title,
            "--starts-at",
            &format!("{day} 10:00"),
            "--ends-at",
            &format!("{day} 16:00"),
            "--capacity",
            "80",
        ],
    );
    laptops::register(db, id, email, first, last);
}

async fn open_event(app: &App, title: &str, email: &str, shown: &str) {
    let deadline = Instant::now() + UI_TIMEOUT;
    let (event, registration): (i64, i64) = loop {
        let found = app.db().query_row(
            "SELECT e.id, r.id FROM events e JOIN registrations r ON r.event_id = e.id
             JOIN persons p ON p.id = r.person_id WHERE e.title = ?1 AND p.email = ?2",
            [title, email],
            |r| Ok((r.get(0)?, r.get(1)?)),
        );
        if let Ok(found) = found {
            break found;
        }
        assert!(Instant::now() < deadline, "{title} did not arrive");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    app.click("nav-events").await;
    app.click(&format!("event-open-{event}")).await;
    app.wait_for_text(&format!("registration-name-{registration}"), shown)
        .await;
}

#[tokio::main]
async fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "docs/screens".into()),
    );
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let office = App::launch_with(|db| {
        event(
            db,
            "Partnerschaftsforum 2099",
            "2099-09-09",
            "anna@example.org",
            "Anna",
            "Büro",
        )
    })
    .await;
    let desk = App::launch_with(|db| {
        event(
            db,
            "Tag der Städtepartnerschaften 2099",
            "2099-06-20",
            "bernd@example.org",
            "Bernd",
            "Einlass",
        )
    })
    .await;
    // Side by side: the window that started first on the left.
    let windows = String::from_utf8(
        Command::new("xdotool")
            .args(["search", "--name", "Tagungsbüro"])
            .output()
            .expect("xdotool")
            .stdout,
    )
    .unwrap();
    for (i, window) in windows.split_whitespace().enumerate() {
        let x = (i * 1366).to_string();
        let status = Command::new("xdotool")
            .args([
                "windowmove",
                window,
                &x,
                "0",
                "windowsize",
                window,
                "1366",
                "768",
            ])
            .status()
            .expect("xdotool");
        assert!(status.success());
    }
    for (app, name) in [(&office, "Büro"), (&desk, "Einlass")] {
        app.click("nav-team").await;
        app.fill("team-name", name).await;
        app.click("team-name-save").await;
        app.wait_for("toast-success").await;
    }
    office.click("team-offer").await;
    let code: String = office
        .text("team-offer-code")
        .await
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let mut address = String::new();
    for item in office
        .client
        .find_all(fantoccini::Locator::Css(&css("team-offer-address")))
        .await
        .unwrap()
    {
        let text = item.text().await.unwrap();
        if text.starts_with("127.0.0.1:") {
            address = text;
        }
    }
    desk.click("team-join").await;
    desk.fill("team-join-address", &address).await;
    desk.fill("team-join-code", &code).await;
    let started = Instant::now();
    desk.click("team-join-submit").await;
    desk.wait_for_text("toast-success", "Gekoppelt").await;
    office.click("team-offer-close").await;
    open_event(
        &desk,
        "Partnerschaftsforum 2099",
        "anna@example.org",
        "Büro, Anna",
    )
    .await;
    open_event(
        &office,
        "Tag der Städtepartnerschaften 2099",
        "bernd@example.org",
        "Einlass, Bernd",
    )
    .await;
    println!(
        "both windows show the other's registration {:.1} s after pairing",
        started.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    let path = dir.join("team-zwei-fenster.png");
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(&path)
        .status()
        .expect("ImageMagick's import");
    assert!(status.success());
    println!("{}", path.display());
    office.click("nav-team").await;
    desk.click("nav-team").await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let path = dir.join("team-zwei-fenster-team.png");
    Command::new("import")
        .args(["-window", "root"])
        .arg(&path)
        .status()
        .expect("import");
    println!("{}", path.display());
    office.close().await;
    desk.close().await;
}
