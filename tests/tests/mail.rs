//! Issue 13: a person registered at the desk gets the Anmeldebestätigung through the office's
//! mail server. The test starts a real SMTP server (aiosmtpd), sets it up under
//! "E-Mail-Versand", sends from the Postausgang and reads the received message.

#[path = "../../src-tauri/core/tests/common/smtp.rs"]
#[allow(dead_code)]
mod smtp;

use mailparse::MailHeaderMap;
use smtp::SmtpServer;
use tagungsbuero_e2e::{App, ENTER, cli};

#[tokio::test]
async fn a_desk_registration_is_confirmed_through_the_mail_server() {
    let mut event_id = 0;
    let app = App::launch_with(|db| {
        cli(db, &["seed-demo"]);
        let event: serde_json::Value = serde_json::from_str(&cli(
            db,
            &[
                "events",
                "create",
                "--title",
                "Workshop Städtepartnerschaft – Jugendaustausch",
                "--starts-at",
                "2099-05-06 18:00",
                "--ends-at",
                "2099-05-06 20:00",
                "--format",
                "praesenz",
                "--json",
            ],
        ))
        .unwrap();
        event_id = event["id"].as_i64().unwrap();
    })
    .await;
    let maildir = app.export_dir().join("smtp");
    let server = SmtpServer::start(&maildir, "accept", None);

    app.click(&format!("event-open-{event_id}")).await;
    app.wait_for("register-panel").await;
    app.keys("register-search", "kowal").await;
    app.wait_for_text("register-search-results", "Kowalski")
        .await;
    app.keys("register-search", ENTER).await;
    app.wait_for_text("count-angemeldet", "1").await;

    // The confirmation waits in the Postausgang.
    app.click("nav-mail").await;
    app.wait_for_text("mail-send-now", "Jetzt senden (44)")
        .await;
    let (kowalski, address): (i64, String) = app
        .db()
        .query_row(
            "SELECT o.id, p.email FROM mail_outbox o JOIN persons p ON p.id = o.person_id
             WHERE o.event_id = ?1 AND o.kind = 'anmeldebestaetigung' AND o.state = 'wartet'",
            [event_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();

    // Set up the test server as the office's mail server: Postausgang links to its section in
    // the Einstellungen.
    app.click("mail-to-settings").await;
    app.wait_for("settings-view").await;
    app.wait_for("mail-settings").await;
    app.set_value("mail-settings-security", "plain").await;
    app.fill("mail-settings-host", "127.0.0.1").await;
    app.set_value("mail-settings-port", &server.port.to_string())
        .await;
    app.set_value("mail-settings-rate", "600").await;
    app.fill(
        "mail-settings-sender-name",
        "Netzwerkstelle Städtepartnerschaften NRW",
    )
    .await;
    app.fill("mail-settings-sender", "buero@example.org").await;
    app.click("mail-settings-save").await;
    app.wait_for_text("toasts", "Einstellungen gespeichert")
        .await;

    app.click("nav-mail").await;
    app.click("mail-send-now").await;
    app.wait_for_text("toasts", "gesendet").await;
    let state: String = app
        .db()
        .query_row(
            "SELECT state FROM mail_outbox WHERE id = ?1",
            [kowalski],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(state, "gesendet");

    let received = server.received();
    // The demo data may have queued other confirmations for this address: take this event's.
    let mail = received
        .iter()
        .filter(|(rcpt, _)| *rcpt == address)
        .map(|(_, raw)| mailparse::parse_mail(raw).unwrap())
        .find(|m| {
            m.headers
                .get_first_value("Subject")
                .is_some_and(|s| s.contains("Workshop"))
        })
        .expect("the confirmation reached the server");
    assert_eq!(
        mail.headers.get_first_value("Subject").unwrap(),
        "Anmeldebestätigung: Workshop Städtepartnerschaft – Jugendaustausch"
    );
    assert!(
        mail.headers
            .get_first_value("From")
            .unwrap()
            .contains("Städtepartnerschaften")
    );
    let text = mail
        .parts()
        .find(|p| p.ctype.mimetype == "text/plain")
        .unwrap()
        .get_body()
        .unwrap();
    assert!(
        text.contains("am Mittwoch, 6. Mai 2099, 18:00–20:00 Uhr"),
        "{text}"
    );
    assert!(
        text.trim_end()
            .ends_with("Netzwerkstelle Städtepartnerschaften NRW"),
        "{text}"
    );
    assert!(mail.parts().any(|p| p.ctype.mimetype == "text/calendar"));

    // Sent once: nothing is left to send, and the server has it once.
    app.wait_for_text("mail-send-now", "Jetzt senden (0)").await;
    let count = received
        .iter()
        .filter(|(rcpt, raw)| {
            *rcpt == address
                && mailparse::parse_mail(raw)
                    .ok()
                    .and_then(|m| m.headers.get_first_value("Subject"))
                    .is_some_and(|s| s.contains("Workshop"))
        })
        .count();
    assert_eq!(count, 1);
    app.close().await;
}
