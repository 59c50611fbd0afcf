//! Message templates: the defaults from `seeds/mail/`, changed office-wide or for one event.
//!
//! The effective template of a kind for an event is the event's own, else the office's, else
//! the default. A template is plain text with placeholders in braces (see [`PLACEHOLDERS`]);
//! saving refuses unknown placeholders, so a typo is caught while editing, not in a sent mail.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{MailKind, SalutationStyle};
use crate::error::CoreResult;
use crate::input::{Cleaner, MAX_TEXT_CHARS};
use crate::store::{new_uid, now_utc};

/// The placeholders a template may use, with what they stand for (shown in the editor).
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "Briefanrede",
        "Sehr geehrte Frau Dr. Müller / Liebe Anna / Guten Tag Anna Müller",
    ),
    ("Anrede", "Frau, Herr oder leer"),
    ("Titel", "z. B. Dr."),
    ("Vorname", "Vorname"),
    ("Nachname", "Nachname"),
    ("Organisation", "Organisation der Person"),
    ("Veranstaltung", "Titel der Veranstaltung"),
    ("Datum", "z. B. Donnerstag, 18. Februar 2027"),
    ("Uhrzeit", "z. B. 11:00–15:30 Uhr"),
    ("Ort", "Veranstaltungsort (online: „online“)"),
    ("Online-Link", "Zugangslink der Online-Veranstaltung"),
    ("Wartelistenplatz", "Platz auf der Warteliste"),
    ("Anmeldeschluss", "z. B. 04.02.2027"),
    ("Kontakt", "Kontakt der Netzwerkstelle (Einstellungen)"),
];

/// Where the effective template comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TemplateSource {
    /// The default from `seeds/mail/`.
    Standard,
    /// Changed for the whole office.
    Buero,
    /// Changed for this event.
    Veranstaltung,
}

/// A template as the editor shows and saves it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MailTemplate {
    /// The kind of message.
    pub kind: MailKind,
    /// The event it belongs to; `None` for the office-wide template.
    #[ts(type = "number | null")]
    pub event_id: Option<i64>,
    /// How the recipient is greeted.
    pub salutation_style: SalutationStyle,
    /// Subject line with placeholders.
    pub subject: String,
    /// Plain text with placeholders.
    pub body: String,
    /// Where this template comes from (ignored when saving).
    pub source: TemplateSource,
}

/// The default template of a kind, from `seeds/mail/<kind>.txt` (`Betreff: …`, blank line, text).
pub fn default_template(kind: MailKind) -> MailTemplate {
    let file = match kind {
        MailKind::Anmeldebestaetigung => {
            include_str!("../../../../seeds/mail/anmeldebestaetigung.txt")
        }
        MailKind::Warteliste => include_str!("../../../../seeds/mail/warteliste.txt"),
        MailKind::Nachgerueckt => include_str!("../../../../seeds/mail/nachgerueckt.txt"),
        MailKind::Stornierung => include_str!("../../../../seeds/mail/stornierung.txt"),
        MailKind::Zugangsdaten => include_str!("../../../../seeds/mail/zugangsdaten.txt"),
        MailKind::Teilnahmebescheinigung => {
            include_str!("../../../../seeds/mail/teilnahmebescheinigung.txt")
        }
        MailKind::Einladung => include_str!("../../../../seeds/mail/einladung.txt"),
    };
    let (first, body) = file.split_once('\n').unwrap_or((file, ""));
    MailTemplate {
        kind,
        event_id: None,
        salutation_style: SalutationStyle::Foermlich,
        subject: first.trim_start_matches("Betreff:").trim().to_owned(),
        body: body.trim().to_owned(),
        source: TemplateSource::Standard,
    }
}

/// The template used for `kind` at `event_id` (the event's, the office's or the default).
pub fn effective(
    conn: &Connection,
    kind: MailKind,
    event_id: Option<i64>,
) -> CoreResult<MailTemplate> {
    let stored = conn
        .query_row(
            "SELECT event_id, salutation_style, subject, body FROM mail_templates
             WHERE kind = ?1 AND (event_id IS NULL OR event_id = ?2)
             ORDER BY event_id IS NULL LIMIT 1",
            params![kind, event_id],
            |r| {
                let scope: Option<i64> = r.get(0)?;
                Ok(MailTemplate {
                    kind,
                    event_id: scope,
                    salutation_style: r.get(1)?,
                    subject: r.get(2)?,
                    body: r.get(3)?,
                    source: if scope.is_some() {
                        TemplateSource::Veranstaltung
                    } else {
                        TemplateSource::Buero
                    },
                })
            },
        )
        .optional()?;
    Ok(stored.unwrap_or_else(|| default_template(kind)))
}

/// Every kind's effective template at `event_id` (`None`: the office's), in kind order.
pub fn list(conn: &Connection, event_id: Option<i64>) -> CoreResult<Vec<MailTemplate>> {
    MailKind::ALL
        .iter()
        .map(|&kind| effective(conn, kind, event_id))
        .collect()
}

/// Checks a template: subject one line, text not empty, only known placeholders, balanced braces.
pub fn validate(template: &MailTemplate) -> CoreResult<MailTemplate> {
    let mut cleaner = Cleaner::default();
    let subject = cleaner.line("subject", &template.subject);
    let body = cleaner.text("body", &template.body, MAX_TEXT_CHARS);
    cleaner.finish()?;
    let mut errors = crate::error::Validator::default();
    errors.check(
        subject.is_empty(),
        "subject",
        "Bitte einen Betreff eingeben.",
    );
    errors.check(body.is_empty(), "body", "Bitte einen Text eingeben.");
    for (field, text) in [("subject", &subject), ("body", &body)] {
        if let Err(message) = check_placeholders(text) {
            errors.add(field, message);
        }
    }
    errors.finish()?;
    Ok(MailTemplate {
        subject,
        body,
        ..template.clone()
    })
}

/// `Err` with a German message naming the first unknown placeholder or stray brace.
fn check_placeholders(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("Eine schließende Klammer „}“ ohne öffnende.".into());
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err("Eine geöffnete Klammer „{“ wird nicht geschlossen.".into());
        };
        let name = &after[..close];
        if !PLACEHOLDERS.iter().any(|(known, _)| *known == name) {
            return Err(format!(
                "Unbekannter Platzhalter {{{name}}}. Möglich sind: {}.",
                PLACEHOLDERS
                    .iter()
                    .map(|(n, _)| format!("{{{n}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

/// Saves a template for the office (`event_id` `None`) or for one event.
pub fn save(tx: &Transaction<'_>, template: &MailTemplate) -> CoreResult<MailTemplate> {
    let clean = validate(template)?;
    if let Some(event_id) = clean.event_id {
        crate::events::get(tx, event_id)?;
    }
    let now = now_utc();
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM mail_templates WHERE kind = ?1 AND ifnull(event_id, 0) = ifnull(?2, 0)",
            params![clean.kind, clean.event_id],
            |r| r.get(0),
        )
        .optional()?;
    match existing {
        Some(id) => tx.execute(
            "UPDATE mail_templates SET salutation_style = ?2, subject = ?3, body = ?4,
                 updated_at = ?5 WHERE id = ?1",
            params![id, clean.salutation_style, clean.subject, clean.body, now],
        )?,
        None => tx.execute(
            "INSERT INTO mail_templates (uid, kind, event_id, salutation_style, subject, body,
                 created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![
                new_uid(),
                clean.kind,
                clean.event_id,
                clean.salutation_style,
                clean.subject,
                clean.body,
                now
            ],
        )?,
    };
    effective(tx, clean.kind, clean.event_id)
}

/// Removes the office's or the event's own template, so the next broader one applies again.
pub fn reset(
    tx: &Transaction<'_>,
    kind: MailKind,
    event_id: Option<i64>,
) -> CoreResult<MailTemplate> {
    tx.execute(
        "DELETE FROM mail_templates WHERE kind = ?1 AND ifnull(event_id, 0) = ifnull(?2, 0)",
        params![kind, event_id],
    )?;
    effective(tx, kind, event_id)
}
