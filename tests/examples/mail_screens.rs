//! Screenshots of the Postausgang (messages, templates with live preview, E-Mail-Versand) at a
//! given screen size, on the demo data with sent, failed and waiting messages. Run under Xvfb:
//! `xvfb-run -a -s "-screen 0 1366x768x24" cargo run -p tagungsbuero-e2e --example mail_screens -- DIR 1366 768`.
//! Needs aiosmtpd (`make deps-test`), `xdotool` and ImageMagick's `import`.

#[path = "../../src-tauri/core/tests/common/smtp.rs"]
#[allow(dead_code)]
mod smtp;

use std::path::{Path, PathBuf};
use std::process::Command;

use smtp::SmtpServer;
use tagungsbuero_e2e::{App, cli, cli_binary};

async fn shot(dir: &Path, name: &str) {
    // Let the list load and transitions settle (a picture, not a test).
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let path = dir.join(format!("{name}.png"));
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(&path)
        .status()
        .expect("ImageMagick's import");
    assert!(status.success());
    println!("{}", path.display());
}

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
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "docs/screens".into()));
    let width: u32 = args.next().map_or(1366, |w| w.parse().expect("width"));
    let height: u32 = args.next().map_or(768, |h| h.parse().expect("height"));
    std::fs::create_dir_all(&dir).expect("screenshot folder");
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
    let status = Command::new("xdotool")
        .args([
            "search",
            "--name",
            "Tagungsbüro",
            "windowmove",
            "0",
            "0",
            "windowsize",
        ])
        .args([width.to_string(), height.to_string()])
        .status()
        .expect("xdotool");
    assert!(status.success());
    let size = format!("{width}x{height}");
    app.click("nav-mail").await;
    app.wait_for("mail-table").await;
    shot(&dir, &format!("mail-{size}-1-postausgang")).await;
    app.click("mail-open").await;
    app.wait_for("mail-message-text").await;
    shot(&dir, &format!("mail-{size}-2-nachricht")).await;
    app.client
        .execute("document.querySelector('dialog[open]')?.close()", vec![])
        .await
        .unwrap();
    app.click("mail-tab-templates").await;
    app.wait_for("mail-template-preview-text").await;
    shot(&dir, &format!("mail-{size}-3-vorlagen")).await;
    app.click("mail-to-settings").await;
    app.wait_for("mail-settings").await;
    shot(&dir, &format!("mail-{size}-4-versand")).await;
    app.close().await;
}
