//! The outbox ("Postausgang"): queued messages, their states and the office's actions on them.
//!
//! Status changes queue themselves (trigger, see the module docs); reminders and certificates
//! are queued here, each with a unique occasion, so queueing twice adds nothing. A waiting
//! message is shown with the recipient and subject it would go out with now.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::Serialize;
use ts_rs::TS;

use super::compose::{self, Attachment};
use super::render::{self, MailContext, RenderedMail};
use super::{MailKind, MailState, SendMode, settings, templates};
use crate::documents::certificates;
use crate::error::{CoreError, CoreResult};
use crate::events::EventFormat;
use crate::registrations::RegistrationStatus;
use crate::store::{new_uid, now_utc};

/// One message of the outbox as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OutboxMessage {
    /// Key.
    #[ts(type = "number")]
    pub id: i64,
    /// What the message is about.
    pub kind: MailKind,
    /// Where it is in its life.
    pub state: MailState,
    /// Recipient address (as sent, or as it would go out now; empty when the person has none).
    pub to: String,
    /// Subject (as sent, or as it would go out now).
    pub subject: String,
    /// The event.
    #[ts(type = "number | null")]
    pub event_id: Option<i64>,
    /// The event's title.
    pub event_title: String,
    /// The recipient.
    #[ts(type = "number | null")]
    pub person_id: Option<i64>,
    /// The recipient's name.
    pub person_name: String,
    /// When queued (UTC).
    pub queued_at: String,
    /// When accepted by the mail server (UTC).
    pub sent_at: Option<String>,
    /// Sending attempts so far.
    #[ts(type = "number")]
    pub attempts: i64,
    /// Why the last attempt failed or why the message was not needed.
    pub last_error: String,
    /// Earliest automatic retry (UTC); `None`: none planned.
    pub next_attempt_at: Option<String>,
}

/// Which messages a list shows.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, TS)]
#[ts(export)]
pub struct OutboxFilter {
    /// Only this state.
    pub state: Option<MailState>,
    /// Only this event.
    #[ts(type = "number | null")]
    pub event_id: Option<i64>,
    /// Only this person.
    #[ts(type = "number | null")]
    pub person_id: Option<i64>,
}

/// A stored outbox row, before rendering.
#[derive(Debug, Clone)]
struct Stored {
    id: i64,
    uid: String,
    kind: MailKind,
    state: MailState,
    event_id: Option<i64>,
    person_id: Option<i64>,
    registration_id: Option<i64>,
    queued_at: String,
    recipient: String,
    subject: String,
    body: String,
    sent_at: Option<String>,
    attempts: i64,
    last_error: String,
    next_attempt_at: Option<String>,
}

const STORED: &str = "SELECT id, uid, kind, state, event_id, person_id, registration_id, queued_at,
    recipient, subject, body, sent_at, attempts, last_error, next_attempt_at FROM mail_outbox";

fn stored(r: &Row<'_>) -> rusqlite::Result<Stored> {
    Ok(Stored {
        id: r.get(0)?,
        uid: r.get(1)?,
        kind: r.get(2)?,
        state: r.get(3)?,
        event_id: r.get(4)?,
        person_id: r.get(5)?,
        registration_id: r.get(6)?,
        queued_at: r.get(7)?,
        recipient: r.get(8)?,
        subject: r.get(9)?,
        body: r.get(10)?,
        sent_at: r.get(11)?,
        attempts: r.get(12)?,
        last_error: r.get(13)?,
        next_attempt_at: r.get(14)?,
    })
}

fn get_stored(conn: &Connection, id: i64) -> CoreResult<Stored> {
    conn.query_row(&format!("{STORED} WHERE id = ?1"), [id], stored)
        .optional()?
        .ok_or(CoreError::NotFound {
            what: "Die Nachricht",
        })
}

/// The context and template of a message; `None` when its person or event is gone.
fn context(conn: &Connection, s: &Stored) -> CoreResult<Option<MailContext>> {
    match (s.person_id, s.event_id) {
        (Some(person), Some(event)) => Ok(Some(MailContext::load(conn, person, event)?)),
        _ => Ok(None),
    }
}

/// The message as it would be sent now.
fn render_now(conn: &Connection, s: &Stored, ctx: &MailContext) -> CoreResult<RenderedMail> {
    let template = templates::effective(conn, s.kind, s.event_id)?;
    Ok(render::render(&template, ctx))
}

fn to_message(conn: &Connection, s: Stored) -> CoreResult<OutboxMessage> {
    let ctx = context(conn, &s)?;
    let frozen = matches!(s.state, MailState::Gesendet | MailState::Sendet) || ctx.is_none();
    let (to, subject) = match (&ctx, frozen) {
        (Some(ctx), false) => (ctx.person.email.clone(), render_now(conn, &s, ctx)?.subject),
        _ => (s.recipient.clone(), s.subject.clone()),
    };
    Ok(OutboxMessage {
        id: s.id,
        kind: s.kind,
        state: s.state,
        to,
        subject,
        event_id: s.event_id,
        event_title: ctx
            .as_ref()
            .map(|c| c.event.title.clone())
            .unwrap_or_default(),
        person_id: s.person_id,
        person_name: ctx
            .as_ref()
            .map(|c| c.person.display_name())
            .unwrap_or_default(),
        queued_at: s.queued_at,
        sent_at: s.sent_at,
        attempts: s.attempts,
        last_error: s.last_error,
        next_attempt_at: s.next_attempt_at,
    })
}

/// The messages matching `filter`, newest first.
pub fn list(conn: &Connection, filter: &OutboxFilter) -> CoreResult<Vec<OutboxMessage>> {
    let mut stmt = conn.prepare(&format!(
        "{STORED} WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR event_id = ?2)
           AND (?3 IS NULL OR person_id = ?3)
         ORDER BY queued_at DESC, id DESC"
    ))?;
    let rows = stmt
        .query_map(
            params![filter.state, filter.event_id, filter.person_id],
            stored,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(|s| to_message(conn, s)).collect()
}

/// A person's whole mail history, newest first.
pub fn for_person(conn: &Connection, person_id: i64) -> CoreResult<Vec<OutboxMessage>> {
    list(
        conn,
        &OutboxFilter {
            person_id: Some(person_id),
            ..OutboxFilter::default()
        },
    )
}

/// One message in full: recipient, subject, text and HTML as sent (or as they would go out
/// now), with the names of its attachments.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MessageView {
    /// The list entry.
    pub message: OutboxMessage,
    /// Plain text.
    pub text: String,
    /// The generated HTML alternative.
    pub html: String,
    /// File names of the attachments.
    pub attachments: Vec<String>,
}

/// One message in full (see [`MessageView`]).
pub fn view(conn: &Connection, id: i64) -> CoreResult<MessageView> {
    let s = get_stored(conn, id)?;
    let message = to_message(conn, s.clone())?;
    let frozen = matches!(s.state, MailState::Gesendet | MailState::Sendet);
    let (text, attachments) = match context(conn, &s)? {
        Some(ctx) if !frozen => (
            render_now(conn, &s, &ctx)?.text,
            attachment_names(conn, &s)?,
        ),
        _ => (s.body.clone(), attachment_names(conn, &s)?),
    };
    Ok(MessageView {
        message,
        html: render::to_html(&text),
        text,
        attachments,
    })
}

/// The message as it would go out now (or as it went out), e.g. for an `.eml` draft.
pub fn outgoing(conn: &Connection, id: i64) -> CoreResult<compose::Outgoing> {
    let s = get_stored(conn, id)?;
    let ctx = context(conn, &s)?.ok_or(CoreError::NotFound {
        what: "Die Person oder Veranstaltung der Nachricht",
    })?;
    let (subject, text) = if matches!(s.state, MailState::Gesendet | MailState::Sendet) {
        (s.subject.clone(), s.body.clone())
    } else {
        let rendered = render_now(conn, &s, &ctx)?;
        (rendered.subject, rendered.text)
    };
    let address = ctx.person.email.trim().to_owned();
    if address.is_empty() {
        return Err(CoreError::Conflict(format!(
            "Für {} ist keine E-Mail-Adresse eingetragen.",
            ctx.person.display_name()
        )));
    }
    Ok(compose::Outgoing {
        message_uid: s.uid.clone(),
        to_name: format!("{} {}", ctx.person.first_name, ctx.person.last_name),
        to_address: address,
        html: render::to_html(&text),
        subject,
        text,
        attachments: attachments(conn, s.kind, s.registration_id, &ctx)?,
    })
}

/// Takes a message saved as an Outlook draft out of the SMTP queue (see
/// [`compose::export_eml`]); a sent message stays as it is.
pub fn mark_drafted(tx: &Transaction<'_>, id: i64) -> CoreResult<()> {
    tx.execute(
        "UPDATE mail_outbox SET state = 'ueberholt', next_attempt_at = NULL,
             last_error = 'Als Entwurf für Outlook gespeichert.', updated_at = ?2
         WHERE id = ?1 AND state IN ('freigabe', 'wartet', 'fehlgeschlagen')",
        params![id, now_utc()],
    )?;
    Ok(())
}

fn attachment_names(conn: &Connection, s: &Stored) -> CoreResult<Vec<String>> {
    let mut names = Vec::new();
    if s.kind.has_calendar() {
        names.push(super::calendar::FILE_NAME.to_owned());
    }
    if s.kind == MailKind::Teilnahmebescheinigung {
        names.push(match s.registration_id {
            Some(id) => certificates::certificate_file_name(conn, id)?,
            None => "Teilnahmebescheinigung.pdf".to_owned(),
        });
    }
    Ok(names)
}

/// The attachments of a message: the event as `.ics` for confirmations, the person's
/// certificate PDF (rendered now by [`certificates::certificate_pdf`]) for a
/// Teilnahmebescheinigung — such a message never goes out without it.
pub fn attachments(
    conn: &Connection,
    kind: MailKind,
    registration_id: Option<i64>,
    ctx: &MailContext,
) -> CoreResult<Vec<Attachment>> {
    let mut list = Vec::new();
    if kind.has_calendar() {
        list.push(Attachment {
            file_name: super::calendar::FILE_NAME.to_owned(),
            content_type: "text/calendar; charset=utf-8; method=PUBLISH".to_owned(),
            data: super::calendar::ics(&ctx.event, &ctx.event.organiser)?.into_bytes(),
        });
    }
    if kind == MailKind::Teilnahmebescheinigung {
        let id = registration_id.ok_or_else(|| {
            CoreError::Conflict(
                "Die Anmeldung zur Teilnahmebescheinigung gibt es nicht mehr.".into(),
            )
        })?;
        list.push(Attachment {
            file_name: certificates::certificate_file_name(conn, id)?,
            content_type: "application/pdf".to_owned(),
            data: certificates::certificate_pdf(conn, id)?,
        });
    }
    Ok(list)
}

fn set_state(
    tx: &Transaction<'_>,
    ids: &[i64],
    from: &[MailState],
    to: MailState,
) -> CoreResult<usize> {
    let mut changed = 0;
    for &id in ids {
        let s = get_stored(tx, id)?;
        if !from.contains(&s.state) {
            continue;
        }
        changed += tx.execute(
            "UPDATE mail_outbox SET state = ?2, next_attempt_at = NULL, updated_at = ?3 WHERE id = ?1",
            params![id, to, now_utc()],
        )?;
    }
    Ok(changed)
}

/// Releases messages that wait for release ("Freigeben"); returns how many.
pub fn approve(tx: &Transaction<'_>, ids: &[i64]) -> CoreResult<usize> {
    set_state(tx, ids, &[MailState::Freigabe], MailState::Wartet)
}

/// Discards messages that were not sent ("Verwerfen"); returns how many.
pub fn discard(tx: &Transaction<'_>, ids: &[i64]) -> CoreResult<usize> {
    set_state(
        tx,
        ids,
        &[
            MailState::Freigabe,
            MailState::Wartet,
            MailState::Fehlgeschlagen,
            MailState::Sendet,
        ],
        MailState::Verworfen,
    )
}

/// Queues failed, interrupted, discarded or superseded messages again ("Erneut senden").
pub fn retry(tx: &Transaction<'_>, ids: &[i64]) -> CoreResult<usize> {
    set_state(
        tx,
        ids,
        &[
            MailState::Fehlgeschlagen,
            MailState::Sendet,
            MailState::Verworfen,
            MailState::Ueberholt,
        ],
        MailState::Wartet,
    )
}

/// Queues one message of `kind` for a registration with a unique `occasion`; nothing when the
/// occasion was queued before or the event sends no mail. Returns whether one was queued.
fn queue_for_registration(
    tx: &Transaction<'_>,
    registration_id: i64,
    kind: MailKind,
    occasion: &str,
) -> CoreResult<bool> {
    let (event_id, person_id): (i64, i64) = tx.query_row(
        "SELECT event_id, person_id FROM registrations WHERE id = ?1",
        [registration_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let state = match settings::event_mode(tx, event_id)? {
        SendMode::Aus => return Ok(false),
        SendMode::Freigabe => MailState::Freigabe,
        SendMode::Automatisch => MailState::Wartet,
    };
    let now = now_utc();
    let added = tx.execute(
        "INSERT OR IGNORE INTO mail_outbox (uid, occasion, kind, event_id, person_id,
             registration_id, state, queued_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?8)",
        params![
            new_uid(),
            occasion,
            kind,
            event_id,
            person_id,
            registration_id,
            state,
            now
        ],
    )?;
    Ok(added > 0)
}

/// Queues the access link and reminder ("Zugangsdaten/Erinnerung") for everyone holding a
/// place at online and hybrid events that start before the end of tomorrow (Berlin) and have
/// not started yet — once per registration. Returns how many were queued.
pub fn queue_reminders(tx: &Transaction<'_>, now: DateTime<Utc>) -> CoreResult<usize> {
    let tomorrow = crate::time::in_berlin(now).date_naive() + Duration::days(1);
    let mut stmt = tx.prepare(&format!(
        "SELECT r.id, r.uid, e.starts_at, e.format FROM registrations r
         JOIN events e ON e.id = r.event_id
         WHERE e.starts_at > ?1 AND e.starts_at < ?2 AND e.status <> 'abgesagt'
           AND e.online_link <> '' AND r.status IN {}",
        crate::registrations::counted_sql()
    ))?;
    let horizon = now + Duration::days(3);
    let candidates = stmt
        .query_map(
            params![
                crate::time::to_storage(now),
                crate::time::to_storage(horizon)
            ],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, EventFormat>(3)?,
                ))
            },
        )?
        .collect::<Result<Vec<_>, _>>()?;
    let mut queued = 0;
    for (registration_id, uid, starts_at, format) in candidates {
        let start_day = crate::time::in_berlin(crate::time::from_storage(&starts_at)?).date_naive();
        if format == EventFormat::Praesenz || start_day > tomorrow {
            continue;
        }
        if queue_for_registration(
            tx,
            registration_id,
            MailKind::Zugangsdaten,
            &format!("zugangsdaten:{uid}"),
        )? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Queues a Teilnahmebescheinigung (with the person's PDF attached at sending time) for
/// everyone holding a place and marked present at the event — once per registration; nothing
/// for anonymised registrations or when the event's e-mails are off. Returns how many were
/// queued.
pub fn queue_certificates(tx: &Transaction<'_>, event_id: i64) -> CoreResult<usize> {
    crate::events::get(tx, event_id)?;
    let present = tx
        .prepare(&format!(
            "SELECT DISTINCT r.id, r.uid FROM registrations r JOIN attendance a ON a.registration_id = r.id
             WHERE r.event_id = ?1 AND a.state = 'anwesend' AND r.person_id IS NOT NULL
               AND r.status IN {}",
            crate::registrations::counted_sql()
        ))?
        .query_map([event_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut queued = 0;
    for (registration_id, uid) in present {
        if queue_for_registration(
            tx,
            registration_id,
            MailKind::Teilnahmebescheinigung,
            &format!("teilnahmebescheinigung:{uid}"),
        )? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// The contacts an invitation to an event goes to: everyone who consented to invitations
/// ("Einladungen/Newsletter", not withdrawn), has an e-mail address and is not registered for
/// the event yet; sorted by name. Returns (person key, e-mail).
pub fn invitation_recipients(conn: &Connection, event_id: i64) -> CoreResult<Vec<(i64, String)>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.email FROM persons p
         JOIN consents c ON c.person_id = p.id AND c.purpose = 'einladungen' AND c.state = 'erteilt'
         WHERE p.email <> ''
           AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.person_id = p.id AND r.event_id = ?1)
         ORDER BY p.last_name COLLATE NOCASE, p.first_name COLLATE NOCASE, p.id",
    )?;
    let rows = stmt
        .query_map([event_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Queues the Einladung to an event for every [`invitation_recipients`] — once per person and
/// event (occasion `einladung:<event uid>:<person uid>`), as the event's mode says. Returns
/// how many were queued.
pub fn queue_invitations(tx: &Transaction<'_>, event_id: i64) -> CoreResult<usize> {
    let event = crate::events::get(tx, event_id)?;
    let state = match settings::event_mode(tx, event_id)? {
        SendMode::Aus => {
            return Err(CoreError::Conflict(
                "Für diese Veranstaltung ist der E-Mail-Versand ausgeschaltet.".into(),
            ));
        }
        SendMode::Freigabe => MailState::Freigabe,
        SendMode::Automatisch => MailState::Wartet,
    };
    let now = now_utc();
    let mut queued = 0;
    for (person_id, _) in invitation_recipients(tx, event_id)? {
        let person_uid: String =
            tx.query_row("SELECT uid FROM persons WHERE id = ?1", [person_id], |r| {
                r.get(0)
            })?;
        queued += tx.execute(
            "INSERT OR IGNORE INTO mail_outbox (uid, occasion, kind, event_id, person_id, state,
                 queued_at, created_at, updated_at)
             VALUES (?1, ?2, 'einladung', ?3, ?4, ?5, ?6, ?6, ?6)",
            params![
                new_uid(),
                format!("einladung:{}:{person_uid}", event.uid),
                event_id,
                person_id,
                state,
                now
            ],
        )?;
    }
    Ok(queued)
}

/// Why a due invitation is no longer needed: consent withdrawn, registered meanwhile, or the
/// event is over or cancelled.
fn invitation_superseded(
    conn: &Connection,
    s: &Stored,
    ctx: &MailContext,
) -> CoreResult<Option<String>> {
    if ctx.event.is_past || ctx.event.status == crate::events::EventStatus::Abgesagt {
        return Ok(Some("Die Veranstaltung ist vorbei oder abgesagt.".into()));
    }
    let (consented, registered): (bool, bool) = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM consents WHERE person_id = ?1 AND purpose = 'einladungen'
                          AND state = 'erteilt'),
                EXISTS (SELECT 1 FROM registrations WHERE person_id = ?1 AND event_id = ?2)",
        params![s.person_id, s.event_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if !consented {
        return Ok(Some("Keine Einwilligung in Einladungen (mehr).".into()));
    }
    if registered {
        return Ok(Some("Die Person ist bereits angemeldet.".into()));
    }
    Ok(None)
}

/// Why a due message is no longer needed, if it is not (it is then marked `ueberholt`).
fn superseded(conn: &Connection, s: &Stored, ctx: &MailContext) -> CoreResult<Option<String>> {
    if s.kind == MailKind::Einladung {
        return invitation_superseded(conn, s, ctx);
    }
    if s.kind == MailKind::Teilnahmebescheinigung {
        return Ok(None);
    }
    if ctx.event.is_past {
        return Ok(Some("Die Veranstaltung ist vorbei.".into()));
    }
    let Some(registration_id) = s.registration_id else {
        return Ok(Some("Die Anmeldung gibt es nicht mehr.".into()));
    };
    let (status, present): (RegistrationStatus, bool) = conn.query_row(
        "SELECT status, EXISTS (SELECT 1 FROM attendance a WHERE a.registration_id = r.id
                                  AND a.state = 'anwesend')
         FROM registrations r WHERE r.id = ?1",
        [registration_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if present {
        return Ok(Some("Die Person ist bereits vor Ort eingecheckt.".into()));
    }
    match s.kind.status() {
        Some(wanted) if wanted != status => {
            return Ok(Some(format!(
                "Der Status ist inzwischen „{}“.",
                status.label()
            )));
        }
        None if !status.is_counted() => {
            return Ok(Some(format!(
                "Der Status ist inzwischen „{}“.",
                status.label()
            )));
        }
        _ => {}
    }
    if s.kind.status().is_some() {
        // Undoing an admission at the door flips the status back: the same news twice in a row
        // is not sent again.
        let last_sent: Option<MailKind> = conn
            .query_row(
                "SELECT kind FROM mail_outbox WHERE registration_id = ?1 AND state = 'gesendet'
                   AND kind IN ('anmeldebestaetigung', 'warteliste', 'nachgerueckt', 'stornierung')
                 ORDER BY sent_at DESC, id DESC LIMIT 1",
                [registration_id],
                |r| r.get(0),
            )
            .optional()?;
        if last_sent == Some(s.kind) {
            return Ok(Some("Diese Nachricht wurde bereits gesendet.".into()));
        }
    }
    Ok(None)
}

/// Which messages a sending run takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The office asked to send: every waiting and every failed message.
    Explicit,
    /// The app's background sending: waiting messages and failed ones whose retry time came.
    Automatic,
}

/// The messages a run takes, oldest first.
pub fn due(conn: &Connection, scope: Scope, now: DateTime<Utc>) -> CoreResult<Vec<i64>> {
    let sql = match scope {
        Scope::Explicit => {
            "SELECT id FROM mail_outbox WHERE state IN ('wartet', 'fehlgeschlagen')
             ORDER BY queued_at, id"
        }
        Scope::Automatic => {
            "SELECT id FROM mail_outbox WHERE state = 'wartet'
                OR (state = 'fehlgeschlagen' AND next_attempt_at IS NOT NULL AND next_attempt_at <= ?1)
             ORDER BY queued_at, id"
        }
    };
    let mut stmt = conn.prepare(sql)?;
    let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let ids = if scope == Scope::Automatic {
        stmt.query_map([stamp], |r| r.get(0))?
            .collect::<Result<Vec<i64>, _>>()?
    } else {
        stmt.query_map([], |r| r.get(0))?
            .collect::<Result<Vec<i64>, _>>()?
    };
    Ok(ids)
}

/// A message claimed for sending: frozen in the row (`sendet`) and ready for the server.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// Key.
    pub id: i64,
    /// The message to hand to the server.
    pub outgoing: compose::Outgoing,
}

/// What claiming a due message found.
#[derive(Debug, Clone)]
pub enum Claim {
    /// Ready to send.
    Send(Box<Claimed>),
    /// Not needed any more (marked `ueberholt`), with the reason.
    Superseded(String),
    /// Cannot be sent as it is (marked `fehlgeschlagen`, no automatic retry), with the reason.
    Unsendable(String),
    /// Another run took it or it was changed meanwhile.
    Gone,
}

/// Claims message `id` for sending (state `sendet`, recipient and text frozen) — or marks it
/// superseded or unsendable. Commit before handing the message to the server.
pub fn claim(tx: &Transaction<'_>, id: i64, scope: Scope, now: DateTime<Utc>) -> CoreResult<Claim> {
    let s = get_stored(tx, id)?;
    let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let claimable = match (scope, s.state) {
        (_, MailState::Wartet) | (Scope::Explicit, MailState::Fehlgeschlagen) => true,
        (Scope::Automatic, MailState::Fehlgeschlagen) => s
            .next_attempt_at
            .as_deref()
            .is_some_and(|t| t <= stamp.as_str()),
        _ => false,
    };
    if !claimable {
        return Ok(Claim::Gone);
    }
    let Some(ctx) = context(tx, &s)? else {
        mark(
            tx,
            id,
            MailState::Ueberholt,
            "Person oder Veranstaltung gibt es nicht mehr.",
            None,
        )?;
        return Ok(Claim::Superseded(
            "Person oder Veranstaltung gibt es nicht mehr.".into(),
        ));
    };
    if let Some(reason) = superseded(tx, &s, &ctx)? {
        mark(tx, id, MailState::Ueberholt, &reason, None)?;
        return Ok(Claim::Superseded(reason));
    }
    let address = ctx.person.email.trim().to_owned();
    if address.is_empty() {
        let reason = format!(
            "Für {} ist keine E-Mail-Adresse eingetragen.",
            ctx.person.display_name()
        );
        mark(tx, id, MailState::Fehlgeschlagen, &reason, None)?;
        return Ok(Claim::Unsendable(reason));
    }
    let rendered = render_now(tx, &s, &ctx)?;
    let attachments = match attachments(tx, s.kind, s.registration_id, &ctx) {
        Ok(list) => list,
        Err(e) => {
            mark(tx, id, MailState::Fehlgeschlagen, &e.to_string(), None)?;
            return Ok(Claim::Unsendable(e.to_string()));
        }
    };
    tx.execute(
        "UPDATE mail_outbox SET state = 'sendet', recipient = ?2, subject = ?3, body = ?4,
             attempts = attempts + 1, next_attempt_at = NULL, updated_at = ?5 WHERE id = ?1",
        params![id, address, rendered.subject, rendered.text, now_utc()],
    )?;
    Ok(Claim::Send(Box::new(Claimed {
        id,
        outgoing: compose::Outgoing {
            message_uid: s.uid,
            to_name: format!("{} {}", ctx.person.first_name, ctx.person.last_name),
            to_address: address,
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
            attachments,
        },
    })))
}

fn mark(
    tx: &Transaction<'_>,
    id: i64,
    state: MailState,
    reason: &str,
    next_attempt_at: Option<String>,
) -> CoreResult<()> {
    tx.execute(
        "UPDATE mail_outbox SET state = ?2, last_error = ?3, next_attempt_at = ?4, updated_at = ?5
         WHERE id = ?1",
        params![id, state, reason, next_attempt_at, now_utc()],
    )?;
    Ok(())
}

/// Records that the server accepted message `id`.
pub fn record_sent(tx: &Transaction<'_>, id: i64, message_id: &str) -> CoreResult<()> {
    let now = now_utc();
    tx.execute(
        "UPDATE mail_outbox SET state = 'gesendet', sent_at = ?2, message_id = ?3, last_error = '',
             next_attempt_at = NULL, updated_at = ?2 WHERE id = ?1 AND state = 'sendet'",
        params![id, now, message_id],
    )?;
    Ok(())
}

/// Waiting time before the automatic retry after the `attempts`-th failed attempt; `None` after
/// the sixth (then only the office retries).
pub fn backoff(attempts: i64) -> Option<Duration> {
    const MINUTES: [i64; 6] = [1, 2, 5, 15, 30, 60];
    usize::try_from(attempts - 1)
        .ok()
        .and_then(|i| MINUTES.get(i))
        .map(|&m| Duration::minutes(m))
}

/// Records that message `id` was not accepted; a temporary failure gets an automatic retry
/// time (see [`backoff`]), a permanent one waits for the office.
pub fn record_failure(
    tx: &Transaction<'_>,
    id: i64,
    reason: &str,
    temporary: bool,
    now: DateTime<Utc>,
) -> CoreResult<()> {
    let attempts = get_stored(tx, id)?.attempts;
    let next = if temporary {
        backoff(attempts)
            .map(|wait| (now + wait).to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
    } else {
        None
    };
    mark(tx, id, MailState::Fehlgeschlagen, reason, next)
}

/// How many messages the mail server accepted since `since` (for the rate limit), and when
/// the oldest of them was sent.
pub fn sent_since(conn: &Connection, since: DateTime<Utc>) -> CoreResult<(u32, Option<String>)> {
    let stamp = since.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    Ok(conn.query_row(
        "SELECT count(*), min(sent_at) FROM mail_outbox WHERE sent_at > ?1",
        [stamp],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}
