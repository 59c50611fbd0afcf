//! Building the MIME message (lettre): UTF-8 subject and names (RFC 2047), plain text with the
//! HTML alternative, attachments, Reply-To, Message-ID and Date. Also the ways out without
//! SMTP: an `.eml` draft for Outlook (`X-Unsent: 1`) and BCC `mailto:` links in chunks.

use std::path::Path;

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use rusqlite::Transaction;
use serde::Serialize;
use ts_rs::TS;

use super::settings::MailSettings;
use crate::error::{CoreError, CoreResult};
use crate::exports::target::{ProtectedPaths, check_target};

/// A file attached to a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    /// File name the recipient sees.
    pub file_name: String,
    /// MIME type, e.g. "text/calendar; charset=utf-8".
    pub content_type: String,
    /// Contents.
    pub data: Vec<u8>,
}

/// A rendered message, ready to become MIME.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    /// The outbox row's uid (the Message-ID's left part).
    pub message_uid: String,
    /// Recipient's name.
    pub to_name: String,
    /// Recipient's address.
    pub to_address: String,
    /// Subject.
    pub subject: String,
    /// Plain text.
    pub text: String,
    /// HTML alternative.
    pub html: String,
    /// Attachments.
    pub attachments: Vec<Attachment>,
}

fn mailbox(name: &str, address: &str, field: &str) -> CoreResult<Mailbox> {
    let address = address.trim().parse().map_err(|_| {
        CoreError::invalid(
            field,
            format!("„{address}“ ist keine gültige E-Mail-Adresse."),
        )
    })?;
    let name = name.trim();
    Ok(Mailbox::new(
        (!name.is_empty()).then(|| name.to_owned()),
        address,
    ))
}

/// The Message-ID of an outbox row: `<uid@sender-domain>`.
pub fn message_id(settings: &MailSettings, message_uid: &str) -> String {
    let domain = settings
        .sender_address
        .rsplit_once('@')
        .map_or("tagungsbuero.invalid", |(_, d)| d);
    format!("<{message_uid}@{domain}>")
}

/// The MIME message of `out` from the office's sender.
pub fn message(settings: &MailSettings, out: &Outgoing) -> CoreResult<Message> {
    if settings.sender_address.is_empty() {
        return Err(CoreError::invalid(
            "sender_address",
            "Bitte zuerst die Absenderadresse in den Einstellungen (E-Mail-Versand) eintragen.",
        ));
    }
    let mut builder = Message::builder()
        .from(mailbox(
            &settings.sender_name,
            &settings.sender_address,
            "sender_address",
        )?)
        .to(mailbox(&out.to_name, &out.to_address, "to")?)
        .subject(out.subject.clone())
        .date_now()
        .message_id(Some(message_id(settings, &out.message_uid)));
    if !settings.reply_to.is_empty() {
        builder = builder.reply_to(mailbox(
            &settings.sender_name,
            &settings.reply_to,
            "reply_to",
        )?);
    }
    let body = MultiPart::alternative_plain_html(out.text.clone(), out.html.clone());
    let built = if out.attachments.is_empty() {
        builder.multipart(body)
    } else {
        let mut mixed = MultiPart::mixed().multipart(body);
        for a in &out.attachments {
            let content_type = ContentType::parse(&a.content_type).map_err(|e| {
                CoreError::Conflict(format!("Ungültiger Typ des Anhangs {}: {e}", a.file_name))
            })?;
            let part: SinglePart = lettre::message::Attachment::new(a.file_name.clone())
                .body(a.data.clone(), content_type);
            mixed = mixed.singlepart(part);
        }
        builder.multipart(mixed)
    };
    built.map_err(|e| {
        CoreError::Conflict(format!("Die Nachricht konnte nicht erstellt werden: {e}"))
    })
}

/// The message as an `.eml` draft: Outlook opens a file with `X-Unsent: 1` as a new message
/// ready to send, with its attachments.
pub fn eml(settings: &MailSettings, out: &Outgoing) -> CoreResult<Vec<u8>> {
    let mut bytes = b"X-Unsent: 1\r\n".to_vec();
    bytes.extend(message(settings, out)?.formatted());
    Ok(bytes)
}

/// Writes message `id` as an `.eml` draft to `path` (a path the user chose; checked like every
/// export target) for sending from Outlook. A message that was not sent yet is taken out of
/// the SMTP queue (marked `ueberholt`, "Als Entwurf für Outlook gespeichert"), so it cannot go
/// out twice; "Erneut senden" puts it back.
pub fn export_eml(
    tx: &Transaction<'_>,
    id: i64,
    path: &Path,
    protected: &ProtectedPaths,
) -> CoreResult<()> {
    check_target(path, "eml", protected)?;
    let outgoing = super::outbox::outgoing(tx, id)?;
    let bytes = eml(&super::settings::get(tx)?, &outgoing)?;
    super::outbox::mark_drafted(tx, id)?;
    crate::exports::write_atomically(path, &bytes)
}

/// Longest `mailto:` link handed to the mail client (Outlook and browsers accept about 2,000).
pub const MAILTO_LIMIT: usize = 2000;

/// A group message as `mailto:` links with the addresses in BCC, each at most `limit`
/// characters long: the subject in every link, the addresses split over as many as needed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MailtoChunks {
    /// The links, in order.
    pub links: Vec<String>,
    /// Addresses per link.
    pub counts: Vec<u32>,
}

/// Splits `addresses` into BCC `mailto:` links of at most `limit` characters (see
/// [`MailtoChunks`]). Empty and duplicate addresses are left out.
pub fn mailto_chunks(addresses: &[String], subject: &str, limit: usize) -> MailtoChunks {
    let subject = format!("subject={}", percent(subject));
    let mut seen = std::collections::HashSet::new();
    let mut links = Vec::new();
    let mut counts = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let base_len = "mailto:?bcc=&".len() + subject.len();
    let mut length = base_len;
    for address in addresses {
        let address = address.trim();
        if address.is_empty() || !seen.insert(address.to_lowercase()) {
            continue;
        }
        let encoded = percent(address);
        let extra = encoded.len() + usize::from(!current.is_empty());
        if !current.is_empty() && length + extra > limit {
            links.push(format!("mailto:?bcc={}&{subject}", current.join(",")));
            counts.push(current.len() as u32);
            current.clear();
            length = base_len;
        }
        length += encoded.len() + usize::from(!current.is_empty());
        current.push(encoded);
    }
    if !current.is_empty() {
        links.push(format!("mailto:?bcc={}&{subject}", current.join(",")));
        counts.push(current.len() as u32);
    }
    MailtoChunks { links, counts }
}

/// Percent-encodes everything but unreserved characters and `@` (RFC 6068).
fn percent(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
