//! Print-ready PDF documents of an event: Namensschilder ([`badges`]) and
//! Teilnahmebescheinigungen ([`certificates`]), typeset by the embedded Typst engine
//! ([`render`]) from the templates in `seeds/documents/` (`.typ` files the office can adjust).
//!
//! The data reaches a template only as JSON (`/data.json`), so user text is never Typst markup.
//! Writing a file goes through the export target check and the atomic write of `exports`:
//! only `.pdf`, never the database or a protected folder, complete or not at all.

pub mod badges;
pub mod certificates;
mod engine;
pub mod letterhead;

#[cfg(test)]
pub(crate) mod tests;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::events::Event;
use crate::exports::{self, ProtectedPaths};
use crate::store::Store;

pub use engine::{Asset, RenderedPdf, Template, render};
pub use letterhead::{ImageKind, Letterhead, LetterheadImageInfo};

/// The outcome of writing a document to a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DocumentSummary {
    /// The file written (for one PDF per person: the folder).
    #[ts(type = "string")]
    pub path: PathBuf,
    /// Files written (1 for a combined PDF).
    #[ts(type = "number")]
    pub files: usize,
    /// People in the document(s), not counting blank badges.
    #[ts(type = "number")]
    pub people: usize,
    /// Pages over all files.
    #[ts(type = "number")]
    pub pages: usize,
    /// German confirmation, e.g. "23 Namensschilder auf 3 Seiten gespeichert."
    pub message: String,
}

/// The store's own database joined to what the caller protects (exports do the same).
fn protect_own_database(store: &Store, protected: &ProtectedPaths) -> ProtectedPaths {
    match store
        .connection()
        .path()
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
    {
        Some(db) => protected.clone().database(&db),
        None => protected.clone(),
    }
}

/// Checks `path` as a PDF target and writes `bytes` there atomically.
fn write_pdf(path: &Path, bytes: &[u8], protected: &ProtectedPaths) -> CoreResult<()> {
    exports::check_target(path, "pdf", protected)?;
    exports::write_atomically(path, bytes)
}

/// "13.03.2025".
fn german_date(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

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

/// "13. März 2025".
fn long_date(day: NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{}. {} {}",
        day.day(),
        MONTHS[day.month0() as usize],
        day.year()
    )
}

/// The event's days as a German phrase: "am 13. März 2025", "vom 29. bis 30. November 2024",
/// "vom 30. November bis 1. Dezember 2024", "vom 31. Dezember 2024 bis 1. Januar 2025".
fn date_phrase(event: &Event) -> String {
    use chrono::Datelike;
    let days: Vec<NaiveDate> = event
        .days
        .iter()
        .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .collect();
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        return String::new();
    };
    if first == last {
        format!("am {}", long_date(first))
    } else if first.year() != last.year() {
        format!("vom {} bis {}", long_date(first), long_date(last))
    } else if first.month() != last.month() {
        format!(
            "vom {}. {} bis {}",
            first.day(),
            MONTHS[first.month0() as usize],
            long_date(last)
        )
    } else {
        format!("vom {}. bis {}", first.day(), long_date(last))
    }
}

/// "13.03.2025" or "29.–30.11.2024" for headers.
fn short_dates(event: &Event) -> String {
    let days: Vec<NaiveDate> = event
        .days
        .iter()
        .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .collect();
    match (days.first(), days.last()) {
        (Some(&first), Some(&last)) if first != last => {
            format!("{}–{}", first.format("%d.%m."), german_date(last))
        }
        (Some(&first), _) => german_date(first),
        _ => String::new(),
    }
}

/// The refusal when a document would list nobody.
fn nobody(what: &str) -> CoreError {
    CoreError::Conflict(what.to_owned())
}
