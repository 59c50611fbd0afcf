//! Screenshots of the Postausgang (messages, templates with live preview, E-Mail-Versand) at a
//! given screen size, on the demo data with sent, failed and waiting messages. Run under Xvfb:
//! `xvfb-run -a -s "-screen 0 1366x768x24" cargo run -p tagungsbuero-e2e --example mail_screens -- DIR 1366 768`.
//! Needs aiosmtpd (`make deps-test`), `xdotool` and ImageMagick's `import`.

#[path = "../../src-tauri/core/tests/common/smtp.rs"]
#[allow(dead_code)]
mod smtp;

use std::path::Path;
use std::process::Command;

use smtp::SmtpServer;
use tagungsbuero_e2e::screens::Screens;
use tagungsbuero_e2e::{App, cli, cli_binary};

fn send(db: &Path, port: u16) {
    let _ = Command::new(cli_binary())
        .arg("--db")
        .arg(db)
        .args([
            "mail",
            "send",
            "--smtp-host",
            "127.0.0.1",
            "--plain",
            "--smtp-port",
        ])
        .arg(port.to_string())
        .output()
        .expect("the CLI");
}

#[tokio::main]
async fn main() {
    let screens = Screens::from_args();
    let work = tempfile::tempdir().unwrap();
    let app = App::launch_with(|db| {
        cli(db, &["seed-demo"]);
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.execute(
            "INSERT INTO mail_settings (id, uid, smtp_host, smtp_port, security, sender_name,
                 sender_address, reply_to, office_contact, per_minute, created_at, updated_at)
             VALUES (1, 'mail-settings-demo', '127.0.0.1', 2525, 'plain',
                 'Netzwerkstelle Städtepartnerschaften NRW', 'buero@example.org',
                 'anmeldung@example.org',
                 'Netzwerkstelle Städtepartnerschaften NRW' || char(10) || 'Auslandsgesellschaft.de e.V., Dortmund',
                 600, '2026-11-29T10:00:00.000Z', '2026-11-29T10:00:00.000Z')",
            [],
        )
        .unwrap();
        drop(conn);
        let accept = SmtpServer::start(&work.path().join("ok"), "accept", None);
        send(db, accept.port);
        let forum = cli(db, &["registrations", "list", "--event", "6", "--json"]);
        let rows: serde_json::Value = serde_json::from_str(&forum).unwrap();
        let email = rows[0]["email"].as_str().unwrap().to_owned();
        cli(db, &["cancel", "--event", "6", "--email", &email, "--reason", "krank"]);
        let refuse = SmtpServer::start(&work.path().join("no"), "refuse", None);
        send(db, refuse.port);
        cli(
            db,
            &["register", "--event", "6", "--email", "neu@example.org", "--first-name", "Łucja", "--last-name", "Nowak-Schäfer"],
        );
    })
    .await;
    screens.fit_window();
    let size = screens.size();
    app.click("nav-mail").await;
    app.wait_for("mail-table").await;
    screens.shot(&format!("mail-{size}-1-postausgang")).await;
    app.click("mail-open").await;
    app.wait_for("mail-message-text").await;
    screens.shot(&format!("mail-{size}-2-nachricht")).await;
    app.client
        .execute("document.querySelector('dialog[open]')?.close()", vec![])
        .await
        .unwrap();
    app.click("mail-tab-templates").await;
    app.wait_for("mail-template-preview-text").await;
    screens.shot(&format!("mail-{size}-3-vorlagen")).await;
    app.click("mail-to-settings").await;
    app.wait_for("mail-settings").await;
    screens.shot(&format!("mail-{size}-4-versand")).await;
    app.close().await;
}
