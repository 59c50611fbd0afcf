//! Filling a template for one person and event: placeholders, the salutation, German dates, and
//! the HTML alternative generated from the plain text (escaped, links made clickable).

use chrono::{Datelike, NaiveDate, Timelike, Weekday};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::templates::MailTemplate;
use super::{MailKind, SalutationStyle};
use crate::error::CoreResult;
use crate::events::{Event, EventFormat};
use crate::people::{self, Person};
use crate::time;

/// Everything a template can say about one recipient and one event.
#[derive(Debug, Clone)]
pub struct MailContext {
    /// The recipient.
    pub person: Person,
    /// The event the message is about.
    pub event: Event,
    /// Place on the waiting list, if on it.
    pub waitlist_position: Option<i64>,
    /// "Kontakt der Netzwerkstelle" from the settings.
    pub office_contact: String,
}

impl MailContext {
    /// The context of a person and an event, with the waiting-list place of their registration.
    pub fn load(conn: &Connection, person_id: i64, event_id: i64) -> CoreResult<Self> {
        let waitlist_position = conn
            .query_row(
                "SELECT waitlist_position FROM registrations WHERE person_id = ?1 AND event_id = ?2",
                [person_id, event_id],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten();
        let settings = super::settings::get(conn)?;
        // Without a contact block the sender's name signs the message.
        let office_contact = if settings.office_contact.is_empty() {
            settings.sender_name
        } else {
            settings.office_contact
        };
        Ok(MailContext {
            person: people::get_person(conn, person_id)?,
            event: crate::events::get(conn, event_id)?,
            waitlist_position,
            office_contact,
        })
    }
}

/// A filled template.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RenderedMail {
    /// Subject line.
    pub subject: String,
    /// Plain text.
    pub text: String,
    /// The HTML alternative generated from the text.
    pub html: String,
}

/// Fills `template` for `ctx`. Lines whose placeholders all come out empty are left out (e.g.
/// "Zugang: {Online-Link}" at an in-person event).
pub fn render(template: &MailTemplate, ctx: &MailContext) -> RenderedMail {
    let subject = fill_line(&template.subject, template.salutation_style, ctx)
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut lines = Vec::new();
    for line in template.body.lines() {
        if let Some(filled) = fill_line(line, template.salutation_style, ctx) {
            lines.extend(filled.split('\n').map(str::to_owned));
        }
    }
    let text = collapse_blank_lines(&lines.join("\n"));
    let html = to_html(&text);
    RenderedMail {
        subject,
        text,
        html,
    }
}

/// The line with its placeholders filled; `None` when it has placeholders and all are empty.
fn fill_line(line: &str, style: SalutationStyle, ctx: &MailContext) -> Option<String> {
    let mut out = String::new();
    let mut rest = line;
    let (mut placeholders, mut filled) = (0, 0);
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..open + close];
        let value = value_of(name, style, ctx);
        placeholders += 1;
        if !value.trim().is_empty() {
            filled += 1;
        }
        out.push_str(&value);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    (placeholders == 0 || filled > 0).then_some(out)
}

fn value_of(name: &str, style: SalutationStyle, ctx: &MailContext) -> String {
    let p = &ctx.person;
    let e = &ctx.event;
    match name {
        "Briefanrede" => salutation(p, style),
        "Anrede" => p.salutation.clone(),
        "Titel" => p.title.clone(),
        "Vorname" => p.first_name.clone(),
        "Nachname" => p.last_name.clone(),
        "Organisation" => p.organisation.clone().unwrap_or_default(),
        "Veranstaltung" => e.title.clone(),
        "Datum" => german_dates(e),
        "Uhrzeit" => german_times(e),
        "Ort" => place(e),
        "Online-Link" => e.online_link.clone(),
        "Wartelistenplatz" => ctx
            .waitlist_position
            .map(|p| p.to_string())
            .unwrap_or_default(),
        "Anmeldeschluss" => e
            .registration_deadline
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(|d| d.format("%d.%m.%Y").to_string())
            .unwrap_or_default(),
        "Kontakt" => ctx.office_contact.clone(),
        other => format!("{{{other}}}"),
    }
}

/// "Sehr geehrte Frau Dr. Müller" / "Liebe Anna"; without a known Anrede gender-neutral
/// "Guten Tag Anna Müller" (with the title: "Guten Tag Dr. Anna Müller").
pub fn salutation(person: &Person, style: SalutationStyle) -> String {
    let title = person.title.trim();
    let with_title = |name: &str| {
        if title.is_empty() {
            name.to_owned()
        } else {
            format!("{title} {name}")
        }
    };
    match (person.salutation.trim(), style) {
        ("Frau", SalutationStyle::Foermlich) => {
            format!("Sehr geehrte Frau {}", with_title(&person.last_name))
        }
        ("Herr", SalutationStyle::Foermlich) => {
            format!("Sehr geehrter Herr {}", with_title(&person.last_name))
        }
        ("Frau", SalutationStyle::Persoenlich) => format!("Liebe {}", person.first_name),
        ("Herr", SalutationStyle::Persoenlich) => format!("Lieber {}", person.first_name),
        _ => format!(
            "Guten Tag {}",
            with_title(&format!("{} {}", person.first_name, person.last_name))
        ),
    }
}

const WEEKDAYS: [&str; 7] = [
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
];
const MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

fn weekday(day: Weekday) -> &'static str {
    WEEKDAYS[day.num_days_from_monday() as usize]
}

/// "Donnerstag, 18. Februar 2027".
pub fn german_date(day: NaiveDate) -> String {
    format!(
        "{}, {}. {} {}",
        weekday(day.weekday()),
        day.day(),
        MONTHS[day.month0() as usize],
        day.year()
    )
}

/// The Berlin wall-clock start and end of an event.
fn berlin_span(
    event: &Event,
) -> Option<(
    chrono::DateTime<chrono_tz::Tz>,
    chrono::DateTime<chrono_tz::Tz>,
)> {
    let start = chrono::DateTime::parse_from_rfc3339(&event.starts_at).ok()?;
    let end = chrono::DateTime::parse_from_rfc3339(&event.ends_at).ok()?;
    Some((
        time::in_berlin(start.with_timezone(&chrono::Utc)),
        time::in_berlin(end.with_timezone(&chrono::Utc)),
    ))
}

/// "Donnerstag, 18. Februar 2027", or for several days
/// "Freitag, 29. November, bis Samstag, 30. November 2024".
fn german_dates(event: &Event) -> String {
    let Some((start, end)) = berlin_span(event) else {
        return String::new();
    };
    let (first, last) = (start.date_naive(), end.date_naive());
    if first == last {
        return german_date(first);
    }
    let first_text = if first.year() == last.year() {
        format!(
            "{}, {}. {}",
            weekday(first.weekday()),
            first.day(),
            MONTHS[first.month0() as usize]
        )
    } else {
        german_date(first)
    };
    format!("{first_text}, bis {}", german_date(last))
}

/// "11:00–15:30 Uhr" (Berlin time).
fn german_times(event: &Event) -> String {
    let Some((start, end)) = berlin_span(event) else {
        return String::new();
    };
    format!(
        "{:02}:{:02}–{:02}:{:02} Uhr",
        start.hour(),
        start.minute(),
        end.hour(),
        end.minute()
    )
}

/// The venue; "online" for an online event without one.
fn place(event: &Event) -> String {
    match (event.format, event.venue.trim()) {
        (EventFormat::Online, "") => "online".to_owned(),
        (EventFormat::Hybrid, venue) if !venue.is_empty() => format!("{venue} (oder online)"),
        (_, venue) => venue.to_owned(),
    }
}

/// Blank-line runs of more than one become one, and the text is trimmed.
fn collapse_blank_lines(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// Escapes the five HTML special characters.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The HTML alternative of a plain text: paragraphs at blank lines, line breaks kept, every
/// character escaped, `http(s)://` links clickable. Nothing of the text is taken as markup.
pub fn to_html(text: &str) -> String {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| {
            let lines: Vec<String> = p.lines().map(linkify).collect();
            format!("<p>{}</p>", lines.join("<br>\n"))
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"></head>\n\
         <body style=\"font-family: Arial, Helvetica, sans-serif; font-size: 15px; \
         line-height: 1.5; color: #1f2933; max-width: 40em;\">\n{}\n</body></html>\n",
        paragraphs.join("\n")
    )
}

/// One line escaped, with `http://` and `https://` words as links.
fn linkify(line: &str) -> String {
    let mut out = String::new();
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let trimmed = word.trim_end_matches(['.', ',', ';', ')', '“', '"']);
        let tail = &word[trimmed.len()..];
        if (trimmed.starts_with("https://") || trimmed.starts_with("http://")) && trimmed.len() > 8
        {
            let href = escape_html(trimmed);
            out.push_str(&format!(
                "<a href=\"{href}\">{href}</a>{}",
                escape_html(tail)
            ));
        } else {
            out.push_str(&escape_html(word));
        }
    }
    out
}

/// The person shown in the template editor's live preview: the given registration's, else
/// one of the event's registrations, preferring one whose status fits the kind (someone on the
/// waiting list for "Warteliste"); `None` when the event has no registrations.
pub fn preview_person(
    conn: &Connection,
    event_id: i64,
    kind: MailKind,
    registration_id: Option<i64>,
) -> CoreResult<Option<i64>> {
    let sql = "SELECT person_id FROM registrations
               WHERE event_id = ?1 AND (?2 IS NULL OR id = ?2)
               ORDER BY (status = ?3) DESC, registered_at, id LIMIT 1";
    Ok(conn
        .query_row(
            sql,
            rusqlite::params![event_id, registration_id, kind.status()],
            |r| r.get(0),
        )
        .optional()?)
}
