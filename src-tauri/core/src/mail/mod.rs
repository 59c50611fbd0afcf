//! E-mail to participants: templates, the outbox and sending through the office's mail server.
//!
//! Invariants:
//! - **Queueing cannot be forgotten**: every status change of a registration is logged in
//!   `registration_status_log`, and a trigger of the schema (migration 0010) turns each log row
//!   into an outbox row in the same transaction. The log row's uid is the message's *occasion*,
//!   unique in `mail_outbox`, so one change can never queue two messages. `registrations` stays
//!   the only writer of a status and knows nothing of mail.
//! - **Rendered at sending time**: a waiting message is shown and sent with the current address,
//!   data and template; when it goes out, recipient, subject and text are frozen in the row
//!   (what was sent stays visible on the person). A message whose occasion has passed — the
//!   status moved on, the person is already in the room, the same news was already sent — is
//!   marked `ueberholt` instead of being sent ([`outbox`]).
//! - **Never sent twice, never lost**: a message is claimed (`sendet`) in a committed
//!   transaction before it goes to the server and marked `gesendet` or `fehlgeschlagen` after;
//!   a failure keeps it with the reason and a retry time (backoff), a run that was cut off
//!   leaves it `sendet` for the office to decide, never to be resent on its own.
//! - **Templates are plain text**: placeholders in braces, never markup from user text. The
//!   HTML alternative is generated from the text with every character escaped ([`render`]).
//! - **No secret in the database or logs**: the SMTP password is passed in by the caller (the
//!   app's credential store or a prompt, the CLI's `--password-env`) and only kept in memory.

pub mod calendar;
pub mod compose;
pub mod outbox;
pub mod render;
pub mod send;
pub mod settings;
pub mod templates;

use crate::store::text_enum;

text_enum! {
    /// What a message is about; one template per kind.
    pub enum MailKind {
        /// Confirmation of a place (status `angemeldet`), with the event as `.ics`.
        Anmeldebestaetigung = "anmeldebestaetigung" => "Anmeldebestätigung",
        /// Put on the waiting list, with the place.
        Warteliste = "warteliste" => "Warteliste",
        /// Moved up from the waiting list, with the event as `.ics`.
        Nachgerueckt = "nachgerueckt" => "Nachgerückt",
        /// The registration was cancelled.
        Stornierung = "stornierung" => "Stornierung",
        /// Access link and reminder the day before an online or hybrid event.
        Zugangsdaten = "zugangsdaten" => "Zugangsdaten/Erinnerung",
        /// Certificate of attendance (the PDF attached).
        Teilnahmebescheinigung = "teilnahmebescheinigung" => "Teilnahmebescheinigung",
        /// Invitation to an event.
        Einladung = "einladung" => "Einladung",
    }
}

text_enum! {
    /// Where a message is in its life.
    pub enum MailState {
        /// Waits for the office's release (events sending "nach Freigabe").
        Freigabe = "freigabe" => "Wartet auf Freigabe",
        /// Queued, goes out with the next sending run.
        Wartet = "wartet" => "Wartet",
        /// Handed to the mail server; a run cut off here leaves it for the office to check.
        Sendet = "sendet" => "Versand unterbrochen",
        /// Accepted by the mail server.
        Gesendet = "gesendet" => "Gesendet",
        /// Not accepted; see the reason. Retried.
        Fehlgeschlagen = "fehlgeschlagen" => "Fehlgeschlagen",
        /// No longer needed when it was due (e.g. the status changed again).
        Ueberholt = "ueberholt" => "Überholt",
        /// Discarded by the office.
        Verworfen = "verworfen" => "Verworfen",
    }
}

text_enum! {
    /// How an event's messages go out.
    pub enum SendMode {
        /// Queued ready to send.
        Automatisch = "automatisch" => "Automatisch senden",
        /// Each message waits for the office's release.
        Freigabe = "freigabe" => "Nach Freigabe senden",
        /// Nothing is queued for this event.
        Aus = "aus" => "Keine E-Mails",
    }
}

text_enum! {
    /// How a message greets its recipient.
    pub enum SalutationStyle {
        /// "Sehr geehrte Frau Dr. Müller".
        Foermlich = "foermlich" => "Förmlich (Sehr geehrte Frau Dr. Müller)",
        /// "Liebe Anna".
        Persoenlich = "persoenlich" => "Persönlich (Liebe Anna)",
    }
}

text_enum! {
    /// The connection security of the mail server.
    pub enum Security {
        /// Plain connection upgraded with STARTTLS (usually port 587).
        Starttls = "starttls" => "STARTTLS (Port 587)",
        /// TLS from the start (usually port 465).
        Tls = "tls" => "TLS (Port 465)",
        /// No encryption: only for a test server on this computer.
        Plain = "plain" => "Unverschlüsselt (nur Testserver auf diesem Rechner)",
    }
}

impl MailKind {
    /// The registration status a status-change message is about; `None` for the other kinds.
    pub fn status(self) -> Option<crate::registrations::RegistrationStatus> {
        use crate::registrations::RegistrationStatus as S;
        match self {
            MailKind::Anmeldebestaetigung => Some(S::Angemeldet),
            MailKind::Warteliste => Some(S::Warteliste),
            MailKind::Nachgerueckt => Some(S::Nachgerueckt),
            MailKind::Stornierung => Some(S::Storniert),
            _ => None,
        }
    }

    /// Whether the message carries the event as a calendar entry.
    pub fn has_calendar(self) -> bool {
        matches!(
            self,
            MailKind::Anmeldebestaetigung | MailKind::Nachgerueckt | MailKind::Zugangsdaten
        )
    }
}

#[cfg(test)]
mod tests;
