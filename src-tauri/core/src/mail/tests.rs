//! Tests of queueing (the trigger), rendering, templates, the calendar entry, MIME and claiming.

use chrono::Utc;

use super::outbox::{self, Claim, OutboxFilter, Scope};
use super::render::{self, MailContext};
use super::settings::{self, MailSettings};
use super::templates::{self, MailTemplate, TemplateSource};
use super::*;
use crate::events::{self, EventFormat, EventInput, tests::forum_input};
use crate::people::{self, PersonInput};
use crate::registrations::{self, RegisterInput, RegistrationStatus};
use crate::store::Store;

fn future_event(store: &mut Store, capacity: Option<i64>) -> i64 {
    let input = EventInput {
        capacity,
        starts_at: "2099-02-18 11:00".into(),
        ends_at: "2099-02-18 15:30".into(),
        registration_deadline: None,
        ..forum_input()
    };
    store.write(|tx| events::create(tx, input)).unwrap().id
}

fn anna(n: usize) -> PersonInput {
    PersonInput {
        salutation: "Frau".into(),
        title: "Dr.".into(),
        first_name: "Anna".into(),
        last_name: format!("Müller{n}"),
        email: format!("anna{n}@example.org"),
        ..PersonInput::default()
    }
}

fn register(store: &mut Store, event: i64, person: PersonInput) -> registrations::RegistrationRow {
    store
        .write(|tx| {
            let input = RegisterInput {
                person_id: None,
                new_person: Some(person),
                ..RegisterInput::existing(event, 0)
            };
            registrations::register(tx, &input)
        })
        .unwrap()
        .registration
}

fn kinds_and_states(store: &mut Store) -> Vec<(MailKind, MailState, String)> {
    let mut list = store
        .read(|c| outbox::list(c, &OutboxFilter::default()))
        .unwrap();
    list.reverse();
    list.into_iter().map(|m| (m.kind, m.state, m.to)).collect()
}

#[test]
fn status_changes_queue_the_matching_message_in_the_same_transaction() {
    let mut store = Store::open_in_memory().unwrap();
    let event = future_event(&mut store, Some(1));
    let first = register(&mut store, event, anna(1));
    register(&mut store, event, anna(2));
    store
        .write(|tx| registrations::cancel(tx, first.registration_id, "krank"))
        .unwrap();
    use MailKind::*;
    use MailState::Wartet;
    assert_eq!(
        kinds_and_states(&mut store),
        [
            (Anmeldebestaetigung, Wartet, "anna1@example.org".to_owned()),
            (Warteliste, Wartet, "anna2@example.org".to_owned()),
            (Stornierung, Wartet, "anna1@example.org".to_owned()),
            (Nachgerueckt, Wartet, "anna2@example.org".to_owned()),
        ]
    );
    // A rolled-back change queues nothing.
    let before = kinds_and_states(&mut store).len();
    let failed: crate::CoreResult<()> = store.write(|tx| {
        registrations::set_status(
            tx,
            &[first.registration_id],
            RegistrationStatus::Angemeldet,
            "",
        )?;
        Err(crate::CoreError::Conflict("abgebrochen".into()))
    });
    assert!(failed.is_err());
    assert_eq!(kinds_and_states(&mut store).len(), before);
}

#[test]
fn the_event_mode_decides_release_or_nothing_and_past_events_queue_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let review = future_event(&mut store, None);
    store
        .write(|tx| settings::set_event_mode(tx, review, SendMode::Freigabe))
        .unwrap();
    register(&mut store, review, anna(1));
    assert_eq!(kinds_and_states(&mut store)[0].1, MailState::Freigabe);
    // Switching to automatic releases what waited.
    store
        .write(|tx| settings::set_event_mode(tx, review, SendMode::Automatisch))
        .unwrap();
    assert_eq!(kinds_and_states(&mut store)[0].1, MailState::Wartet);

    let silent = future_event(&mut store, None);
    store
        .write(|tx| settings::set_event_mode(tx, silent, SendMode::Aus))
        .unwrap();
    register(&mut store, silent, anna(2));
    let past = store
        .write(|tx| events::create(tx, forum_input()))
        .unwrap()
        .id;
    register(&mut store, past, anna(3));
    assert_eq!(kinds_and_states(&mut store).len(), 1);
}

#[test]
fn a_message_whose_occasion_passed_is_superseded_not_sent() {
    let mut store = Store::open_in_memory().unwrap();
    let event = future_event(&mut store, None);
    let row = register(&mut store, event, anna(1));
    store
        .write(|tx| registrations::cancel(tx, row.registration_id, ""))
        .unwrap();
    let ids = store
        .read(|c| outbox::due(c, Scope::Explicit, Utc::now()))
        .unwrap();
    assert_eq!(ids.len(), 2);
    let first = store
        .write(|tx| outbox::claim(tx, ids[0], Scope::Explicit, Utc::now()))
        .unwrap();
    assert!(
        matches!(first, Claim::Superseded(ref r) if r.contains("Storniert")),
        "{first:?}"
    );
    let second = store
        .write(|tx| outbox::claim(tx, ids[1], Scope::Explicit, Utc::now()))
        .unwrap();
    let Claim::Send(claimed) = second else {
        panic!("the cancellation goes out: {second:?}")
    };
    assert_eq!(claimed.outgoing.to_address, "anna1@example.org");
    // Claimed means frozen: a second claim finds nothing to do (never sent twice).
    let again = store
        .write(|tx| outbox::claim(tx, ids[1], Scope::Explicit, Utc::now()))
        .unwrap();
    assert!(matches!(again, Claim::Gone));
}

#[test]
fn a_failure_keeps_the_message_with_reason_and_backoff() {
    let mut store = Store::open_in_memory().unwrap();
    let event = future_event(&mut store, None);
    register(&mut store, event, anna(1));
    let id = store
        .read(|c| outbox::due(c, Scope::Explicit, Utc::now()))
        .unwrap()[0];
    let now = Utc::now();
    assert!(matches!(
        store
            .write(|tx| outbox::claim(tx, id, Scope::Automatic, now))
            .unwrap(),
        Claim::Send(_)
    ));
    store
        .write(|tx| outbox::record_failure(tx, id, "Server weg", true, now))
        .unwrap();
    let message = &store
        .read(|c| outbox::list(c, &OutboxFilter::default()))
        .unwrap()[0];
    assert_eq!(message.state, MailState::Fehlgeschlagen);
    assert_eq!(message.last_error, "Server weg");
    assert_eq!(message.attempts, 1);
    // Automatic sending waits for the retry time; the office's explicit sending does not.
    assert!(
        store
            .read(|c| outbox::due(c, Scope::Automatic, now))
            .unwrap()
            .is_empty()
    );
    let later = now + chrono::Duration::minutes(2);
    assert_eq!(
        store
            .read(|c| outbox::due(c, Scope::Automatic, later))
            .unwrap(),
        [id]
    );
    assert_eq!(
        store
            .read(|c| outbox::due(c, Scope::Explicit, now))
            .unwrap(),
        [id]
    );
    assert_eq!(outbox::backoff(1), Some(chrono::Duration::minutes(1)));
    assert_eq!(outbox::backoff(6), Some(chrono::Duration::minutes(60)));
    assert_eq!(outbox::backoff(7), None);
}

#[test]
fn a_person_without_address_fails_with_a_reason_and_is_not_retried_automatically() {
    let mut store = Store::open_in_memory().unwrap();
    let event = future_event(&mut store, None);
    register(
        &mut store,
        event,
        PersonInput {
            email: String::new(),
            ..anna(1)
        },
    );
    let id = store
        .read(|c| outbox::due(c, Scope::Explicit, Utc::now()))
        .unwrap()[0];
    let claim = store
        .write(|tx| outbox::claim(tx, id, Scope::Explicit, Utc::now()))
        .unwrap();
    assert!(matches!(claim, Claim::Unsendable(ref r) if r.contains("keine E-Mail-Adresse")));
    let later = Utc::now() + chrono::Duration::days(1);
    assert!(
        store
            .read(|c| outbox::due(c, Scope::Automatic, later))
            .unwrap()
            .is_empty()
    );
}

fn context(salutation: &str, title: &str) -> MailContext {
    let mut store = Store::open_in_memory().unwrap();
    let event = future_event(&mut store, None);
    let person = store
        .write(|tx| {
            people::create_person(
                tx,
                &PersonInput {
                    salutation: salutation.into(),
                    title: title.into(),
                    ..anna(1)
                },
            )
        })
        .unwrap();
    store
        .read(|c| MailContext::load(c, person.id, event))
        .unwrap()
}

#[test]
fn salutations_follow_the_style_and_stay_neutral_without_anrede() {
    let formal = SalutationStyle::Foermlich;
    let personal = SalutationStyle::Persoenlich;
    assert_eq!(
        render::salutation(&context("Frau", "Dr.").person, formal),
        "Sehr geehrte Frau Dr. Müller1"
    );
    assert_eq!(
        render::salutation(&context("Herr", "").person, formal),
        "Sehr geehrter Herr Müller1"
    );
    assert_eq!(
        render::salutation(&context("Frau", "Dr.").person, personal),
        "Liebe Anna"
    );
    assert_eq!(
        render::salutation(&context("Herr", "").person, personal),
        "Lieber Anna"
    );
    assert_eq!(
        render::salutation(&context("", "").person, formal),
        "Guten Tag Anna Müller1"
    );
    assert_eq!(
        render::salutation(&context("", "Dr.").person, personal),
        "Guten Tag Dr. Anna Müller1"
    );
}

#[test]
fn rendering_fills_placeholders_drops_empty_lines_and_escapes_html() {
    let mut ctx = context("Frau", "Dr.");
    ctx.person.first_name = "<b>Anna</b> & Co".into();
    ctx.office_contact = "Netzwerkstelle Städtepartnerschaften NRW\nTelefon 0231 000000".into();
    ctx.event.format = EventFormat::Praesenz;
    ctx.event.venue = "Rathaus Hürth".into();
    ctx.event.online_link = String::new();
    let template = templates::default_template(MailKind::Anmeldebestaetigung);
    let mail = render::render(&template, &ctx);
    assert_eq!(
        mail.subject,
        "Anmeldebestätigung: 13. Forum Städtepartnerschaften NRW"
    );
    assert!(
        mail.text.starts_with("Sehr geehrte Frau Dr. Müller1,"),
        "{}",
        mail.text
    );
    assert!(
        mail.text
            .contains("am Mittwoch, 18. Februar 2099, 11:00–15:30 Uhr"),
        "{}",
        mail.text
    );
    assert!(mail.text.contains("Ort: Rathaus Hürth"));
    assert!(
        !mail.text.contains("Zugang:"),
        "empty link line dropped: {}",
        mail.text
    );
    assert!(mail.text.ends_with("Telefon 0231 000000"));
    let html = render::to_html("Hallo <b>Anna</b> & Co\n\nLink: https://example.org/a?b=1&c=2.");
    assert!(html.contains("Hallo &lt;b&gt;Anna&lt;/b&gt; &amp; Co"));
    assert!(html.contains(
        "<a href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a>."
    ));
    assert!(!html.contains("<b>"));
}

#[test]
fn templates_are_overridden_per_office_and_event_and_validated() {
    let mut store = Store::open_in_memory().unwrap();
    let event = future_event(&mut store, None);
    let standard = store
        .read(|c| templates::effective(c, MailKind::Warteliste, Some(event)))
        .unwrap();
    assert_eq!(standard.source, TemplateSource::Standard);
    let office = MailTemplate {
        subject: "Warteliste – {Veranstaltung}".into(),
        ..standard.clone()
    };
    store.write(|tx| templates::save(tx, &office)).unwrap();
    let own = MailTemplate {
        event_id: Some(event),
        salutation_style: SalutationStyle::Persoenlich,
        subject: "Noch kein Platz: {Veranstaltung}".into(),
        ..standard.clone()
    };
    store.write(|tx| templates::save(tx, &own)).unwrap();
    let at_event = store
        .read(|c| templates::effective(c, MailKind::Warteliste, Some(event)))
        .unwrap();
    assert_eq!(
        (at_event.source, at_event.subject.as_str()),
        (
            TemplateSource::Veranstaltung,
            "Noch kein Platz: {Veranstaltung}"
        )
    );
    let at_office = store
        .read(|c| templates::effective(c, MailKind::Warteliste, None))
        .unwrap();
    assert_eq!(at_office.source, TemplateSource::Buero);
    let reset = store
        .write(|tx| templates::reset(tx, MailKind::Warteliste, Some(event)))
        .unwrap();
    assert_eq!(reset.source, TemplateSource::Buero);

    let typo = MailTemplate {
        body: "Hallo {Vornahme}".into(),
        ..standard
    };
    let Err(crate::CoreError::Validation(errors)) = store.write(|tx| templates::save(tx, &typo))
    else {
        panic!("unknown placeholder refused")
    };
    assert_eq!(errors[0].field, "body");
    assert!(errors[0].message.contains("{Vornahme}"));
}

#[test]
fn the_calendar_entry_has_the_utc_instant_and_the_link_and_parses() {
    let ctx = context("Frau", "");
    let text = calendar::ics(&ctx.event, "Netzwerkstelle, Dortmund; NRW").unwrap();
    assert!(text.contains("DTSTART:20990218T100000Z"), "{text}");
    assert!(text.contains("DTEND:20990218T143000Z"));
    assert!(text.contains("URL:https://example.org/forum"));
    assert!(
        text.replace("\r\n ", "")
            .contains("Netzwerkstelle\\, Dortmund\\; NRW"),
        "escaped: {text}"
    );
    assert!(text.lines().all(|l| l.len() <= 75), "folded: {text}");
    let parsed: icalendar::Calendar = text.parse().unwrap();
    assert_eq!(parsed.components.len(), 1);
}

#[test]
fn mime_has_utf8_subject_alternative_parts_reply_to_and_the_ics() {
    let ctx = context("Frau", "Dr.");
    let settings = MailSettings {
        smtp_host: "localhost".into(),
        sender_name: "Netzwerkstelle Städtepartnerschaften NRW".into(),
        sender_address: "buero@example.org".into(),
        reply_to: "antwort@example.org".into(),
        ..MailSettings::default()
    };
    let template = templates::default_template(MailKind::Anmeldebestaetigung);
    let mail = render::render(&template, &ctx);
    let outgoing = compose::Outgoing {
        message_uid: "abc".into(),
        to_name: "Anna Müller".into(),
        to_address: "anna@example.org".into(),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        attachments: outbox::attachments(
            Store::open_in_memory().unwrap().connection(),
            MailKind::Anmeldebestaetigung,
            None,
            &ctx,
        )
        .unwrap(),
    };
    let eml = compose::eml(&settings, &outgoing).unwrap();
    assert!(eml.starts_with(b"X-Unsent: 1\r\n"));
    let parsed = mailparse::parse_mail(&eml).unwrap();
    use mailparse::MailHeaderMap;
    assert_eq!(
        parsed.headers.get_first_value("Subject").unwrap(),
        "Anmeldebestätigung: 13. Forum Städtepartnerschaften NRW"
    );
    assert_eq!(
        parsed.headers.get_first_value("Message-ID").unwrap(),
        "<abc@example.org>"
    );
    assert!(
        parsed
            .headers
            .get_first_value("Reply-To")
            .unwrap()
            .contains("antwort@example.org")
    );
    assert!(
        parsed
            .headers
            .get_first_value("From")
            .unwrap()
            .contains("Städtepartnerschaften")
    );
    assert!(parsed.headers.get_first_value("Date").is_some());
    let types: Vec<String> = parsed.parts().map(|p| p.ctype.mimetype.clone()).collect();
    assert!(types.contains(&"text/plain".to_owned()), "{types:?}");
    assert!(types.contains(&"text/html".to_owned()));
    assert!(types.contains(&"text/calendar".to_owned()));
}

#[test]
fn mailto_links_stay_under_the_limit_and_carry_every_address_once() {
    let addresses: Vec<String> = (0..200)
        .map(|i| format!("person.nummer{i}@example.org"))
        .chain(["PERSON.NUMMER1@example.org".to_owned(), String::new()])
        .collect();
    let chunks = compose::mailto_chunks(
        &addresses,
        "Einladung: 15. Forum – Städtepartnerschaften",
        2000,
    );
    assert!(chunks.links.len() > 1);
    assert!(chunks.links.iter().all(|l| l.len() <= 2000));
    assert_eq!(chunks.counts.iter().sum::<u32>(), 200);
    assert!(chunks.links[0].starts_with("mailto:?bcc=person.nummer0@example.org,"));
    assert!(
        chunks.links[0].ends_with(
            "&subject=Einladung%3A%2015.%20Forum%20%E2%80%93%20St%C3%A4dtepartnerschaften"
        )
    );
}

#[test]
fn settings_refuse_plain_text_to_a_remote_server() {
    let mut store = Store::open_in_memory().unwrap();
    let remote = MailSettings {
        smtp_host: "smtp.example.org".into(),
        security: Security::Plain,
        sender_address: "buero@example.org".into(),
        ..MailSettings::default()
    };
    let Err(crate::CoreError::Validation(errors)) = store.write(|tx| settings::save(tx, &remote))
    else {
        panic!("refused")
    };
    assert_eq!(errors[0].field, "security");
    let local = MailSettings {
        smtp_host: "127.0.0.1".into(),
        ..remote
    };
    assert_eq!(
        store
            .write(|tx| settings::save(tx, &local))
            .unwrap()
            .smtp_host,
        "127.0.0.1"
    );
}

#[test]
fn reminders_are_queued_once_the_day_before_online_events() {
    let mut store = Store::open_in_memory().unwrap();
    let now = Utc::now();
    let tomorrow = crate::time::in_berlin(now + chrono::Duration::days(1))
        .format("%Y-%m-%d 23:00")
        .to_string();
    let input = EventInput {
        starts_at: tomorrow.clone(),
        ends_at: format!("{} 23:30", &tomorrow[..10]),
        registration_deadline: None,
        capacity: None,
        format: EventFormat::Online,
        ..forum_input()
    };
    let event = store.write(|tx| events::create(tx, input)).unwrap().id;
    register(&mut store, event, anna(1));
    assert_eq!(
        store.write(|tx| outbox::queue_reminders(tx, now)).unwrap(),
        1
    );
    assert_eq!(
        store.write(|tx| outbox::queue_reminders(tx, now)).unwrap(),
        0
    );
    let kinds: Vec<MailKind> = kinds_and_states(&mut store)
        .into_iter()
        .map(|k| k.0)
        .collect();
    assert_eq!(
        kinds,
        [MailKind::Anmeldebestaetigung, MailKind::Zugangsdaten]
    );
}

#[test]
fn invitations_go_only_to_contacts_who_consented_and_are_not_registered_once() {
    let mut store = Store::open_in_memory().unwrap();
    let event = future_event(&mut store, None);
    let ids: Vec<i64> = (1..=4)
        .map(|n| {
            store
                .write(|tx| people::create_person(tx, &anna(n)))
                .unwrap()
                .id
        })
        .collect();
    store
        .write(|tx| {
            let consent = |person: i64, state: &str| {
                tx.execute(
                    "INSERT INTO consents (uid, person_id, purpose, state, given_on, source,
                         created_at, updated_at)
                     VALUES (?1, ?2, 'einladungen', ?3, '2026-01-01', 'formular', ?4, ?4)",
                    rusqlite::params![
                        crate::store::new_uid(),
                        person,
                        state,
                        crate::store::now_utc()
                    ],
                )
            };
            consent(ids[0], "erteilt")?;
            consent(ids[1], "widerrufen")?;
            consent(ids[2], "erteilt")?;
            registrations::register(tx, &RegisterInput::existing(event, ids[2]))?;
            Ok(())
        })
        .unwrap();
    let recipients = store
        .read(|c| outbox::invitation_recipients(c, event))
        .unwrap();
    assert_eq!(recipients, [(ids[0], "anna1@example.org".to_owned())]);
    assert_eq!(
        store
            .write(|tx| outbox::queue_invitations(tx, event))
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .write(|tx| outbox::queue_invitations(tx, event))
            .unwrap(),
        0,
        "once"
    );

    // Consent withdrawn before sending: the invitation is not sent.
    store
        .write(|tx| {
            tx.execute(
                "UPDATE consents SET state = 'widerrufen' WHERE person_id = ?1",
                [ids[0]],
            )?;
            Ok(())
        })
        .unwrap();
    let id = store
        .read(|c| {
            outbox::list(
                c,
                &OutboxFilter {
                    person_id: Some(ids[0]),
                    ..OutboxFilter::default()
                },
            )
        })
        .unwrap()[0]
        .id;
    let claim = store
        .write(|tx| outbox::claim(tx, id, Scope::Explicit, Utc::now()))
        .unwrap();
    assert!(
        matches!(claim, Claim::Superseded(ref r) if r.contains("Einwilligung")),
        "{claim:?}"
    );
}

#[test]
fn the_background_sender_waits_for_settings_and_a_known_password_and_never_asks() {
    use super::send::{BackgroundState, background_gate, background_status};
    let mut store = Store::open_in_memory().unwrap();
    let mut settings = MailSettings::default();
    // Nothing due: resting, whatever the settings.
    let gate = store
        .read(|c| background_gate(c, &settings, false))
        .unwrap()
        .unwrap();
    assert_eq!(gate.state, BackgroundState::Ruht);
    let event = future_event(&mut store, None);
    register(&mut store, event, anna(1));
    let gate = store
        .read(|c| background_gate(c, &settings, false))
        .unwrap()
        .unwrap();
    assert_eq!(gate.state, BackgroundState::Pausiert);
    assert!(gate.message.contains("E-Mail-Versand"), "{}", gate.message);
    assert_eq!(gate.due, 1);
    settings.smtp_host = "smtp.example.org".into();
    settings.sender_address = "buero@example.org".into();
    settings.smtp_user = "buero".into();
    let gate = store
        .read(|c| background_gate(c, &settings, false))
        .unwrap()
        .unwrap();
    assert_eq!(gate.state, BackgroundState::Pausiert);
    assert!(gate.message.contains("Passwort"), "{}", gate.message);
    assert!(
        store
            .read(|c| background_gate(c, &settings, true))
            .unwrap()
            .is_none(),
        "ready to send"
    );
    let running = background_status(
        &send::SendReport {
            sent: 2,
            ..Default::default()
        },
        true,
        3,
    );
    assert_eq!(running.state, BackgroundState::Sendet);
    assert!(running.message.contains("2 gesendet"));
    let failed = background_status(
        &send::SendReport {
            stopped: Some("Der Mailserver antwortet nicht.".into()),
            ..Default::default()
        },
        false,
        3,
    );
    assert_eq!(failed.state, BackgroundState::Pausiert);
}

#[test]
fn a_stopped_run_sends_nothing_more_and_leaves_the_messages_waiting() {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;
    let mut store = Store::open_in_memory().unwrap();
    let event = future_event(&mut store, None);
    register(&mut store, event, anna(1));
    register(&mut store, event, anna(2));
    // A server nobody listens on: were anything delivered, the run would fail, not stop.
    let mailer = send::Mailer::new(&send::SmtpAccess {
        host: "127.0.0.1".into(),
        port: 9,
        security: Security::Plain,
        user: String::new(),
        password: None,
    })
    .unwrap();
    let stop = Arc::new(AtomicBool::new(true));
    let report = send::send_due(
        &mut store,
        &mailer,
        send::SendOptions {
            scope: Scope::Automatic,
            per_minute: None,
            fallback_sender: Some("buero@example.org".into()),
            stop: Some(stop),
        },
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(report.stopped.as_deref(), Some(send::STOPPED));
    assert_eq!((report.sent, report.failed), (0, 0));
    let states: Vec<MailState> = kinds_and_states(&mut store)
        .into_iter()
        .map(|(_, s, _)| s)
        .collect();
    assert_eq!(states, [MailState::Wartet, MailState::Wartet]);
}
