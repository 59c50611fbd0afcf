//! Contracts of `mail outbox --json` and `mail send`, against a real SMTP server (aiosmtpd)
//! started by the test: a registration's confirmation is queued, sent, received and checked as
//! the recipient's mail program would read it; a refusing, failing or vanished server leaves
//! the message failed and retryable, never lost and never sent twice.

mod common;

use std::path::Path;

use chrono::{DateTime, Utc};
use common::smtp::SmtpServer;
use common::{json, run, stderr};
use mailparse::{MailHeaderMap, ParsedMail};
use serde_json::Value;
use tagungsbuero_core::Store;
use tagungsbuero_core::events::{self, EventFormat, EventInput, EventStatus, Series};

/// A future hybrid event with a venue, an online link and one place.
fn event(db: &Path) -> i64 {
    let mut store = Store::open(db).unwrap();
    let input = EventInput {
        title: "Forum Städtepartnerschaften – Übergänge gestalten".into(),
        series: Series::Forum,
        number: None,
        starts_at: "2099-02-18 11:00".into(),
        ends_at: "2099-02-18 15:30".into(),
        format: EventFormat::Hybrid,
        venue: "Rathaus Hürth, Friedrich-Ebert-Straße 40".into(),
        online_link: "https://example.org/zoom/forum-2099".into(),
        capacity: Some(1),
        registration_deadline: None,
        description: String::new(),
        status: EventStatus::Offen,
        organiser: "Netzwerkstelle Städtepartnerschaften NRW".into(),
        funding_note: String::new(),
    };
    store.write(|tx| events::create(tx, input)).unwrap().id
}

fn register(db: &Path, event: i64, email: &str, first: &str, last: &str) {
    let out = run(
        db,
        &[
            "register",
            "--event",
            &event.to_string(),
            "--email",
            email,
            "--first-name",
            first,
            "--last-name",
            last,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

fn outbox(db: &Path) -> Vec<Value> {
    json(db, &["mail", "outbox", "--json"])
        .as_array()
        .unwrap()
        .clone()
}

fn send(db: &Path, server_port: u16, extra: &[&str]) -> std::process::Output {
    let port = server_port.to_string();
    let mut args = vec![
        "mail",
        "send",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &port,
        "--plain",
    ];
    args.extend_from_slice(extra);
    run(db, &args)
}

fn text_part(mail: &ParsedMail<'_>, mime: &str) -> String {
    mail.parts()
        .find(|p| p.ctype.mimetype == mime)
        .unwrap_or_else(|| panic!("no {mime} part"))
        .get_body()
        .unwrap()
}

#[test]
fn a_registration_is_confirmed_by_mail_once_with_calendar_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let event = event(&db);
    register(
        &db,
        event,
        "juergen@example.org",
        "Jürgen",
        "Müller-Lüdenscheidt",
    );
    register(&db, event, "zofia@example.org", "Zofia", "Łukasiewicz");

    let queued = outbox(&db);
    assert_eq!(queued.len(), 2);
    let mut seen: Vec<(String, String, String, String)> = queued
        .iter()
        .map(|m| {
            assert!(m["id"].as_i64().is_some());
            (
                m["kind"].as_str().unwrap().to_owned(),
                m["to"].as_str().unwrap().to_owned(),
                m["subject"].as_str().unwrap().to_owned(),
                m["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                "anmeldebestaetigung".to_owned(),
                "juergen@example.org".to_owned(),
                "Anmeldebestätigung: Forum Städtepartnerschaften – Übergänge gestalten".to_owned(),
                "wartet".to_owned()
            ),
            (
                "warteliste".to_owned(),
                "zofia@example.org".to_owned(),
                "Warteliste: Forum Städtepartnerschaften – Übergänge gestalten".to_owned(),
                "wartet".to_owned()
            ),
        ]
    );

    let server = SmtpServer::start(&dir.path().join("mail"), "accept", None);
    let out = send(&db, server.port, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 gesendet"));
    let received = server.received();
    assert_eq!(received.len(), 2);
    let (rcpt, raw) = received
        .iter()
        .find(|(rcpt, _)| rcpt == "juergen@example.org")
        .expect("the confirmation reached Jürgen");
    assert_eq!(rcpt, "juergen@example.org");
    let mail = mailparse::parse_mail(raw).unwrap();
    let header = |name: &str| mail.headers.get_first_value(name).unwrap_or_default();
    assert_eq!(
        header("Subject"),
        "Anmeldebestätigung: Forum Städtepartnerschaften – Übergänge gestalten"
    );
    assert!(
        header("To").contains("Jürgen Müller-Lüdenscheidt"),
        "{}",
        header("To")
    );
    assert!(header("To").contains("<juergen@example.org>"));
    assert!(!header("Message-ID").is_empty());
    assert!(mailparse::dateparse(&header("Date")).is_ok());

    let plain = text_part(&mail, "text/plain");
    assert!(
        plain.starts_with("Guten Tag Jürgen Müller-Lüdenscheidt,"),
        "{plain}"
    );
    assert!(
        plain.contains("am Mittwoch, 18. Februar 2099, 11:00–15:30 Uhr"),
        "{plain}"
    );
    assert!(plain.contains("Ort: Rathaus Hürth, Friedrich-Ebert-Straße 40 (oder online)"));
    assert!(plain.contains("Zugang: https://example.org/zoom/forum-2099"));
    let html = text_part(&mail, "text/html");
    assert!(html.contains(
        "<a href=\"https://example.org/zoom/forum-2099\">https://example.org/zoom/forum-2099</a>"
    ));
    assert!(html.contains("Guten Tag Jürgen Müller-Lüdenscheidt,"));

    let ics_part = mail
        .parts()
        .find(|p| p.ctype.mimetype == "text/calendar")
        .expect("calendar attachment");
    let disposition = ics_part.get_content_disposition();
    assert_eq!(
        disposition.params.get("filename").map(String::as_str),
        Some("veranstaltung.ics")
    );
    let calendar: icalendar::Calendar = ics_part.get_body().unwrap().parse().unwrap();
    let entry = calendar.components[0].as_event().expect("a VEVENT");
    use icalendar::Component;
    let start = match entry.get_start().unwrap() {
        icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t)) => t,
        other => panic!("UTC start expected, got {other:?}"),
    };
    let expected: DateTime<Utc> = "2099-02-18T10:00:00Z".parse().unwrap();
    assert_eq!(start, expected, "11:00 in Berlin is 10:00 UTC in February");
    assert_eq!(entry.get_url(), Some("https://example.org/zoom/forum-2099"));
    assert_eq!(
        entry.get_summary(),
        Some("Forum Städtepartnerschaften – Übergänge gestalten")
    );

    // The waiting-list message names the place.
    let (_, raw) = received
        .iter()
        .find(|(r, _)| r == "zofia@example.org")
        .unwrap();
    let waitlist = mailparse::parse_mail(raw).unwrap();
    assert!(text_part(&waitlist, "text/plain").contains("(Platz 1)"));
    assert!(
        waitlist
            .headers
            .get_first_value("To")
            .unwrap()
            .contains("Zofia Łukasiewicz")
    );

    // Sent is sent: a second run sends nothing.
    let states: Vec<String> = outbox(&db)
        .iter()
        .map(|m| m["state"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(states, ["gesendet", "gesendet"]);
    let again = send(&db, server.port, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 gesendet"));
    assert_eq!(server.received().len(), 2);
}

fn states(db: &Path) -> Vec<(String, String, i64)> {
    let mut list: Vec<(String, String, i64)> = outbox(db)
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap().to_owned(),
                m["state"].as_str().unwrap().to_owned(),
                m["attempts"].as_i64().unwrap(),
            )
        })
        .collect();
    list.sort();
    list
}

#[test]
fn a_refusing_dropping_or_missing_server_leaves_messages_failed_and_retryable() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let event = event(&db);
    register(&db, event, "anna@example.org", "Anna", "Özdemir");

    let refusing = SmtpServer::start(&dir.path().join("refuse"), "refuse", None);
    let out = send(&db, refusing.port, &[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("1 fehlgeschlagen"),
        "{}",
        stderr(&out)
    );
    let failed = &outbox(&db)[0];
    assert_eq!(failed["state"], "fehlgeschlagen");
    assert!(failed["last_error"].as_str().unwrap().contains("abgelehnt"));
    drop(refusing);

    let dropping = SmtpServer::start(&dir.path().join("drop"), "drop", None);
    let out = send(&db, dropping.port, &[]);
    assert!(!out.status.success());
    assert_eq!(
        states(&db),
        [("anmeldebestaetigung".into(), "fehlgeschlagen".into(), 2)]
    );
    let port = dropping.port;
    drop(dropping);

    // Nobody listens any more on that port.
    let out = send(&db, port, &[]);
    assert!(
        stderr(&out).contains("nicht erreichbar"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        states(&db),
        [("anmeldebestaetigung".into(), "fehlgeschlagen".into(), 3)]
    );

    let tempfail = SmtpServer::start(&dir.path().join("tempfail"), "tempfail", None);
    let out = send(&db, tempfail.port, &[]);
    assert!(stderr(&out).contains("vorübergehend"), "{}", stderr(&out));
    assert!(outbox(&db)[0]["next_attempt_at"].as_str().is_some());
    drop(tempfail);

    let working = SmtpServer::start(&dir.path().join("ok"), "accept", None);
    let out = send(&db, working.port, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        states(&db),
        [("anmeldebestaetigung".into(), "gesendet".into(), 5)]
    );
    let out = send(&db, working.port, &[]);
    assert!(out.status.success());
    assert_eq!(working.received().len(), 1, "sent exactly once");
}

#[test]
fn login_uses_the_password_from_the_environment_and_never_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let event = event(&db);
    register(&db, event, "anna@example.org", "Anna", "Özdemir");
    let server = SmtpServer::start(
        &dir.path().join("mail"),
        "accept",
        Some("buero:Geheim-äß-42"),
    );

    let wrong = common::cli(&db)
        .args(["mail", "send", "--smtp-host", "127.0.0.1", "--smtp-port"])
        .arg(server.port.to_string())
        .args(["--plain", "--user", "buero", "--password-env", "SMTP_PASS"])
        .env("SMTP_PASS", "falsch")
        .output()
        .unwrap();
    assert!(!wrong.status.success());
    assert!(
        stderr(&wrong).contains("Anmeldung abgelehnt"),
        "{}",
        stderr(&wrong)
    );

    let missing = run(
        &db,
        &[
            "mail",
            "send",
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            "25",
            "--plain",
            "--user",
            "buero",
            "--password-env",
            "TAGUNGSBUERO_NOT_SET",
        ],
    );
    assert!(stderr(&missing).contains("TAGUNGSBUERO_NOT_SET"));

    let right = common::cli(&db)
        .args(["mail", "send", "--smtp-host", "127.0.0.1", "--smtp-port"])
        .arg(server.port.to_string())
        .args(["--plain", "--user", "buero", "--password-env", "SMTP_PASS"])
        .env("SMTP_PASS", "Geheim-äß-42")
        .output()
        .unwrap();
    assert!(right.status.success(), "{}", stderr(&right));
    assert_eq!(server.received().len(), 1);
    let everything = format!(
        "{}{}{}",
        stderr(&wrong),
        stderr(&right),
        serde_json::to_string(&outbox(&db)).unwrap()
    );
    assert!(!everything.contains("Geheim"));
    let file = std::fs::read(&db).unwrap();
    assert!(
        !file.windows(6).any(|w| w == b"Geheim"),
        "no password in the database"
    );
}

#[test]
fn plain_text_is_refused_for_a_remote_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let out = run(
        &db,
        &[
            "mail",
            "send",
            "--smtp-host",
            "smtp.example.org",
            "--smtp-port",
            "25",
            "--plain",
        ],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("nur an einen Testserver"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_certificate_mail_carries_the_persons_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let event = {
        let mut store = Store::open(&db).unwrap();
        let input = EventInput {
            title: "Schulung Fördermittel für Begegnungen".into(),
            series: Series::Training,
            number: None,
            starts_at: "2024-06-20 10:00".into(),
            ends_at: "2024-06-20 16:00".into(),
            format: EventFormat::Praesenz,
            venue: "Auslandsgesellschaft, Steinstraße 48, 44147 Dortmund".into(),
            online_link: String::new(),
            capacity: None,
            registration_deadline: None,
            description: "Förderprogramme für Bürgerbegegnungen.".into(),
            status: EventStatus::Offen,
            organiser: "Netzwerkstelle Städtepartnerschaften NRW".into(),
            funding_note: String::new(),
        };
        store.write(|tx| events::create(tx, input)).unwrap().id
    };
    register(&db, event, "zofia@example.org", "Zofia", "Łukasiewicz");
    register(&db, event, "kemal@example.org", "Kemal", "Yıldırım");
    let out = run(
        &db,
        &[
            "checkin",
            "--event",
            &event.to_string(),
            "--email",
            "zofia@example.org",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // A past event queues no confirmation; the certificate is asked for.
    assert!(outbox(&db).is_empty());
    let queued = Store::open(&db)
        .unwrap()
        .write(|tx| tagungsbuero_core::mail::outbox::queue_certificates(tx, event))
        .unwrap();
    assert_eq!(queued, 1, "only the person present");

    let server = SmtpServer::start(&dir.path().join("mail"), "accept", None);
    let out = send(&db, server.port, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].0, "zofia@example.org");
    let mail = mailparse::parse_mail(&received[0].1).unwrap();
    assert!(
        mail.headers
            .get_first_value("Subject")
            .unwrap()
            .contains("Teilnahmebescheinigung"),
    );
    let pdf_part = mail
        .parts()
        .find(|p| p.ctype.mimetype == "application/pdf")
        .expect("the certificate is attached");
    let file_name = pdf_part
        .get_content_disposition()
        .params
        .get("filename")
        .cloned()
        .unwrap();
    assert!(
        file_name.starts_with("Teilnahmebescheinigung_"),
        "{file_name}"
    );
    assert!(file_name.ends_with(".pdf"));
    let pdf = pdf_part.get_body_raw().unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let file = dir.path().join("anhang.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, make deps-test)");
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Zofia Łukasiewicz"), "{text}");
    assert!(!text.contains("Yıldırım"), "{text}");
    assert!(text.contains("Schulung Fördermittel"), "{text}");
    let states: Vec<String> = outbox(&db)
        .iter()
        .map(|m| m["state"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(states, ["gesendet"]);
}
