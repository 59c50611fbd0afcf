//! Mail throughput against the real test server (aiosmtpd, `tests/smtp/server.py`, installed by
//! `make deps-test`): 300 confirmations with calendar entry are queued by registrations and
//! sent through one SMTP connection without the rate limit (the office's setting is 30 a
//! minute; this measures what the app itself manages). Run with `cargo bench --bench mail`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use tagungsbuero_core::Store;
use tagungsbuero_core::events::{self, EventFormat, EventInput, EventStatus, Series};
use tagungsbuero_core::mail::Security;
use tagungsbuero_core::mail::outbox::Scope;
use tagungsbuero_core::mail::send::{self, Mailer, SendOptions, SmtpAccess};
use tagungsbuero_core::people::PersonInput;
use tagungsbuero_core::registrations::{self, RegisterInput};

const MESSAGES: usize = 300;

fn python() -> PathBuf {
    std::env::var_os("TAGUNGSBUERO_SMTP_PYTHON").map_or_else(
        || {
            let home = PathBuf::from(std::env::var_os("HOME").unwrap());
            home.join(".cache/tagungsbuero/smtp-venv/bin/python")
        },
        PathBuf::from,
    )
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/smtp/server.py");
    let mut server = Command::new(python())
        .arg(script)
        .arg("--maildir")
        .arg(dir.path().join("mail"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("aiosmtpd (make deps-test)");
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line.trim().trim_start_matches("PORT ").parse().unwrap();

    let mut store = Store::open(&dir.path().join("bench.db")).unwrap();
    let event = store
        .write(|tx| {
            events::create(
                tx,
                EventInput {
                    title: "6. Tag der Städtepartnerschaften".into(),
                    series: Series::Tag,
                    number: Some(6),
                    starts_at: "2099-09-26 10:00".into(),
                    ends_at: "2099-09-26 17:00".into(),
                    format: EventFormat::Praesenz,
                    venue: "Rathaus Hürth".into(),
                    online_link: String::new(),
                    capacity: None,
                    registration_deadline: None,
                    description: String::new(),
                    status: EventStatus::Offen,
                    organiser: "Netzwerkstelle Städtepartnerschaften NRW".into(),
                    funding_note: String::new(),
                },
            )
        })
        .unwrap()
        .id;
    store
        .write(|tx| {
            for i in 0..MESSAGES {
                let input = RegisterInput {
                    person_id: None,
                    new_person: Some(PersonInput {
                        first_name: "Jürgen".into(),
                        last_name: format!("Müller {i}"),
                        email: format!("person{i}@example.org"),
                        ..PersonInput::default()
                    }),
                    ..RegisterInput::existing(event, 0)
                };
                registrations::register(tx, &input)?;
            }
            Ok(())
        })
        .unwrap();
    let mailer = Mailer::new(&SmtpAccess {
        host: "127.0.0.1".into(),
        port,
        security: Security::Plain,
        user: String::new(),
        password: None,
    })
    .unwrap();
    let options = SendOptions {
        scope: Scope::Explicit,
        per_minute: Some(1_000_000),
        fallback_sender: Some("buero@example.org".into()),
        stop: None,
    };
    let started = Instant::now();
    let report = send::send_due(&mut store, &mailer, options, &mut |_| {}).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(report.sent as usize, MESSAGES);
    println!(
        "mail: {MESSAGES} Nachrichten (mit .ics) in {seconds:.2} s = {:.0} Nachrichten/s",
        MESSAGES as f64 / seconds
    );
    drop(server.stdin.take());
    let _ = server.kill();
    let _ = server.wait();
}
