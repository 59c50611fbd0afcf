//! The office's mail server and sender ("Einstellungen → E-Mail-Versand") and each event's
//! sending mode. The password is not part of the settings: it lives in the operating system's
//! credential store under [`credential_entry`].

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Security, SendMode};
use crate::error::{CoreResult, Validator, is_plausible_email};
use crate::input::{Cleaner, MAX_TEXT_CHARS};
use crate::store::{new_uid, now_utc};

/// The service name of the SMTP password in the operating system's credential store.
pub const CREDENTIAL_SERVICE: &str = "Tagungsbüro";

/// The settings of the office's mail server and sender.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MailSettings {
    /// SMTP server, e.g. "smtp.example.org"; empty: not set up.
    pub smtp_host: String,
    /// SMTP port (587 for STARTTLS, 465 for TLS).
    pub smtp_port: u16,
    /// Connection security.
    pub security: Security,
    /// User name at the server; empty: no login.
    pub smtp_user: String,
    /// Sender name, e.g. "Netzwerkstelle Städtepartnerschaften NRW".
    pub sender_name: String,
    /// Sender address.
    pub sender_address: String,
    /// Reply-To address; empty: replies go to the sender.
    pub reply_to: String,
    /// "Kontakt der Netzwerkstelle": the signature of every message.
    pub office_contact: String,
    /// Messages per minute the server accepts.
    pub per_minute: u32,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            smtp_host: String::new(),
            smtp_port: 587,
            security: Security::Starttls,
            smtp_user: String::new(),
            sender_name: String::new(),
            sender_address: String::new(),
            reply_to: String::new(),
            office_contact: String::new(),
            per_minute: 30,
        }
    }
}

impl MailSettings {
    /// Whether a server and a sender are set, so messages can be sent.
    pub fn is_complete(&self) -> bool {
        !self.smtp_host.is_empty() && !self.sender_address.is_empty()
    }
}

/// The credential-store entry of the password: "smtp:<user>@<host>".
pub fn credential_entry(user: &str, host: &str) -> String {
    format!("smtp:{user}@{host}")
}

/// Whether `host` is this computer (the only place an unencrypted connection is allowed).
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The stored settings (defaults when none were saved).
pub fn get(conn: &Connection) -> CoreResult<MailSettings> {
    Ok(conn
        .query_row(
            "SELECT smtp_host, smtp_port, security, smtp_user, sender_name, sender_address,
                    reply_to, office_contact, per_minute FROM mail_settings WHERE id = 1",
            [],
            |r| {
                Ok(MailSettings {
                    smtp_host: r.get(0)?,
                    smtp_port: r.get(1)?,
                    security: r.get(2)?,
                    smtp_user: r.get(3)?,
                    sender_name: r.get(4)?,
                    sender_address: r.get(5)?,
                    reply_to: r.get(6)?,
                    office_contact: r.get(7)?,
                    per_minute: r.get(8)?,
                })
            },
        )
        .optional()?
        .unwrap_or_default())
}

/// Checks and cleans settings (German field errors).
pub fn validate(input: &MailSettings) -> CoreResult<MailSettings> {
    let mut cleaner = Cleaner::default();
    let clean = MailSettings {
        smtp_host: cleaner.line("smtp_host", &input.smtp_host),
        smtp_port: input.smtp_port,
        security: input.security,
        smtp_user: cleaner.line("smtp_user", &input.smtp_user),
        sender_name: cleaner.line("sender_name", &input.sender_name),
        sender_address: cleaner.line("sender_address", &input.sender_address),
        reply_to: cleaner.line("reply_to", &input.reply_to),
        office_contact: cleaner.text("office_contact", &input.office_contact, MAX_TEXT_CHARS),
        per_minute: input.per_minute,
    };
    cleaner.finish()?;
    let mut v = Validator::default();
    v.check(
        clean.smtp_host.contains(char::is_whitespace) || clean.smtp_host.contains('/'),
        "smtp_host",
        "Bitte nur den Namen des Mailservers eingeben, z. B. smtp.example.org.",
    );
    v.check(
        clean.smtp_port == 0,
        "smtp_port",
        "Bitte einen Port zwischen 1 und 65535 eingeben (meist 587 oder 465).",
    );
    v.check(
        clean.security == Security::Plain
            && !clean.smtp_host.is_empty()
            && !is_loopback(&clean.smtp_host),
        "security",
        "Ohne Verschlüsselung wird nur an einen Testserver auf diesem Rechner gesendet \
         (localhost). Bitte STARTTLS oder TLS wählen.",
    );
    v.check(
        !clean.sender_address.is_empty() && !is_plausible_email(&clean.sender_address),
        "sender_address",
        "Bitte eine gültige Absenderadresse eingeben.",
    );
    v.check(
        !clean.smtp_host.is_empty() && clean.sender_address.is_empty(),
        "sender_address",
        "Bitte die Absenderadresse eingeben.",
    );
    v.check(
        !clean.reply_to.is_empty() && !is_plausible_email(&clean.reply_to),
        "reply_to",
        "Bitte eine gültige Antwortadresse eingeben oder das Feld leer lassen.",
    );
    v.check(
        !(1..=600).contains(&clean.per_minute),
        "per_minute",
        "Bitte eine Zahl zwischen 1 und 600 eingeben.",
    );
    v.finish()?;
    Ok(clean)
}

/// Saves the settings (one row).
pub fn save(tx: &Transaction<'_>, input: &MailSettings) -> CoreResult<MailSettings> {
    let s = validate(input)?;
    let now = now_utc();
    tx.execute(
        "INSERT INTO mail_settings (id, uid, smtp_host, smtp_port, security, smtp_user,
             sender_name, sender_address, reply_to, office_contact, per_minute, created_at,
             updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
         ON CONFLICT (id) DO UPDATE SET smtp_host = ?2, smtp_port = ?3, security = ?4,
             smtp_user = ?5, sender_name = ?6, sender_address = ?7, reply_to = ?8,
             office_contact = ?9, per_minute = ?10, updated_at = ?11",
        params![
            new_uid(),
            s.smtp_host,
            s.smtp_port,
            s.security,
            s.smtp_user,
            s.sender_name,
            s.sender_address,
            s.reply_to,
            s.office_contact,
            s.per_minute,
            now
        ],
    )?;
    get(tx)
}

/// How an event's messages go out (`automatisch` when never set).
pub fn event_mode(conn: &Connection, event_id: i64) -> CoreResult<SendMode> {
    Ok(conn
        .query_row(
            "SELECT mode FROM mail_event_settings WHERE event_id = ?1",
            [event_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(SendMode::Automatisch))
}

/// Sets how an event's messages go out. Switching to "automatisch" releases the event's
/// messages that waited for release.
pub fn set_event_mode(tx: &Transaction<'_>, event_id: i64, mode: SendMode) -> CoreResult<SendMode> {
    crate::events::get(tx, event_id)?;
    let now = now_utc();
    tx.execute(
        "INSERT INTO mail_event_settings (uid, event_id, mode, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4)
         ON CONFLICT (event_id) DO UPDATE SET mode = ?3, updated_at = ?4",
        params![new_uid(), event_id, mode, now],
    )?;
    if mode == SendMode::Automatisch {
        tx.execute(
            "UPDATE mail_outbox SET state = 'wartet', updated_at = ?2
             WHERE event_id = ?1 AND state = 'freigabe'",
            params![event_id, now],
        )?;
    }
    event_mode(tx, event_id)
}
